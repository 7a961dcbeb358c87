/**
 * A real nginx for integration tests: Debian's package, run as a foreground
 * child on a loopback port, with its pid, logs, temp files and cache in a
 * temporary folder. Configs come from `deploy/` with only ports and paths
 * swapped, so the tests check the files users install.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { toolPath } from '../support/required-tools.js';
import { fileURLToPath } from 'node:url';

/** The project's folder (without test/helpers/site.ts, which needs Jest: scripts/docs-screenshot.ts uses this file too). */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The nginx binary; a clear failure when it is missing (CI installs it, see `.ci/run`). */
export function nginxBinary(): string {
  const found = toolPath('nginx');
  if (!found) throw new Error('nginx is not installed: run `apt-get install -y nginx` (.ci/run does this before npm test)');
  return found;
}

/** A port that was free a moment ago (nginx needs a number, not port 0). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface NginxPaths {
  /** The temporary prefix folder: pid, logs, temp files and cache live here. */
  readonly dir: string;
  readonly port: number;
}

/**
 * Rewrites a config from `deploy/` for a test run: each `[pattern, replacement]`
 * must match, so a changed config fails loudly instead of being tested half.
 */
export function localise(conf: string, replacements: readonly (readonly [RegExp, string])[]): string {
  let text = conf;
  for (const [pattern, replacement] of replacements) {
    if (!pattern.test(text)) throw new Error(`nginx config no longer contains ${pattern}`);
    text = text.replace(pattern, replacement);
  }
  return text;
}

/**
 * Debian's /etc/nginx/nginx.conf (nginx 1.22, comments and TLS settings left
 * out) with `site` where it includes `sites-enabled/*`: a site file of
 * `deploy/` runs as it would once installed, beside Debian's own settings.
 */
export function debianNginxConf(site: string): string {
  const indented = site.replace(/^(?=.)/gm, '    ');
  return [
    'user www-data;',
    'worker_processes auto;',
    'pid /run/nginx.pid;',
    'error_log /var/log/nginx/error.log;',
    'events {',
    '    worker_connections 768;',
    '}',
    'http {',
    '    sendfile on;',
    '    tcp_nopush on;',
    '    types_hash_max_size 2048;',
    '    include mime.types;',
    '    default_type application/octet-stream;',
    '    access_log /var/log/nginx/access.log;',
    '    gzip on;',
    '    # include /etc/nginx/sites-enabled/*;',
    indented,
    '}',
    '',
  ].join('\n');
}

/**
 * The rewrites every test config needs: pid, logs and nginx's temp folders
 * under `dir`. A site file (no `http` block of its own) is first put inside
 * Debian's nginx.conf, as installing it puts it.
 */
export function sandbox(site: string, { dir, port }: NginxPaths): string {
  const conf = /^http \{$/m.test(site) ? site : debianNginxConf(site);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name) => `    ${name}_temp_path ${dir}/temp/${name};`).join('\n');
  const text = localise(conf, [
    [/^user .*;\n/m, ''],
    [/^pid .*;$/m, `pid ${dir}/nginx.pid;`],
    [/^http \{$/m, `http {\n${temp}`],
    [/listen 80;/g, `listen 127.0.0.1:${port};`],
  ]).replace(/(access_log|error_log) \/var\/log\/nginx\/([\w.-]+);/g, `$1 ${dir}/logs/$2;`);
  // Run as root (as CI does), the workers would be `nobody` and could not read the temp folder.
  return (process.getuid?.() === 0 ? 'user root;\n' : '') + text;
}

export function readDeployConfig(name: string): string {
  return readFileSync(path.join(ROOT, 'deploy', name), 'utf8');
}

export class Nginx {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'lede-nginx-'));
  port = 0;
  private child: ChildProcess | undefined;
  private stderr = '';

  /** Writes the config that `build` returns for this folder and port, and starts nginx. */
  async start(build: (paths: NginxPaths) => string): Promise<void> {
    this.port = await freePort();
    for (const sub of ['logs', 'temp', 'cache']) mkdirSync(path.join(this.dir, sub), { recursive: true });
    if (existsSync('/etc/nginx/mime.types')) copyFileSync('/etc/nginx/mime.types', path.join(this.dir, 'mime.types'));
    const confFile = path.join(this.dir, 'nginx.conf');
    writeFileSync(confFile, build({ dir: this.dir, port: this.port }));
    const child = spawn(nginxBinary(), ['-p', `${this.dir}/`, '-c', confFile, '-e', path.join(this.dir, 'logs', 'error.log'), '-g', 'daemon off;'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    const deadline = Date.now() + 30_000;
    while (!(await canConnect(this.port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`nginx did not start: ${this.stderr}${this.errorLog()}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  errorLog(): string {
    const file = path.join(this.dir, 'logs', 'error.log');
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  /** The bytes as sent. */
  raw: Buffer;
  /** The bytes after undoing Content-Encoding. */
  body: Buffer;
}

/** One GET (or HEAD) with exactly these headers: no implicit Accept-Encoding, no decoding, no redirects. */
export function get(port: number, urlPath: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: urlPath, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const encoding = res.headers['content-encoding'];
        const body = encoding === 'br' ? brotliDecompressSync(raw) : encoding === 'gzip' ? gunzipSync(raw) : raw;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** The folder deploy/nginx-static.conf serves, as its install steps and docs/deploying.md write it. */
export const STATIC_ROOT = '/var/www/lede';

/**
 * deploy/nginx-static.conf serving the export in `outDir`, inside Debian's
 * nginx.conf: only its folder (the root and the export's include files) and
 * the port and logs are swapped.
 */
export function staticSiteConf(outDir: string): (paths: NginxPaths) => string {
  return (paths) => sandbox(localise(readDeployConfig('nginx-static.conf'), [[new RegExp(`${STATIC_ROOT}(?=[/;])`, 'g'), outDir]]), paths);
}
