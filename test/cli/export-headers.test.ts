/**
 * The export's `_headers` sandboxes the files of `content/static/` as the
 * live server does (docs/deploying.md, "Security of an export"): each gets
 * the live file's policy, and every path `nosniff`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { exportSite } from '../../src/cli/export-site.js';
import { watchEventLoop } from '../helpers/loop-watch.js';
import { TempContent, testApp, testConfig } from '../helpers/site.js';

/** A `_headers` file's rules: path pattern -> header name -> values (a name may repeat). */
function parseHeaders(text: string): Map<string, Map<string, string[]>> {
  const rules = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('/')) rules.set(line, (current = new Map()));
    else if (/^\s+\S/.test(line) && current) {
      const [name, ...value] = line.trim().split(': ');
      current.set(name!, [...(current.get(name!) ?? []), value.join(': ')]);
    }
  }
  return rules;
}

// The first export in a process loads and compiles what it uses (about 100 ms of the loop held
// once, 30 ms on later exports): done before the loop is watched, like Jest's own compiling.
beforeAll(async () => {
  const warm = new TempContent();
  warm.post('warm.md', { title: 'Warm', publish_date: '2024-01-01' });
  const out = mkdtempSync(path.join(tmpdir(), 'lede-export-warm-'));
  await exportSite(testConfig(warm.dir), path.join(out, 'site'));
  rmSync(out, { recursive: true, force: true });
  warm.cleanup();
});

describe("the export's _headers for content/static/", () => {
  watchEventLoop();
  const content = new TempContent();
  let live: LedeApp;
  let outDir: string;
  let rules: Map<string, Map<string, string[]>>;
  const files = ['/evil.svg', '/img/logo.png', '/files/notes.txt'];

  beforeAll(async () => {
    content.post('hello.md', { title: 'Hello', publish_date: '2024-01-01' });
    content.write('static/evil.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    content.write('static/img/logo.png', Buffer.from('89504e470d0a1a0a', 'hex'));
    content.write('static/files/notes.txt', 'notes\n');
    outDir = path.join(mkdtempSync(path.join(tmpdir(), 'lede-export-headers-')), 'site');
    await exportSite(testConfig(content.dir, { siteUrl: 'https://blog.example.com' }), outDir);
    rules = parseHeaders(readFileSync(path.join(outDir, '_headers'), 'utf8'));
    live = testApp(content, { siteUrl: 'https://blog.example.com' });
  });
  afterAll(() => {
    live.store.close();
    live.pages.close();
    rmSync(path.dirname(outDir), { recursive: true, force: true });
    content.cleanup();
  });

  it('should give every static file the sandbox policy the live server sends it', async () => {
    for (const url of files) {
      const fromLede = await request(live).get(url);
      expect({ url, status: fromLede.status }).toEqual({ url, status: 200 });
      expect(fromLede.headers['content-security-policy']).toContain('sandbox');
      expect({ url, csp: rules.get(url)?.get('Content-Security-Policy') }).toEqual({ url, csp: [fromLede.headers['content-security-policy']] });
    }
  });

  it('should keep nosniff on every path, and the page policy and bundle rule as before', async () => {
    const page = await request(live).get('/');
    expect(rules.get('/*')?.get('X-Content-Type-Options')).toEqual(['nosniff']);
    expect(rules.get('/*')?.get('Content-Security-Policy')).toEqual([page.headers['content-security-policy']]);
    expect([...rules.keys()]).toEqual(['/*', '/posts/:slug/*', ...[...files].sort()]);
  });
});
