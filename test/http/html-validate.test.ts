/**
 * The pages are valid HTML, judged by html-validate's recommended preset.
 * Three of its rules are about the look of the source, not its meaning, and
 * are turned off: `doctype-style` (HTML5 allows `<!doctype html>` in lower
 * case), `no-trailing-whitespace` (EJS leaves spaces where a tag block was;
 * browsers ignore them) and `long-title` (an article's title is its headline
 * plus the site name: its length is the author's choice).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HtmlValidate, type Message } from 'html-validate';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { discoveryApp, writeDiscoverySite } from '../helpers/discovery.js';
import { TempContent } from '../helpers/site.js';
import { testWork } from '../helpers/loop-watch.js';

const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: { 'doctype-style': 'off', 'no-trailing-whitespace': 'off', 'long-title': 'off' },
});

const describeMessage = (m: Message) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`;

describe('HTML validity (html-validate)', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    writeDiscoverySite(content);
    content.post(
      'rich.md',
      { title: 'Rich', publish_date: '2020-01-01' },
      'Inline $x^2$, display:\n\n$$\n\\frac{a}{b}\n$$\n\nIn a paragraph $$\\sqrt{2}$$ too, and a typo $\\frac{1}{$.\n\n## Area $\\pi r^2$\n\n```mermaid\ngraph TD; A-->B\n```\n',
    );
    content.post(
      'pages/about.md',
      { title: 'About', publish_date: '2024-01-01', author: 'Ann Lee', cta: 'Say [hello](mailto:a@example.com).' },
      'A standalone page.\n',
    );
    app = discoveryApp(content, {
      posts_per_page: 5,
      cta: 'Enjoyed it? [Subscribe](/feed.xml).',
      nav: [
        { label: 'Home', url: '/' },
        { label: 'Tags', url: '/tags' },
        { label: 'About', url: '/about' },
      ],
      logo: '/img/logo.svg',
      accent_color: '#1e6fd9',
      footer_text: 'Written by [us](/about).',
    });
  });
  afterAll(() => content.cleanup());

  it.each([
    ['the index', '/', 200],
    ['an index page with pagination', '/page/2', 200],
    ['the sample article', '/posts/deepseek-rising-challenger', 200],
    ['an article with tags and a bundle', '/posts/bundle', 200],
    ['the tag index', '/tags', 200],
    ['a tag page', '/tags/weekly', 200],
    ['a further tag page', '/tags/weekly/page/2', 200],
    ['an author page', '/authors/ann-lee', 200],
    ['the archive', '/archive', 200],
    ['a standalone page', '/about', 200],
    ['the search form', '/search', 200],
    ['search results with snippets and pagination', '/search?q=weekly', 200],
    ['a search with no results', '/search?q=nothing-like-this', 200],
    ['the 404 page', '/no-such-page', 404],
  ])('should find no errors in %s (%s)', async (_name, url, status) => {
    const res = await request(app).get(url).set('Accept', 'text/html');
    expect(res.status).toBe(status);
    const report = await testWork(() => validator.validateString(res.text));
    const messages = report.results.flatMap((r) => r.messages.map(describeMessage));
    expect(messages).toEqual([]);
    expect(report.valid).toBe(true);
  });

  // KaTeX places glyphs with `style` attributes (the page's CSP allows them there): the one rule
  // they break is html-validate's stylistic `no-inline-style`; MathML and the rest must be valid.
  it("should find no errors but KaTeX's inline styles in an article with math and a diagram", async () => {
    const res = await request(app).get('/posts/rich');
    const report = await testWork(() => validator.validateString(res.text));
    const messages = report.results.flatMap((r) => r.messages.filter((m) => m.ruleId !== 'no-inline-style').map(describeMessage));
    expect(messages).toEqual([]);
    expect(res.text).toMatch(/<math /);
  });

  it('should catch an error when there is one (the validator is really on)', async () => {
    const report = await testWork(() =>
      validator.validateString('<!doctype html><html lang="en"><head><title>x</title></head><body><p><div></p></body></html>'),
    );
    expect(report.valid).toBe(false);
  });
});
