/**
 * The real server (dist/, built by `npm test`) with WEB_CONCURRENCY=2 and
 * PURGE_URL, behind deploy/nginx.conf: the set-up docs/deploying.md describes, end
 * to end, from the environment variables to the purge request.
 *
 * @requires nginx
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { freePort, get, localise, Nginx, readDeployConfig, sandbox } from '../helpers/nginx.js';
import { eventually, ROOT, TempContent } from '../helpers/site.js';

const content = new TempContent();
const nginx = new Nginx();
let server: ChildProcess;
let endpoint: Server;
const purged: string[][] = [];

beforeAll(async () => {
  content.post('first.md', { title: 'First', publish_date: '2024-01-01' }, 'The first version.');
  content.post('second.md', { title: 'Second', publish_date: '2024-01-02' }, 'Unchanged.');
  endpoint = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      purged.push((JSON.parse(body) as { keys: string[] }).keys);
      res.end();
    });
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  const port = await freePort();
  server = spawn(process.execPath, [path.join(ROOT, 'dist', 'server.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      CONTENT_DIR: content.dir,
      WEB_CONCURRENCY: '2',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      PURGE_URL: `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/purge`,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await eventually(async () => expect((await get(port, '/healthz')).status).toBe(200));
  await nginx.start((paths) =>
    sandbox(
      localise(readDeployConfig('nginx.conf'), [
        [/proxy_cache_path \/var\/lib\/nginx\/lede-cache /, `proxy_cache_path ${paths.dir}/cache `],
        [/server 127\.0\.0\.1:3000 /, `server 127.0.0.1:${port} `],
        // One server with two workers instead of two servers.
        [/\n\s*server 127\.0\.0\.1:3001 [^;]*;/, ''],
      ]),
      paths,
    ),
  );
});

afterAll(async () => {
  if (server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  await nginx.stop();
  await new Promise<void>((resolve) => endpoint.close(() => resolve()));
  content.cleanup();
});

describe('node dist/server.js with WEB_CONCURRENCY=2 and PURGE_URL, behind nginx', () => {
  it('should serve pages through nginx, the second request from its cache', async () => {
    const first = await get(nginx.port, '/posts/first', { 'Accept-Encoding': 'gzip' });
    const second = await get(nginx.port, '/posts/first', { 'Accept-Encoding': 'gzip' });
    expect(first.status).toBe(200);
    expect(first.headers['x-cache-status']).toBe('MISS');
    expect(second.headers['x-cache-status']).toBe('HIT');
    expect(second.body.toString()).toContain('The first version.');
    expect(second.headers['surrogate-key']).toBe('post:first post:second');
  });

  it('should send nothing to PURGE_URL at start, and the changed keys when a post is edited', async () => {
    expect(purged).toEqual([]);
    content.post('first.md', { title: 'First', publish_date: '2024-01-01' }, 'The second version.');
    await eventually(async () => expect(purged.length).toBeGreaterThan(0));
    // Each worker runs the hook: the same keys may come once per worker.
    for (const keys of purged) expect(keys.sort()).toEqual(['author:anonymous', 'feed', 'index', 'post:first', 'post:second', 'tags']);
  });
});
