/**
 * The text summaries and search are made from reads as the rendered page
 * does: math as its TeX, footnote marks and task boxes gone, headings a
 * sentence of their own, code as its text, no tags, entities decoded
 * (src/content/text.ts: excerpts and word counts on the render threads,
 * search's index and snippets on the main thread, in time linear in the
 * body whatever it holds: test/hostile/linear-text.test.ts).
 */
import { describe, expect, it } from '@jest/globals';
import { plainText, summarize } from '../../src/content/text.js';

const read = (markdown: string, code: boolean): string => plainText(markdown, { code });

describe('the readable text of a body', () => {
  it('should give math as its TeX, underscores kept and \\text unwrapped, without delimiters', () => {
    const text = read('Reject when $t = t_{stat} \\cdot \\frac{\\text{hits}}{n}$ is large.\n\n$$\nE = mc^2\n$$\n', false);
    expect(text).toBe('Reject when t = t_{stat} \\cdot \\frac{hits}{n} is large. E = mc^2');
  });

  it('should leave prices as text, not math', () => {
    expect(read('It cost $5 and $10 in total.', false)).toBe('It cost $5 and $10 in total.');
  });

  it('should drop footnote marks and keep the note as text', () => {
    expect(read('A hard claim[^hard] stands.\n\n[^hard]: The hard part.\n', false)).toBe('A hard claim stands. The hard part.');
  });

  it('should drop task boxes', () => {
    expect(read('- [x] Done it\n- [ ] To do\n', false)).toBe('Done it To do');
  });

  it('should end each heading with a sentence break', () => {
    expect(read('## How\n\n### What next\n\nWe go on.\n\n## Why?\n\nBecause.', false)).toBe('How. What next. We go on. Why? Because.');
  });

  it('should keep code spans as text, and code blocks for search only', () => {
    const markdown = 'Call `snake_case()` first.\n\n```js\nconst a_b = 1;\n```\n\nThen stop.';
    expect(read(markdown, false)).toBe('Call snake_case() first. Then stop.');
    expect(read(markdown, true)).toBe('Call snake_case() first. const a_b = 1; Then stop.');
  });

  it('should never read a diagram as text', () => {
    expect(read('Look:\n\n```mermaid\ngraph TD; A-->B\n```\n', true)).toBe('Look:');
  });

  it('should remove HTML tags and what is never shown, and decode entities', () => {
    const markdown = 'Fish &amp; chips &eacute;t&#233; &lt;b&gt;.\n\n<p>Hello <b>there</b></p>\n<script>alert(1)</script>\n';
    expect(read(markdown, false)).toBe('Fish & chips été <b>. Hello there');
  });

  it('should read emphasis, links and escapes as their text', () => {
    expect(read('Some **bold _words_**, a [link](https://example.com) and \\*stars\\*.', false)).toBe('Some bold words, a link and *stars*.');
  });
});

describe('a summary (the excerpt cards and the meta description show)', () => {
  it('should read a post that opens with math and notes cleanly', () => {
    const markdown = '## The test\n\n$t = t_{stat} \\frac{\\text{hits}}{n}$ decides[^1].\n\n- [x] checked\n\n[^1]: See the paper.\n';
    const { excerpt, wordCount } = summarize(markdown);
    expect(excerpt).toBe('The test. t = t_{stat} \\frac{hits}{n} decides. checked See the paper.');
    expect(excerpt).not.toMatch(/\[\^|\[x\]|\$/);
    expect(wordCount).toBeGreaterThan(5);
  });

  it('should take the excerpt before <!--more-->, read the same way', () => {
    expect(summarize('# Intro\n\nFirst $x_1$ part.\n\n<!--more-->\n\nRest.').excerpt).toBe('Intro. First x_1 part.');
  });

  it('should leave code blocks out of the excerpt and the word count', () => {
    expect(summarize('Before.\n\n```\nlots of code words here\n```\n\nAfter.')).toEqual({ wordCount: 2, excerpt: 'Before. After.' });
  });
});
