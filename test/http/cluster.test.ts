/**
 * Freshness with WEB_CONCURRENCY=2: the real server (dist/, built by
 * `npm test`) with two workers on a temp folder. Each worker has its own page
 * cache, so every check is made over several requests, which the cluster
 * spreads over both workers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, ROOT, TempContent } from '../helpers/site.js';

describe('WEB_CONCURRENCY=2', () => {
  const content = new TempContent();
  let server: ChildProcess;
  let base = '';
  const pids = new Set<number>();

  beforeAll(async () => {
    content.post('first.md', { title: 'First post', publish_date: '2024-01-01' }, 'Original text.');
    server = spawn(process.execPath, [path.join(ROOT, 'dist', 'server.js')], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', CONTENT_DIR: content.dir, WEB_CONCURRENCY: '2', LOG_LEVEL: 'info', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      server.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        for (const line of buffered.split('\n').slice(0, -1)) {
          const entry = JSON.parse(line) as { port?: number; pid: number };
          if (entry.port) {
            base = `http://127.0.0.1:${entry.port}`;
            pids.add(entry.pid);
            if (pids.size === 2) resolve();
          }
        }
        buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
      });
      server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
  });

  afterAll(async () => {
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    content.cleanup();
  });

  const fetchAll = async (url: string, times = 6) =>
    Promise.all(Array.from({ length: times }, () => fetch(`${base}${url}`).then(async (r) => ({ status: r.status, text: await r.text() }))));

  it('should start two workers that answer on one port', async () => {
    expect(pids.size).toBe(2);
    for (const res of await fetchAll('/posts/first')) expect(res.text).toContain('Original text.');
  });

  it('should show an edited post on the next request in every worker', async () => {
    content.post('first.md', { title: 'First post', publish_date: '2024-01-01' }, 'Edited text.');
    for (const res of await fetchAll('/posts/first')) {
      expect(res.status).toBe(200);
      expect(res.text).toContain('Edited text.');
    }
  });

  it('should list a new post within a second in every worker', async () => {
    content.post('second.md', { title: 'Second post', publish_date: '2024-02-01' });
    for (const res of await fetchAll('/posts/second')) expect(res.status).toBe(200);
    await eventually(async () => {
      for (const res of await fetchAll('/')) expect(res.text).toContain('Second post');
    });
  });

  it('should answer 404 for a deleted post on the next request in every worker', async () => {
    content.remove('first.md');
    for (const res of await fetchAll('/posts/first')) expect(res.status).toBe(404);
  });

  it('should stop both workers on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
