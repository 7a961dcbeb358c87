/**
 * A post that opens with a heading, math, a footnote and a task list reads
 * cleanly where its text is shown without its markup: its index card, its
 * meta description and its search snippet, all read from its text by
 * src/content/text.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { TempContent, testApp } from '../helpers/site.js';

const BODY = [
  '## How',
  '',
  '### What next',
  '',
  'We reject when $t = t_{stat} \\cdot \\frac{\\text{hits}}{n}$ passes the bar[^hard], at 5 &amp; 10 per cent.',
  '',
  '- [x] Measured the zeppelin',
  '- [ ] Wrote it up',
  '',
  '[^hard]: The hard part.',
  '',
].join('\n');

/** What no reader should see in text made from this body. */
const SOURCE_MARKS = /\$|\[\^|\[x\]|\[ \]|&amp;|##|How What/;

describe('summaries and snippets of a post with math, notes and tasks', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('2024-03-01-stats.md', { title: 'A test of significance' }, BODY);
    app = testApp(content);
  });
  afterAll(() => content.cleanup());

  it('should show the index card as the rendered text reads', async () => {
    const res = await request(app).get('/');
    expect(res.status).toBe(200);
    const summary = cheerio.load(res.text)('.card__summary').first().text();
    expect(summary).toBe(
      'How. What next. We reject when t = t_{stat} \\cdot \\frac{hits}{n} passes the bar, at 5 & 10 per cent. Measured the zeppelin Wrote it up The hard part.',
    );
    expect(summary).not.toMatch(SOURCE_MARKS);
  });

  it('should give the same text as the meta description', async () => {
    const res = await request(app).get('/posts/stats');
    expect(res.status).toBe(200);
    const description = cheerio.load(res.text)('meta[name="description"]').attr('content');
    expect(description).toContain('We reject when t = t_{stat}');
    expect(description).not.toMatch(SOURCE_MARKS);
  });

  it("should give the same text as the feed item's description", async () => {
    const res = await request(app).get('/feed.xml');
    expect(res.status).toBe(200);
    // RSS's description is HTML: its text is what a feed reader shows.
    const html = cheerio.load(res.text, { xml: true })('item > description').first().text();
    const description = cheerio.load(html).text();
    expect(description).toContain('How. What next. We reject when t = t_{stat}');
    expect(description).not.toMatch(SOURCE_MARKS);
  });

  it('should cut the search snippets from the same readable text', async () => {
    const snippetOf = async (q: string): Promise<string> => {
      const res = await request(app).get(`/search.json?q=${q}`);
      expect(res.status).toBe(200);
      const [hit] = (res.body as { results: { url: string; snippet: string }[] }).results;
      expect(hit?.url).toBe('/posts/stats');
      return hit!.snippet;
    };
    const tasks = await snippetOf('zeppelin');
    expect(tasks).toContain('per cent. Measured the <mark>zeppelin</mark> Wrote it up The hard part.');
    const formula = await snippetOf('hits');
    expect(formula).toContain('We reject when t = t_{stat} \\cdot \\frac{<mark>hits</mark>}{n} passes the bar, at 5 &amp; 10');
    for (const snippet of [tasks, formula]) expect(cheerio.load(snippet).text()).not.toMatch(SOURCE_MARKS);
  });
});
