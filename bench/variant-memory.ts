/**
 * The memory and the static-file latency of variant jobs (docs/rich-content.md,
 * Images): a built server (`dist/server.js` of the folder given, default this
 * one) with four 8192 x 8192 PNGs in one post, 8 concurrent variant requests
 * (the largest AVIF and WebP of each), a static file asked for meanwhile;
 * prints the server's peak and final RSS (VmHWM, VmRSS) and the static file's
 * time. `npx tsx bench/variant-memory.ts [lede folder]`
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

const root = path.resolve(process.argv[2] ?? '.');
const content = mkdtempSync(path.join(tmpdir(), 'lede-variant-memory-'));
const cache = mkdtempSync(path.join(tmpdir(), 'lede-variant-cache-'));
const port = 3900 + Math.floor(Math.random() * 90);

async function main(): Promise<void> {
  mkdirSync(path.join(content, 'huge'));
  mkdirSync(path.join(content, 'static'));
  for (let i = 0; i < 4; i++) {
    const png = await sharp({ create: { width: 8192, height: 8192, channels: 3, background: { r: 40 * i, g: 120, b: 200 } } })
      .png({ compressionLevel: 1 })
      .toBuffer();
    writeFileSync(path.join(content, 'huge', `huge-${i}.png`), png);
  }
  writeFileSync(
    path.join(content, 'huge', 'index.md'),
    `---\ntitle: Huge\npublish_date: 2024-01-01\n---\n\n${[0, 1, 2, 3].map((i) => `![${i}](huge-${i}.png)`).join('\n\n')}\n`,
  );
  writeFileSync(path.join(content, 'static', 'notes.txt'), 'A static file.\n');
  const child = spawn(process.execPath, [path.join(root, 'dist', 'server.js')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', CONTENT_DIR: content, IMAGE_CACHE_DIR: cache, NODE_ENV: 'production', LOG_LEVEL: 'silent' },
    stdio: 'inherit',
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/healthz`);
    const page = await (await fetch(`${base}/posts/huge`)).text();
    const urls = [...page.matchAll(/srcset="([^"]*)"/g)].map((m) => m[1]!.split(', ').at(-1)!.split(' ')[0]!.replace(/&amp;/g, '&'));
    const rssBefore = status(child.pid!, 'VmRSS');
    const started = performance.now();
    const variants = Promise.all(urls.map(async (url) => (await fetch(base + url)).status));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const fileStarted = performance.now();
    await (await fetch(`${base}/notes.txt`)).text();
    const fileMs = performance.now() - fileStarted;
    const statuses = await variants;
    const allMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    console.log(
      JSON.stringify({
        requests: urls.length,
        statuses,
        rssBeforeMB: rssBefore,
        peakRssMB: status(child.pid!, 'VmHWM'),
        rssAfterMB: status(child.pid!, 'VmRSS'),
        staticFileMs: Math.round(fileMs),
        allVariantsMs: Math.round(allMs),
      }),
    );
  } finally {
    child.kill('SIGTERM');
    rmSync(content, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
}

function status(pid: number, field: string): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(field))!;
  return Math.round(Number(/(\d+)/.exec(line)![1]) / 1024);
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never answered`);
}

await main();
