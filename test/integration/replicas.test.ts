/**
 * Stateless replicas: Lede keeps no state of its own besides caches, so any
 * number of instances on the same content answer the same bytes with the
 * same ETags, whether they share one folder (a shared volume) or each have
 * their own copy (a git checkout on each machine, with its own mtimes).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { createApp, type LedeApp } from '../../src/app.js';
import { get, type Reply } from '../helpers/nginx.js';
import { listen, type Upstream } from '../helpers/listen.js';
import { TempContent, testConfig } from '../helpers/site.js';

const PATHS = [
  '/',
  '/page/2',
  '/posts/one',
  '/posts/two',
  '/posts/deepseek-rising-challenger',
  '/posts/album',
  '/posts/album/pic.png',
  '/_lede/style.css',
  '/posts/missing',
];
const ENCODINGS = [undefined, 'gzip', 'br'];
/** Headers that belong to the moment of the answer, not to the page. */
const MOMENT = new Set(['date', 'connection', 'keep-alive', 'x-request-id']);

const content = new TempContent();
const copy = new TempContent();
const servers: Upstream[] = [];

function comparable(reply: Reply, ignore: readonly string[] = []): unknown {
  const headers = Object.fromEntries(Object.entries(reply.headers).filter(([name]) => !MOMENT.has(name) && !ignore.includes(name)));
  return { status: reply.status, headers, body: reply.raw.toString('base64') };
}

beforeAll(async () => {
  content.copySample();
  content.post('one.md', { title: 'One', publish_date: '2024-05-01', tags: ['x'] }, `First.\n\n${'Words. '.repeat(300)}`);
  content.post('two.md', { title: 'Two', publish_date: '2024-05-02' }, `Second.\n\n${'Words. '.repeat(300)}`);
  content.write('album/index.md', '---\ntitle: Album\npublish_date: 2024-05-03\n---\n\n![pic](pic.png)\n');
  content.write('album/pic.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
  // A second machine's checkout: the same files, written at another moment.
  cpSync(content.dir, copy.dir, { recursive: true });
  const later = new Date(Date.now() + 3_600_000);
  for (const file of ['one.md', 'two.md', 'album/index.md', 'deepseek-rising-challenger/index.md']) utimesSync(path.join(copy.dir, file), later, later);
  const config = { env: 'production' as const, siteUrl: 'https://blog.example.com', site: { posts_per_page: 2 } };
  const apps: LedeApp[] = [createApp(testConfig(content.dir, config)), createApp(testConfig(content.dir, config)), createApp(testConfig(copy.dir, config))];
  for (const app of apps) servers.push(await listen(app));
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  content.cleanup();
  copy.cleanup();
});

describe('replicas', () => {
  it('should answer identically from two instances on one content folder, first render and cached alike', async () => {
    for (const urlPath of PATHS) {
      for (const ae of ENCODINGS) {
        const headers: Record<string, string> = ae ? { 'Accept-Encoding': ae } : {};
        // The first instance answers from its cache (second request), the other renders afresh.
        await get(servers[0]!.port, urlPath, headers);
        const [a, b] = [await get(servers[0]!.port, urlPath, headers), await get(servers[1]!.port, urlPath, headers)];
        const label = `${urlPath} ${ae ?? 'identity'}`;
        expect({ label, reply: comparable(b) }).toEqual({ label, reply: comparable(a) });
      }
    }
  });

  it('should give the same ETag for the same bytes on a machine with its own copy', async () => {
    for (const urlPath of PATHS.filter((p) => p.startsWith('/posts/') && !p.includes('.') && p !== '/posts/missing').concat(['/', '/page/2'])) {
      for (const ae of ENCODINGS) {
        const headers: Record<string, string> = ae ? { 'Accept-Encoding': ae } : {};
        const [a, c] = [await get(servers[0]!.port, urlPath, headers), await get(servers[2]!.port, urlPath, headers)];
        const label = `${urlPath} ${ae ?? 'identity'}`;
        expect({ label, status: a.status, etag: c.headers.etag }).toEqual({ label, status: 200, etag: a.headers.etag });
        // Last-Modified follows each checkout's file times; everything else is the same.
        expect({ label, reply: comparable(c, ['last-modified']) }).toEqual({ label, reply: comparable(a, ['last-modified']) });
      }
    }
  });

  it('should let one instance revalidate what another sent (If-None-Match across replicas)', async () => {
    const first = await get(servers[0]!.port, '/posts/one', { 'Accept-Encoding': 'br' });
    for (const server of servers) {
      const reply = await get(server.port, '/posts/one', { 'Accept-Encoding': 'gzip', 'If-None-Match': first.headers.etag! });
      expect(reply.status).toBe(304);
    }
  });
});
