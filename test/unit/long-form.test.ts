import { describe, expect, it } from '@jest/globals';
import { highlightCode } from '../../src/render/highlight.js';
import { render, renderInline, type RenderOptions } from '../../src/render/markdown.js';
import { tableOfContents } from '../../src/render/toc.js';

/** The HTML of `render` (these tests were written for the HTML alone). */
const renderMarkdown = (source: string, options?: RenderOptions): string => render(source, options).html;

describe('code highlighting', () => {
  it('should colour a fenced block with a known language using hljs classes only', () => {
    const html = renderMarkdown('```ts\nconst n: number = 1; // one\n```\n');
    expect(html).toContain('<pre><code class="hljs language-ts">');
    expect(html).toContain('<span class="hljs-keyword">const</span>');
    expect(html).toContain('<span class="hljs-comment">// one</span>');
    expect(html).not.toMatch(/style=|<script/i);
  });

  it('should escape code with no language, or an unknown one, and leave it plain', () => {
    const html = renderMarkdown('```\n<b>&x</b>\n```\n\n```klingon\n<i>\n```\n');
    expect(html).toContain('<pre><code class="hljs">&lt;b&gt;&amp;x&lt;/b&gt;\n</code></pre>');
    expect(html).toContain('<code class="hljs language-klingon">&lt;i&gt;');
    expect(html).not.toContain('<span');
  });

  it('should escape markup inside highlighted code', () => {
    expect(highlightCode('const s = "<script>alert(1)</script>";', 'js')).not.toContain('<script>');
  });

  it('should know the languages added to the common set', () => {
    expect(highlightCode('FROM node:20\nRUN npm ci', 'dockerfile')).toContain('hljs-keyword');
    expect(highlightCode('server { listen 80; }', 'nginx')).toContain('hljs-section');
  });

  it('should accept language aliases and any case', () => {
    expect(highlightCode('echo hi', 'SH')).toContain('hljs-built_in');
    expect(highlightCode('x = 1', 'py')).toContain('hljs-number');
  });
});

describe('heading anchors', () => {
  it('should give each heading an id and make its text a link to it', () => {
    expect(renderMarkdown('## Why it *matters*\n')).toBe('<h2 id="why-it-matters"><a class="anchor" href="#why-it-matters">Why it <em>matters</em></a></h2>\n');
  });

  it('should not nest a link inside a heading that has one', () => {
    expect(renderMarkdown('## See [the docs](/docs)\n')).toBe('<h2 id="see-the-docs">See <a href="/docs">the docs</a></h2>\n');
  });

  it('should move every heading down a level when the body uses h1, keeping one h1 per page', () => {
    const html = renderMarkdown('# Part\n\n## Detail\n\n###### Deepest\n');
    expect(html).not.toContain('<h1');
    expect(html).toContain('<h2 id="part">');
    expect(html).toContain('<h3 id="detail">');
    expect(html).toContain('<h6 id="deepest">');
  });

  it('should keep levels as written when the body has no h1', () => {
    expect(renderMarkdown('### Small\n')).toContain('<h3 id="small">');
  });

  it('should make unique ids for repeated headings', () => {
    const html = renderMarkdown('## Notes\n\n## Notes\n');
    expect(html).toContain('id="notes"');
    expect(html).toContain('id="notes-1"');
  });

  it('should report the outline of the body just rendered, as plain text', () => {
    expect(render('## One `code`\n\ntext\n\n### One.a\n\n## Two\n').outline).toEqual([
      { level: 2, id: 'one-code', text: 'One code' },
      { level: 3, id: 'onea', text: 'One.a' },
      { level: 2, id: 'two', text: 'Two' },
    ]);
    expect(render('No headings.').outline).toEqual([]);
  });

  it('should leave inline markdown (the CTA) without headings or anchors', () => {
    expect(renderInline('[Subscribe](/feed.xml)')).toBe('<a href="/feed.xml">Subscribe</a>');
  });
});

describe('tableOfContents()', () => {
  const h = (level: number, id: string) => ({ level, id, text: id.toUpperCase() });

  it('should list three or more sections with their subsections', () => {
    expect(tableOfContents([h(2, 'a'), h(3, 'a1'), h(4, 'deep'), h(2, 'b'), h(2, 'c')], undefined)).toEqual([
      { id: 'a', text: 'A', children: [{ id: 'a1', text: 'A1', children: [] }] },
      { id: 'b', text: 'B', children: [] },
      { id: 'c', text: 'C', children: [] },
    ]);
  });

  it('should show none for a post with fewer than three sections', () => {
    expect(tableOfContents([h(2, 'a'), h(3, 'a1'), h(2, 'b')], undefined)).toBeUndefined();
    expect(tableOfContents([], undefined)).toBeUndefined();
  });

  it('should show none with toc: false, and one from two sections with toc: true', () => {
    expect(tableOfContents([h(2, 'a'), h(2, 'b'), h(2, 'c')], false)).toBeUndefined();
    expect(tableOfContents([h(2, 'a'), h(2, 'b')], true)).toHaveLength(2);
    expect(tableOfContents([h(2, 'a')], true)).toBeUndefined();
  });

  it('should use the highest level present as the sections', () => {
    expect(tableOfContents([h(3, 'a'), h(3, 'b'), h(4, 'b1'), h(3, 'c')], undefined)?.map((e) => e.id)).toEqual(['a', 'b', 'c']);
  });
});
