/**
 * Files are opened, then judged (docs/security.md): a post, `_site.yml` or
 * `authors.yml` that is a FIFO, a device or a huge sparse file is a named
 * content error, never a hang; a post swapped for a FIFO between the
 * listing and the read never holds the server. These run the built server
 * as a child process: the failure they guard against is a main thread stuck
 * in `open()`, which would stop the test runner itself if it were in-process.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import path from 'node:path';
import { startChildServer, type ChildServer } from '../helpers/child-server.js';
import { eventually, ROOT, TempContent } from '../helpers/site.js';

/** A request that did not answer in this long is a hang (nothing here takes a tenth of it on a quiet machine; the rest is room for a busy one). */
const HANG_MS = 20_000;

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** GET over a real socket; rejects when no answer comes within `HANG_MS`. */
function fetchPath(port: number, urlPath: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setTimeout(HANG_MS, () => req.destroy(new Error(`${urlPath} did not answer within ${HANG_MS} ms: the server is stuck`)));
    req.on('error', reject);
  });
}

function mkfifo(...files: string[]): void {
  execFileSync('mkfifo', files);
}

function post(title: string): string {
  return `---\ntitle: ${title}\npublish_date: 2024-01-01\n---\n\nThe text of ${title}.\n`;
}

let content: TempContent;
let server: ChildServer | undefined;

afterEach(async () => {
  if (server) {
    server.child.kill('SIGKILL');
    await server.exited;
    server = undefined;
  }
  content.cleanup();
});

describe('a post swapped for a FIFO', () => {
  it('never holds a request: the FIFO is a named problem and the server answers throughout', async () => {
    content = new TempContent();
    content.write('other.md', post('Other post'));
    content.write('race.md', post('Race post'));
    const side = path.join(content.dir, '..', `${path.basename(content.dir)}-side`);
    mkdirSync(side);
    const fifos = Array.from({ length: 400 }, (_, i) => path.join(side, `fifo-${i}`));
    mkfifo(...fifos);
    server = await startChildServer(content.dir);
    const { port } = server;
    const target = path.join(content.dir, 'race.md');
    let swapping = true;
    // The writer: a regular file, then a FIFO, renamed onto race.md over and over.
    const swapper = (async () => {
      for (let i = 0; i < fifos.length; i++) {
        const regular = path.join(side, `regular-${i}`);
        writeFileSync(regular, post(`Race post ${i}`));
        renameSync(regular, target);
        await new Promise((resolve) => setImmediate(resolve));
        renameSync(fifos[i]!, target);
        await new Promise((resolve) => setImmediate(resolve));
      }
      swapping = false;
    })();
    const answers: Answer[] = [];
    const reader = async (urlPath: string): Promise<void> => {
      while (swapping) answers.push(await fetchPath(port, urlPath));
    };
    await Promise.all([swapper, reader('/posts/race'), reader('/'), reader('/healthz'), reader('/posts/other')]);
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    // Left as a FIFO: the post is a content error that names it, and every other page answers.
    await eventually(async () => expect(JSON.parse((await fetchPath(port, '/healthz')).body)).toMatchObject({ errors: 1 }));
    expect(server.lines.join('\n')).toMatch(/race\.md: is a FIFO, not a regular file/);
    expect((await fetchPath(port, '/posts/other')).status).toBe(200);
    writeFileSync(path.join(side, 'final'), post('Race post final'));
    renameSync(path.join(side, 'final'), target);
    await eventually(async () => expect((await fetchPath(port, '/posts/race')).body).toContain('Race post final'));
  });
});

describe('_site.yml and authors.yml that are not regular files', () => {
  const cases: [string, (file: string) => void, RegExp][] = [
    ['a FIFO', (file) => mkfifo(file), /is a FIFO, not a regular file/],
    ['a link to /dev/zero', (file) => symlinkSync('/dev/zero', file), /is a character device, not a regular file/],
    [
      'a 300 MB sparse file',
      (file) => {
        writeFileSync(file, '');
        truncateSync(file, 300 * 1024 * 1024);
      },
      /is 300\.0 MB, over the limit for the settings file of 256\.0 KB/,
    ],
  ];

  it.each(cases)('_site.yml as %s, made while the server runs, is a named problem and every page answers', async (_name, make, message) => {
    content = new TempContent();
    content.write('first.md', post('First post'));
    content.write('_site.yml', 'title: Before\n');
    server = await startChildServer(content.dir, { LOG_LEVEL: 'warn' });
    const { port } = server;
    expect((await fetchPath(port, '/')).body).toContain('Before');
    // Made aside and renamed over it: a moment without the file would rightly mean the default settings.
    const aside = path.join(content.dir, '..', `${path.basename(content.dir)}-site.yml`);
    make(aside);
    renameSync(aside, path.join(content.dir, '_site.yml'));
    // The last good settings stay in force; the problem is counted and logged with the file.
    await eventually(async () => {
      const health = JSON.parse((await fetchPath(port, '/healthz')).body) as { errors: number };
      expect(health.errors).toBe(1);
    });
    expect((await fetchPath(port, '/')).body).toContain('Before');
    expect((await fetchPath(port, '/posts/first')).status).toBe(200);
    expect(server.lines.join('\n')).toMatch(message);
  });

  it.each(cases)('npm run check names _site.yml as %s and exits, without hanging', async (_name, make, message) => {
    content = new TempContent();
    content.write('first.md', post('First post'));
    make(path.join(content.dir, '_site.yml'));
    const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [path.join(ROOT, 'dist', 'cli', 'check.js')],
        { cwd: ROOT, env: { ...process.env, CONTENT_DIR: content.dir }, timeout: HANG_MS * 2 },
        (err, stdout, stderr) => resolve({ code: child.exitCode ?? (err ? 1 : 0), output: stdout + stderr }),
      );
    });
    expect(result.output).toMatch(/_site\.yml/);
    expect(result.output).toMatch(message);
    expect(result.code).not.toBe(0);
  });

  it('authors.yml as a FIFO is a named problem, and the posts are served', async () => {
    content = new TempContent();
    content.write('first.md', post('First post'));
    mkfifo(path.join(content.dir, 'authors.yml'));
    server = await startChildServer(content.dir, { LOG_LEVEL: 'warn' });
    expect((await fetchPath(server.port, '/posts/first')).status).toBe(200);
    expect((await fetchPath(server.port, '/healthz')).status).toBe(200);
  });
});

describe('a post that is a FIFO or a device from the start', () => {
  it('is named, and the rest of the site is served', async () => {
    content = new TempContent();
    content.write('first.md', post('First post'));
    mkfifo(path.join(content.dir, 'pipe.md'));
    symlinkSync('/dev/zero', path.join(content.dir, 'zero.md'));
    server = await startChildServer(content.dir, { LOG_LEVEL: 'warn' });
    expect((await fetchPath(server.port, '/posts/first')).status).toBe(200);
    expect((await fetchPath(server.port, '/')).body).toContain('First post');
    expect(JSON.parse((await fetchPath(server.port, '/healthz')).body)).toMatchObject({ posts: 1, errors: 2 });
    expect(server.lines.join('\n')).toMatch(/pipe\.md: is a FIFO, not a regular file/);
  });
});
