/**
 * Lede as the package a blog depends on (docs/command-line.md): `npm pack`
 * of this repository and of `packages/create-lede-blog`, both installed
 * into a folder outside the repository offline (from the tarballs, and the
 * npm cache that `npm ci` filled, through a lock file made from this
 * repository's), then a blog made with `create-lede-blog` and run with its
 * own scripts: `check`, `serve`, `export`, as a writer would.
 */
import { execFile, type ExecFileOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startChildServer } from '../helpers/child-server.js';
import { ROOT } from '../helpers/site.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: readonly string[], options: ExecFileOptions): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 170_000, maxBuffer: 64 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

interface PackedFile {
  path: string;
  size: number;
}

interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  files: PackedFile[];
}

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dev?: boolean;
  dependencies?: Record<string, string>;
  bin?: Record<string, string>;
  [key: string]: unknown;
}

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  bin?: Record<string, string>;
  scripts?: Record<string, string>;
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

async function pack(dir: string, into: string): Promise<Packed> {
  const result = await run(npm, ['pack', '--json', '--pack-destination', into], { cwd: dir, env: process.env });
  if (result.code !== 0) throw new Error(`npm pack in ${dir} failed: ${result.stderr}`);
  // `prepack` (the build) may print before npm's JSON.
  return (JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as Packed[])[0]!;
}

function integrityOf(file: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

/**
 * A lock file for a project that depends on the two tarballs: theirs, and
 * this repository's entries for everything Lede needs at run time (not its
 * dev tools), so `npm ci --offline` resolves nothing from the registry.
 */
function lockFor(tarballs: { manifest: Manifest; file: string }[]): object {
  const repoLock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const dependencies = Object.fromEntries(tarballs.map(({ manifest, file }) => [manifest.name, `file:${file}`]));
  const packages: Record<string, LockEntry | object> = { '': { name: 'blog-tools', dependencies } };
  for (const [key, entry] of Object.entries(repoLock.packages)) {
    if (key.startsWith('node_modules/') && !entry.dev) packages[key] = entry;
  }
  for (const { manifest, file } of tarballs) {
    packages[`node_modules/${manifest.name}`] = {
      version: manifest.version,
      resolved: `file:${file}`,
      integrity: integrityOf(file),
      dependencies: manifest.dependencies ?? {},
      bin: manifest.bin ?? {},
    };
  }
  return { name: 'blog-tools', lockfileVersion: 3, requires: true, packages };
}

describe('the lede-blog package', () => {
  let tmp: string;
  let packed: Packed;
  let tools: string;
  let blog: string;
  const own = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
  // npm's own variables from the `npm test` that runs this (its cwd, its scripts' settings) stay out.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_(package|lifecycle|config_(prefix|global))/.test(key) && key !== 'INIT_CWD'),
  );

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), 'lede-package-'));
    packed = await pack(ROOT, tmp);
    const creator = await pack(path.join(ROOT, 'packages', 'create-lede-blog'), tmp);
    const creatorManifest = JSON.parse(readFileSync(path.join(ROOT, 'packages', 'create-lede-blog', 'package.json'), 'utf8')) as Manifest;
    tools = path.join(tmp, 'blogs');
    mkdirSync(tools);
    const tarballs = [
      { manifest: own, file: path.join(tmp, packed.filename) },
      { manifest: creatorManifest, file: path.join(tmp, creator.filename) },
    ];
    const lock = lockFor(tarballs);
    writeFileSync(
      path.join(tools, 'package.json'),
      JSON.stringify({ name: 'blog-tools', private: true, dependencies: (lock as { packages: { '': { dependencies: object } } }).packages[''].dependencies }),
    );
    writeFileSync(path.join(tools, 'package-lock.json'), JSON.stringify(lock));
    const installed = await run(npm, ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: tools, env });
    if (installed.code !== 0) throw new Error(`npm ci --offline of the packed tarballs failed: ${installed.stderr}`);
    const created = await run(process.execPath, [path.join(tools, 'node_modules', '.bin', 'create-lede-blog'), 'my-blog'], { cwd: tools, env });
    if (created.code !== 0) throw new Error(`create-lede-blog failed: ${created.stderr}`);
    blog = path.join(tools, 'my-blog');
  }, 180_000);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('should pack the built code, views, assets, the scaffold and the docs, and nothing a blog does not need', () => {
    const files = packed.files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/lede.js',
        'dist/server.js',
        'dist/render/render-worker.js',
        'views/post.ejs',
        'public/style.css',
        'scaffold/content/welcome.md',
        'scaffold/gitignore',
      ]),
    );
    expect(files.filter((f) => /^(src|test|bench|scripts|content|deploy|packages)\/|\.map$|\.tsbuildinfo$|\.ts$/.test(f))).toEqual([]);
    // Under 5 MB without its dependencies (docs/command-line.md gives the figure).
    expect(packed.unpackedSize).toBeLessThan(5 * 1024 * 1024);
  });

  it('should install without compiling: no install scripts, and no TypeScript among what it installs', () => {
    const manifest = JSON.parse(readFileSync(path.join(tools, 'node_modules', 'lede-blog', 'package.json'), 'utf8')) as Manifest;
    expect(Object.keys(manifest.scripts ?? {}).filter((s) => /^(pre|post)?install$|^prepare$/.test(s))).toEqual([]);
    expect(existsSync(path.join(tools, 'node_modules', 'typescript'))).toBe(false);
    expect(existsSync(path.join(tools, 'node_modules', 'tsx'))).toBe(false);
  });

  it('should make a blog with create-lede-blog: package.json depending on Lede, a welcome post, settings, .gitignore and a README', () => {
    const manifest = JSON.parse(readFileSync(path.join(blog, 'package.json'), 'utf8')) as Manifest;
    expect(manifest.dependencies).toEqual({ [own.name]: `^${own.version}` });
    expect(manifest.scripts).toMatchObject({ start: 'lede serve', dev: 'lede dev', check: 'lede check' });
    expect(readFileSync(path.join(blog, 'content', 'welcome.md'), 'utf8')).toMatch(/^---\ntitle: Welcome to your blog\n[\s\S]*publish_date: "\d{4}-\d\d-\d\d"/);
    expect(readFileSync(path.join(blog, '.gitignore'), 'utf8')).toMatch(/^node_modules\/$/m);
    expect(readFileSync(path.join(blog, 'README.md'), 'utf8')).toMatch(/npm run dev/);
  });

  it('should refuse to make a blog in a folder that holds anything, changing nothing', async () => {
    const again = await run(process.execPath, [path.join(tools, 'node_modules', '.bin', 'lede'), 'init', 'my-blog'], { cwd: tools, env });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^lede init: my-blog is not empty/);
  });

  it('should check the new blog with its own `npm run check`', async () => {
    const checked = await run(npm, ['run', '--silent', 'check'], { cwd: blog, env });
    expect(checked.stderr).toBe('');
    expect(checked.stdout).toMatch(/^✔ no problems: 1 post in content /m);
    expect(checked.code).toBe(0);
  });

  it('should print its version and its commands', async () => {
    const lede = path.join(tools, 'node_modules', '.bin', 'lede');
    expect((await run(process.execPath, [lede, '--version'], { cwd: blog, env })).stdout.trim()).toBe(own.version);
    const help = await run(process.execPath, [lede, '--help'], { cwd: blog, env });
    for (const command of ['serve', 'dev', 'check', 'new', 'export', 'init']) expect(help.stdout).toMatch(new RegExp(`^  lede ${command} `, 'm'));
  });

  it('should serve the blog with `lede serve <folder>`, in production', async () => {
    const server = await startChildServer(
      path.join(blog, 'content'),
      {},
      { script: path.join(tools, 'node_modules', '.bin', 'lede'), args: ['serve', 'content'], cwd: blog },
    );
    try {
      const index = await fetch(`http://127.0.0.1:${server.port}/`);
      expect(index.status).toBe(200);
      expect(await index.text()).toMatch(/<title>My Blog<\/title>/);
      const post = await fetch(`http://127.0.0.1:${server.port}/posts/welcome`);
      expect(post.status).toBe(200);
      expect(await post.text()).toMatch(/<h1[^>]*>Welcome to your blog<\/h1>/);
      expect(server.logs.find((l) => String(l.msg).startsWith('Lede is serving'))).toMatchObject({ env: 'production', contentDir: path.join(blog, 'content') });
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('should export the blog with its own `npm run export`', async () => {
    const exported = await run(npm, ['run', '--silent', 'export'], { cwd: blog, env: { ...env, SITE_URL: 'https://blog.example.com' } });
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(readFileSync(path.join(blog, 'site', 'posts', 'welcome', 'index.html'), 'utf8')).toMatch(/Welcome to your blog/);
    expect(readFileSync(path.join(blog, 'site', 'feed.xml'), 'utf8')).toMatch(/https:\/\/blog\.example\.com\/posts\/welcome/);
  });
});
