/**
 * "One post stalls the whole server" and "one post makes other pages 500":
 * bodies render on worker threads with a time limit, so other requests are
 * answered while a hostile post renders, a post over its budget is a content
 * error like broken YAML, and every page that shows several posts leaves a
 * failing post out instead of failing itself.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { runCli } from '../helpers/cli.js';
import { eventually, TempContent, testApp } from '../helpers/site.js';

/** `_a` 100,000 times: marked's emphasis scan is quadratic on it (40,000 held the loop 4 s). */
const SLOW_BODY = '_a'.repeat(100_000);
/** Nested far past marked's recursion: it throws `RangeError`. */
const DEEP_BODY = `${'>'.repeat(100_000)} deep`;
const LIMIT_MS = 1000;

/** Fires `slow`, and `/healthz` again and again until it is answered; true when some `/healthz` came back first. */
async function answeredMeanwhile(app: LedeApp, slow: () => Promise<unknown>): Promise<boolean> {
  let slowDone = false;
  let healthyBefore = false;
  const running = slow().finally(() => (slowDone = true));
  while (!slowDone) {
    const res = await request(app).get('/healthz');
    if (res.status === 200 && !slowDone) healthyBefore = true;
    if (healthyBefore) break;
  }
  await running;
  return healthyBefore;
}

describe('the render budget (production)', () => {
  const content = new TempContent();
  const logs: string[] = [];
  let app: LedeApp;

  beforeAll(() => {
    content.post('good.md', { title: 'Good one', publish_date: '2024-01-01', tags: ['ai'], author: 'Ann' }, 'Plain good text.');
    content.post('brackets.md', { title: 'Brackets', publish_date: '2024-01-02', tags: ['ai'], author: 'Ann' }, '['.repeat(100_000));
    content.post('dollars.md', { title: 'Dollars', publish_date: '2024-01-03' }, `\`\`\`java\n${'$'.repeat(30_000)}\n\`\`\`\n`);
    content.post('slow.md', { title: 'Slow one', publish_date: '2024-01-04', tags: ['ai'], author: 'Ann' }, SLOW_BODY);
    content.post('deep.md', { title: 'Deep one', publish_date: '2024-01-05', tags: ['ai'], author: 'Ann' }, DEEP_BODY);
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logs.push(line) });
    app = testApp(content, { env: 'production', renderTimeoutMs: LIMIT_MS }, { logger });
  });
  afterAll(() => content.cleanup());

  it('should answer /healthz while a post over its budget renders, then leave it out as a content error', async () => {
    let slow: request.Response | undefined;
    expect(await answeredMeanwhile(app, async () => (slow = await request(app).get('/posts/slow')))).toBe(true);
    expect(slow!.status).toBe(404);
    expect(logs.join('')).toMatch(/slow\.md: is too slow to render: it ran over the 1000 ms limit \(RENDER_TIMEOUT_MS\), and over twice that when tried again/);
  });

  it('should report a body nested past marked’s recursion (RangeError on the main thread) the same way', async () => {
    expect((await request(app).get('/posts/deep')).status).toBe(404);
    // It throws (RangeError) or runs over the limit, as deep as a thread's stack allows: a content error either way.
    expect(logs.join('')).toMatch(/deep\.md: (cannot be rendered|is too slow to render)/);
  });

  it('should serve every page that lists several posts, leaving those two out', async () => {
    for (const url of ['/', '/tags', '/tags/ai', '/authors/ann', '/feed.xml', '/atom.xml', '/feed.json', '/sitemap.xml']) {
      const res = await request(app).get(url);
      expect([url, res.status]).toEqual([url, 200]);
      expect([url, /Slow one|Deep one|\/posts\/slow|\/posts\/deep/.test(res.text)]).toEqual([url, false]);
    }
    expect((await request(app).get('/')).text).toContain('Good one');
  });

  it('should count them in /healthz', async () => {
    expect((await request(app).get('/healthz')).body).toMatchObject({ errors: 2 });
  });

  it('should serve posts that used to stall the loop: a run of [ with no description, a long java fence', async () => {
    const brackets = await request(app).get('/posts/brackets');
    expect(brackets.status).toBe(200);
    const dollars = await request(app).get('/posts/dollars');
    expect(dollars.status).toBe(200);
    // Over the highlighting cap: plain code, no colour spans.
    expect(dollars.text).toContain('<code class="hljs language-java">$$$$');
  });
});

describe('the last good version of a post that becomes too slow', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('post.md', { title: 'Version one', publish_date: '2024-01-01' }, 'First text.');
    app = testApp(content, { env: 'production', renderTimeoutMs: LIMIT_MS });
  });
  afterAll(() => content.cleanup());

  it('should keep serving the last good version, and say so in /healthz', async () => {
    expect((await request(app).get('/posts/post')).text).toContain('First text.');
    content.post('post.md', { title: 'Version two', publish_date: '2024-01-01' }, SLOW_BODY);
    content.touch('post.md');
    // The edit is rendered in the background as soon as it is seen; the page never goes away.
    await eventually(async () => expect((await request(app).get('/healthz')).body).toMatchObject({ errors: 1 }));
    const res = await request(app).get('/posts/post');
    expect(res.status).toBe(200);
    expect(res.text).toContain('First text.');
    // The feed renders the last good version on a thread of its own, which may be starting after the
    // slow one's was stopped: without it at first on a busy machine, with it once it lands.
    await eventually(async () => expect((await request(app).get('/feed.xml')).text).toContain('Version one'));
  });
});

describe('a standalone page that cannot be rendered', () => {
  const content = new TempContent();
  const logs: string[] = [];
  let app: LedeApp;
  beforeAll(() => {
    content.post('post.md', { title: 'A post', publish_date: '2024-01-01' }, 'Text.');
    content.post('pages/deep.md', { title: 'Deep page' }, DEEP_BODY);
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logs.push(line) });
    app = testApp(content, { env: 'production', renderTimeoutMs: LIMIT_MS }, { logger });
  });
  afterAll(() => content.cleanup());

  it('should answer 404, name the file in the log and count it in /healthz, as a post', async () => {
    expect((await request(app).get('/deep')).status).toBe(404);
    expect(logs.join('')).toMatch(/pages\/deep\.md: (cannot be rendered|is too slow to render)/);
    expect((await request(app).get('/healthz')).body).toMatchObject({ errors: 1 });
    expect((await request(app).get('/sitemap.xml')).text).not.toContain('/deep');
  });
});

describe('npm run check on a post too slow to render', () => {
  const content = new TempContent();
  beforeAll(() => {
    content.post('fine.md', { title: 'Fine', publish_date: '2024-01-01' });
    content.post('slow.md', { title: 'Slow', publish_date: '2024-01-01' }, SLOW_BODY);
    // A page with a formula too: check used to render it on its own thread for the math scan, for as long as it took.
    content.post('pages/slow-page.md', { title: 'Slow page' }, `$x$ ${SLOW_BODY}`);
  });
  afterAll(() => content.cleanup());

  it('should name the file and say it is too slow to render', async () => {
    const result = await runCli('check', [content.dir], { cwd: content.dir, env: { RENDER_TIMEOUT_MS: String(LIMIT_MS) } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^slow\.md: is too slow to render/m);
    expect(result.stdout).toMatch(/^pages\/slow-page\.md: is too slow to render/m);
    expect(result.stdout).not.toMatch(/fine\.md/);
  });
});

describe('npm run check on a post too slow to render, or that throws, among many (rendered many to a message)', () => {
  const content = new TempContent();
  beforeAll(() => {
    for (let i = 0; i < 150; i++) {
      const name = `p${String(i).padStart(3, '0')}.md`;
      // Around the hostile posts, in their batch and after: posts whose checks find something.
      const body = i === 70 ? SLOW_BODY : i === 71 ? DEEP_BODY : i === 72 || i === 140 ? `Text.\n\n![a photo](photo-${i}.png)\n` : `Post ${i}, plain text.\n`;
      content.post(name, { title: `Post ${i}`, publish_date: '2024-01-01' }, body);
    }
  });
  afterAll(() => content.cleanup());

  it('should name each, and still check the posts around them', async () => {
    const result = await runCli('check', [content.dir], { cwd: content.dir, env: { RENDER_TIMEOUT_MS: String(LIMIT_MS) } });
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.slice(0, -1)).toEqual([
      expect.stringMatching(/^p070\.md: is too slow to render: it ran over the 1000 ms limit/),
      expect.stringMatching(/^p071\.md: (cannot be rendered|is too slow to render)/),
      'p072.md:8: image "photo-72.png" does not exist: tried photo-72.png',
      'p140.md:8: image "photo-140.png" does not exist: tried photo-140.png',
    ]);
    expect(lines.at(-1)).toMatch(/^✖ 4 problems in 4 files; 150 posts read from \. /);
  }, 90_000);
});
