/**
 * Other tools' markup on hostile input (issue 29): a 400 KB line of the
 * markers the new forms read (`:::`, `!!!`, `[!`, `++`, `=== "`, `{:`) is
 * served within the default render budget, as any post: rendered on a
 * thread with the production limit, answered 200 rather than left out as
 * too slow. (Most of the time a line of `[!` takes is marked's own and its
 * footnote and math extensions'.)
 *
 * And the pass that translates those forms runs on the render threads for
 * a body over `MAX_TRANSLATED_AT_PARSE_CHARS` (src/content/body-translation.ts):
 * 256 KB of them saved while the server runs hold its event loop no longer
 * than any post (on the main thread, a `!!! note` line each cost 0.15-0.4 s).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { MAX_TRANSLATED_BODY_CHARS } from '../../src/content/bounds.js';
import { DEFAULT_RENDER_TIMEOUT_MS } from '../../src/config.js';
import { watchEventLoop } from '../helpers/loop-watch.js';
import { eventually, TempContent, testApp } from '../helpers/site.js';

const UNITS: Record<string, string> = {
  colons: ':::',
  bangs: '!!! note ',
  questions: '??? tip "',
  alerts: '> [!NOTE] ',
  callout: '[!',
  keys: '++ctrl+',
  chained: '++a++.',
  tabs: '=== "',
  attrs: '{: .a ',
  directive: '::a{b=',
  toc: '[[TOC]]',
};

describe('hostile other tools’ markup (production render budget)', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    let day = 1;
    for (const [name, unit] of Object.entries(UNITS)) {
      const line = unit.repeat(Math.ceil(400_000 / unit.length));
      content.post(`${name}.md`, { title: name, publish_date: `2024-01-${String(day++).padStart(2, '0')}` }, `${line}\n`);
    }
    app = testApp(content, { env: 'production', renderTimeoutMs: DEFAULT_RENDER_TIMEOUT_MS });
  });
  afterAll(() => content.cleanup());

  it.each(Object.keys(UNITS))('should serve a 400 KB line of %s within the budget', async (name) => {
    expect((await request(app).get(`/posts/${name}`)).status).toBe(200);
  });

  it('should count no post over its budget', async () => {
    expect((await request(app).get('/healthz')).body).toMatchObject({ errors: 0 });
  });
});

/** Lines of the forms the translating pass reads line by line, each with what its page shows of it. */
const LINE_FORMS: Record<string, { line: string; shows: RegExp }> = {
  bangs: { line: '!!! note\n', shows: /class="callout callout-note"/ },
  questions: { line: '??? tip\n', shows: /<details class="callout callout-tip"/ },
  tabs: { line: '=== "a"\n', shows: /class="tab/ },
  colons: { line: ':::note\ntext\n:::\n', shows: /class="callout callout-note"/ },
  hugo: { line: '{{% note %}}\n', shows: /note/ },
  liquid: { line: '{% include x.html %}\n', shows: /include x\.html/ },
};

describe('other tools’ markup translated off the main thread', () => {
  watchEventLoop();
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(async () => {
    content.post('first.md', { title: 'First', publish_date: '2024-01-01' }, 'A post there from the start.');
    app = testApp(content, { env: 'production', renderTimeoutMs: DEFAULT_RENDER_TIMEOUT_MS });
    expect((await request(app).get('/posts/first')).status).toBe(200);
  });
  afterAll(() => content.cleanup());

  it.each(Object.keys(LINE_FORMS))('should read 256 KB of %s lines saved while it runs, and render them translated', async (name) => {
    const { line, shows } = LINE_FORMS[name]!;
    // Just within the bound, so it is translated: on a render thread.
    const body = line.repeat(Math.floor((MAX_TRANSLATED_BODY_CHARS - 1024) / line.length));
    content.post(`saved-${name}.md`, { title: `Saved ${name}`, publish_date: '2024-02-01' }, body);
    await eventually(async () => {
      const res = await request(app).get(`/posts/saved-${name}`);
      expect(res.status).toBe(200);
      expect(res.text).toMatch(shows);
    });
  });
});
