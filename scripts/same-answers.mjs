/**
 * Same answers from two builds: `node scripts/same-answers.mjs OLD_ROOT NEW_ROOT CONTENT_DIR PORT`
 * starts each root's built server (`dist/server.js`) on the same content
 * folder (ports PORT and PORT+1), requests every page reachable from `/`
 * plus fixed paths (feeds, sitemap, search, 404s, hostile addresses), as is
 * and gzipped, and prints every difference of status, headers (but Date and
 * the request id) or body bytes. Exit 1 on any. A refactoring that promises
 * unchanged behaviour shows it with this (docs/contributing.md). Files
 * served with their mtime (public/, views/) must have the same mtimes in both
 * roots: `touch -r` them.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
const [, , oldRoot, newRoot, contentDir, basePort] = process.argv;
const SKIP_HEADERS = new Set(['date', 'x-request-id', 'keep-alive', 'connection']);
function get(port, path, enc) {
  return new Promise((resolve, reject) => {
    const req = http.get({ port, path, headers: { 'accept-encoding': enc, accept: 'text/html,*/*' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          headers: Object.fromEntries(Object.entries(res.headers).filter(([k]) => !SKIP_HEADERS.has(k))),
          body: Buffer.concat(chunks),
        }),
      );
    });
    req.on('error', reject);
  });
}
async function start(root, port) {
  const child = spawn(process.execPath, ['dist/server.js'], {
    cwd: root,
    env: {
      ...process.env,
      CONTENT_DIR: contentDir,
      PORT: String(port),
      NODE_ENV: 'production',
      LOG_LEVEL: 'error',
      SITE_URL: 'https://blog.example.com',
      CONTENT_WATCH: 'poll',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    try {
      const r = await get(port, '/healthz', 'identity');
      if (r.status === 200) return child;
    } catch {
      // not listening yet: ask again after a moment, until 30 s have passed
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server of ${root} did not answer /healthz within 30 s`);
}
const a = await start(oldRoot, +basePort),
  b = await start(newRoot, +basePort + 1);
const seen = new Set();
const queue = [
  '/',
  '/feed.xml',
  '/atom.xml',
  '/feed.json',
  '/sitemap.xml',
  '/robots.txt',
  '/tags',
  '/archive',
  '/search?q=the',
  '/search.json?q=the',
  '/nope',
  '/posts/nope',
  '/POSTS/x',
  '/assets/nope.css',
  '/%ff',
];
let diffs = 0,
  n = 0;
while (queue.length && n < 400) {
  const p = queue.shift();
  if (seen.has(p)) continue;
  seen.add(p);
  n++;
  for (const enc of ['identity', 'gzip']) {
    const [x, y] = await Promise.all([get(+basePort, p, enc), get(+basePort + 1, p, enc)]);
    const hx = JSON.stringify(x.headers),
      hy = JSON.stringify(y.headers);
    if (x.status !== y.status || hx !== hy || !x.body.equals(y.body)) {
      diffs++;
      console.log(
        'DIFF',
        p,
        enc,
        x.status,
        y.status,
        hx === hy ? '' : `\n  old ${hx}\n  new ${hy}`,
        x.body.equals(y.body) ? '' : `body ${x.body.length} vs ${y.body.length}`,
      );
    }
    if (enc === 'identity' && /html|xml/.test(String(x.headers['content-type']))) {
      for (const m of x.body.toString('utf8').matchAll(/(?:href|src)="([^"#]+)/g)) {
        let u = m[1].replace(/&amp;/g, '&');
        if (u.startsWith('https://blog.example.com')) u = u.slice('https://blog.example.com'.length) || '/';
        if (u.startsWith('/') && !u.startsWith('//')) queue.push(u);
      }
    }
  }
}
a.kill();
b.kill();
console.log(`${contentDir}: ${n} paths x 2 encodings, ${diffs} differences`);
process.exit(diffs ? 1 : 0);
