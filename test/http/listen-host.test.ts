/**
 * Where the server listens when `HOST` is unset (docs/configuration.md):
 * loopback outside production, which shows drafts; every interface in
 * production; and `HOST` wins either way.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import type { LedeApp } from '../../src/app.js';
import { listenHost, serve } from '../../src/lifecycle.js';
import { TempContent, testApp, testConfig } from '../helpers/site.js';

describe('the listening address', () => {
  const content = new TempContent();
  content.post('post.md', { title: 'Post', publish_date: '2024-01-01' });
  let app: LedeApp | undefined;
  let server: Server | undefined;

  afterEach(async () => {
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    app?.store.close();
    app?.pages.close();
    app?.liveReload?.close();
    server = undefined;
    app = undefined;
  });

  const addressOf = async (overrides: Parameters<typeof testConfig>[1]): Promise<string> => {
    const config = testConfig(content.dir, { port: 0, ...overrides });
    app = testApp(content, { port: 0, ...overrides });
    server = await serve(app, config);
    return (server.address() as AddressInfo).address;
  };

  it('should be loopback in development when HOST is unset', async () => {
    expect(await addressOf({ env: 'development' })).toBe('127.0.0.1');
  });

  it('should be every interface in production when HOST is unset', async () => {
    expect(['::', '0.0.0.0']).toContain(await addressOf({ env: 'production' }));
  });

  it('should be HOST when it is set, in development too', async () => {
    expect(await addressOf({ env: 'development', host: '0.0.0.0' })).toBe('0.0.0.0');
    expect(listenHost({ env: 'development', host: '::1' })).toBe('::1');
  });

  afterAll(() => content.cleanup());
});
