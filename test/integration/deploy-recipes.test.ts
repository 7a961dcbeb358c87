/**
 * The deploy recipes of docs/deploying.md (the blocks marked
 * `deploy-recipe=<name>`), run as written by bash: `sudo` runs the command
 * itself, `nginx` is Debian's, run on a temporary prefix whose nginx.conf is
 * Debian's (test/helpers/nginx.ts) with a default site and
 * `sites-enabled/*` included, `npm run export` is the built CLI. Only the
 * folders (`/var/www/lede`, `/etc/nginx`) are the test's own, and the port
 * and logs in the site files the recipes copy.
 *
 * @requires nginx
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createApp } from '../../src/app.js';
import { fences } from '../docs/doc-examples.js';
import { listen } from '../helpers/browser.js';
import { MATH_BODY } from '../helpers/export-site.js';
import { freePort, get, localise, Nginx, nginxBinary, readDeployConfig, type Reply, sandbox, STATIC_ROOT } from '../helpers/nginx.js';
import { ROOT, TempContent, testConfig } from '../helpers/site.js';

const HOST = 'blog.example.com';
const RECIPE_TIMEOUT_MS = 180_000;

/** The recipe named `name` in docs/deploying.md. */
function recipe(name: string): string {
  const found = fences(readFileSync(path.join(ROOT, 'docs', 'deploying.md'), 'utf8')).filter((f) => f.words.includes(`deploy-recipe=${name}`));
  if (found.length !== 1) throw new Error(`docs/deploying.md has ${found.length} blocks marked deploy-recipe=${name}`);
  return found[0]!.body;
}

/** A folder laid out as a machine the recipes run on: the project (with its `deploy/` files), `/var/www`, `/etc/nginx`. */
class Machine {
  readonly top = mkdtempSync(path.join(tmpdir(), 'lede-recipe-'));
  readonly project = path.join(this.top, 'project');
  readonly www = path.join(this.top, 'var', 'www');
  readonly etc = path.join(this.top, 'etc', 'nginx');
  readonly nginx = new Nginx();

  constructor() {
    for (const dir of [path.join(this.project, 'deploy'), this.www, path.join(this.etc, 'sites-available'), path.join(this.etc, 'sites-enabled')]) {
      mkdirSync(dir, { recursive: true });
    }
  }

  /** Starts nginx with Debian's nginx.conf: its default site, then `sites-enabled/*`, as `apt-get install nginx` leaves it. */
  async start(): Promise<void> {
    const sites = ['server {', '    listen 80;', '    server_name _;', '    return 404;', '}', `include ${this.etc}/sites-enabled/*;`].join('\n');
    await this.nginx.start((paths) => sandbox(sites, paths));
  }

  /** A deploy/ file as the recipe copies it, with this machine's port, folders and logs. */
  deployFile(name: string, replacements: readonly (readonly [RegExp, string])[] = []): void {
    const text = localise(readDeployConfig(name), [[/listen 80;/, `listen 127.0.0.1:${this.nginx.port};`], ...replacements])
      .replaceAll(`${STATIC_ROOT}`, path.join(this.www, 'lede'))
      .replace(/(access_log|error_log) \/var\/log\/nginx\/([\w.-]+);/g, `$1 ${this.nginx.dir}/logs/$2;`);
    writeFileSync(path.join(this.project, 'deploy', name), text);
  }

  /** Runs a recipe with bash in the project folder, its `/var/www` and `/etc/nginx` this machine's. */
  run(script: string, env: Record<string, string> = {}): Promise<string> {
    const preamble = [
      'set -e',
      'sudo() { "$@"; }',
      `nginx() { command "${nginxBinary()}" -p "${this.nginx.dir}/" -c "${this.nginx.dir}/nginx.conf" -e "${this.nginx.dir}/logs/error.log" "$@"; }`,
      'npm() {',
      '  if [ "$1 $2" != "run export" ]; then echo "recipe test: npm $* cannot run here" >&2; return 127; fi',
      '  shift 2; [ "$1" = -- ] && shift',
      `  node "${ROOT}/dist/cli/export.js" "$@"`,
      '}',
    ].join('\n');
    const body = script.replaceAll('/var/www/', `${this.www}/`).replaceAll('/etc/nginx/', `${this.etc}/`);
    return new Promise((resolve, reject) => {
      execFile(
        'bash',
        ['-c', `${preamble}\n${body}`],
        { cwd: this.project, env: { PATH: process.env.PATH ?? '', HOME: this.top, USER: userInfo().username, LOG_LEVEL: 'warn', ...env }, timeout: 120_000 },
        (error, stdout, stderr) => (error ? reject(new Error(`recipe failed: ${error.message}\n${stdout}${stderr}`)) : resolve(`${stdout}${stderr}`)),
      );
    });
  }

  /** The files of the export in this machine's `/var/www/lede`. */
  written(): string[] {
    const root = path.join(this.www, 'lede');
    return existsSync(root) ? readdirSync(root, { recursive: true, encoding: 'utf8' }).sort() : [];
  }

  /** A GET for the blog's host, as a reader's browser sends it. */
  get(urlPath: string): Promise<Reply> {
    return get(this.nginx.port, urlPath, { Host: HOST });
  }

  /**
   * Polls until `ok` holds for what nginx answers at `urlPath`, then until the
   * workers of the configuration before the reload have gone: until then, one
   * of them may still take a connection and answer with the old sites.
   */
  async until(urlPath: string, ok: (reply: Reply) => boolean): Promise<Reply> {
    const deadline = Date.now() + 30_000;
    let reply = await this.get(urlPath);
    while (!ok(reply) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      reply = await this.get(urlPath);
    }
    while (this.oldWorkers() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return reply;
  }

  /** nginx's workers still finishing under the configuration before a reload (`nginx: worker process is shutting down`). */
  private oldWorkers(): number {
    const master = readFileSync(path.join(this.nginx.dir, 'nginx.pid'), 'utf8').trim();
    let count = 0;
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
        if (ppid === master && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('shutting down')) count++;
      } catch {
        // gone meanwhile
      }
    }
    return count;
  }

  async stop(): Promise<void> {
    await this.nginx.stop();
    rmSync(this.top, { recursive: true, force: true });
  }
}

describe('the static export recipe (docs/deploying.md, "Static export")', () => {
  const machine = new Machine();
  const content = new TempContent();
  beforeAll(async () => {
    content.post('sums.md', { title: 'Sums', publish_date: '2024-01-02' }, MATH_BODY);
    content.post('plain.md', { title: 'Plain', publish_date: '2024-01-01' });
    await machine.start();
    machine.deployFile('nginx-static.conf');
  }, RECIPE_TIMEOUT_MS);
  afterAll(async () => {
    await machine.stop();
    content.cleanup();
  });

  it(
    'should serve the export with the live headers once the recipe has run as written',
    async () => {
      expect((await machine.get('/')).status).toBe(404); // Debian's default site, before the recipe
      const said = await machine.run(recipe('static'), { CONTENT_DIR: content.dir });
      const front = await machine.until('/', (reply) => reply.status === 200);
      expect(front.status).toBe(200);
      expect(front.body.toString()).toContain('Sums');
      expect(front.headers['x-content-type-options']).toBe('nosniff');
      // Until the workers of the configuration before the reload are gone (one may take a connection meanwhile).
      const sums = await machine.until('/posts/sums', (reply) => reply.status === 200);
      // What the export said, and what it wrote, when the page is not there: the failure names its cause.
      if (sums.status !== 200) expect({ status: sums.status, said, written: machine.written() }).toEqual({ status: 200 });
      expect(sums.headers['content-security-policy']).toContain("style-src-attr 'unsafe-inline'");
      expect((await machine.get('/posts/plain')).headers['content-security-policy']).not.toContain('unsafe-inline');
      const missing = await machine.get('/posts/no-such-post');
      expect({ status: missing.status, cacheControl: missing.headers['cache-control'] }).toEqual({ status: 404, cacheControl: 'no-store' });
    },
    RECIPE_TIMEOUT_MS,
  );

  it(
    "should give a page added later its own policy once the recipe's export and reload have run",
    async () => {
      content.post('more.md', { title: 'More sums', publish_date: '2024-01-03' }, MATH_BODY);
      await machine.run(recipe('static-again'), { CONTENT_DIR: content.dir });
      const more = await machine.until('/posts/more', (reply) => String(reply.headers['content-security-policy']).includes('unsafe-inline'));
      expect(more.status).toBe(200);
      expect(more.headers['content-security-policy']).toContain("style-src-attr 'unsafe-inline'");
    },
    RECIPE_TIMEOUT_MS,
  );
});

describe('the nginx recipe (docs/deploying.md, "Behind nginx")', () => {
  const machine = new Machine();
  const content = new TempContent();
  const upstreams: Awaited<ReturnType<typeof listen>>[] = [];
  beforeAll(async () => {
    content.post('hello.md', { title: 'Hello from Lede', publish_date: '2024-01-01' });
    for (let i = 0; i < 2; i++) upstreams.push(await listen(createApp(testConfig(content.dir, { env: 'production' }))));
    await machine.start();
    machine.deployFile('nginx.conf', [
      [/proxy_cache_path \/var\/lib\/nginx\/lede-cache /, `proxy_cache_path ${machine.nginx.dir}/cache `],
      [/server 127\.0\.0\.1:3000 /, `server ${new URL(upstreams[0]!.origin).host} `],
      [/server 127\.0\.0\.1:3001 /, `server ${new URL(upstreams[1]!.origin).host} `],
    ]);
  }, RECIPE_TIMEOUT_MS);
  afterAll(async () => {
    await machine.stop();
    await Promise.all(upstreams.map((u) => u.close()));
    content.cleanup();
  });

  it(
    "should put the cache in front of Lede, beside Debian's default site, once the recipe has run as written",
    async () => {
      await machine.run(recipe('nginx'));
      const page = await machine.until('/posts/hello', (reply) => reply.status === 200);
      expect(page.status).toBe(200);
      expect(page.body.toString()).toContain('Hello from Lede');
      expect(page.headers['x-cache-status']).toMatch(/^(MISS|HIT|EXPIRED|STALE|REVALIDATED|UPDATING)$/);
      // Other hosts still reach Debian's default site: the recipe added a site, it replaced nothing.
      expect((await get(machine.nginx.port, '/posts/hello', { Host: 'other.example.org' })).status).toBe(404);
    },
    RECIPE_TIMEOUT_MS,
  );
});

describe('the one-box recipe (docs/deploying.md, "One box")', () => {
  const content = new TempContent();
  let server: ChildProcess | undefined;
  afterAll(() => {
    // The recipe's last line runs the server for good: its whole process group goes.
    if (server?.pid) process.kill(-server.pid, 'SIGTERM');
    content.cleanup();
  });

  it(
    'should serve the blog in production on the address it names once the recipe has run as written',
    async () => {
      content.post('hello.md', { title: 'Hello from one box', publish_date: '2024-01-01' });
      const port = await freePort();
      // `npm ci` stands in as done (this project is installed); `npm run build` builds what is stale, as npm would.
      const preamble = [
        'set -e',
        'npm() {',
        '  if [ "$1" = ci ]; then echo "recipe test: installed already"; return 0; fi',
        '  if [ "$1 $2" != "run build" ]; then echo "recipe test: npm $* cannot run here" >&2; return 127; fi',
        `  node "${ROOT}/scripts/build-if-stale.mjs"`,
        '}',
      ].join('\n');
      const script = recipe('one-box');
      expect(script).toContain('PORT=3000');
      let said = '';
      server = spawn('bash', ['-c', `${preamble}\n${script.replace('PORT=3000', `PORT=${port}`)}`], {
        cwd: ROOT,
        detached: true,
        env: { PATH: process.env.PATH ?? '', HOME: content.dir, CONTENT_DIR: content.dir, LOG_LEVEL: 'info' },
      });
      // Until the server says it serves (its log line), or the recipe ends: the event, not a poll.
      const serving = new Promise<boolean>((resolve) => {
        const hear = (chunk: Buffer): void => {
          said += chunk.toString();
          if (said.includes('Lede is serving')) resolve(true);
        };
        server!.stdout?.on('data', hear);
        server!.stderr?.on('data', hear);
        server!.on('exit', () => resolve(false));
      });
      const heard = await serving;
      expect({ heard, said: heard ? '' : said }).toEqual({ heard: true, said: '' });
      const reply = await get(port, '/posts/hello');
      expect({ status: reply.status, said }).toEqual({ status: 200, said });
      expect(reply.body.toString()).toContain('Hello from one box');
      // Production, with the SITE_URL it names: links under the blog's address, the production caching.
      expect(reply.body.toString()).toContain('https://blog.example.com/posts/hello');
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
    },
    RECIPE_TIMEOUT_MS,
  );
});
