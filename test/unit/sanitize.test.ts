import { describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import { isSafeUrl, schemeOf } from '../../src/validate/safe-url.js';
import { render, renderInline, type RenderOptions } from '../../src/render/markdown.js';
import { sanitize } from '../../src/render/sanitize.js';
import { executableContent } from '../helpers/no-script.js';

/** The HTML of `render` (these tests were written for the HTML alone). */
const renderMarkdown = (source: string, options?: RenderOptions): string => render(source, options).html;

describe('sanitize()', () => {
  describe('should keep what articles use', () => {
    const html = renderMarkdown(
      [
        '## A heading',
        '',
        'Text with [a link](https://example.com "Title"), [mail](mailto:a@example.com), [relative](/posts/x) and [anchor](#a-heading).',
        '',
        '![Alt text](https://example.com/a.png "Image title")',
        '',
        '| left | centre |',
        '| :--- | :----: |',
        '| 1 | 2 |',
        '',
        '- [x] done',
        '- [ ] to do',
        '',
        '```ts',
        'const x = 1;',
        '```',
        '',
        '<dl><dt>Term</dt><dd>Definition</dd></dl>',
        '',
        '<details open><summary>More</summary>Hidden text</details>',
        '',
        '<figure><img src="/posts/x/a.png" alt="A" width="800" height="450"><figcaption>Caption</figcaption></figure>',
        '',
        'H<sub>2</sub>O and E = mc<sup>2</sup>.',
        '',
        '<pre><code class="hljs language-ts"><span class="hljs-keyword">const</span> <span class="hljs-title class_">X</span></code></pre>',
        '',
        '<h3 id="custom">Custom <a class="anchor" href="#custom">#</a></h3>',
        '',
        'A note.<sup><a id="footnote-ref-1" href="#footnote-1" data-footnote-ref aria-describedby="footnote-label">1</a></sup>',
        '',
        '<section class="footnotes" data-footnotes><h2 id="footnote-label" class="sr-only">Footnotes</h2><ol><li id="footnote-1"><p>The note. <a href="#footnote-ref-1" data-footnote-backref aria-label="Back to reference 1">↩</a></p></li></ol></section>',
      ].join('\n'),
    );
    const $ = cheerio.load(html);

    it('headings with ids', () => expect($('h2#a-heading').text()).toBe('A heading'));
    it('links with href and title', () => {
      expect($('a[href="https://example.com"]').attr('title')).toBe('Title');
      expect($('a[href="mailto:a@example.com"]')).toHaveLength(1);
      expect($('a[href="/posts/x"]')).toHaveLength(1);
      expect($('a[href="#a-heading"]:not(.anchor)')).toHaveLength(1);
    });
    it('images with src, alt, title, loading and decoding', () => {
      const img = $('img[src="https://example.com/a.png"]');
      expect(img.attr('alt')).toBe('Alt text');
      expect(img.attr('title')).toBe('Image title');
      expect(img.attr('loading')).toBe('lazy');
      expect(img.attr('decoding')).toBe('async');
    });
    it('tables with alignment', () => {
      expect($('table thead th')).toHaveLength(2);
      expect($('th').eq(1).attr('align')).toBe('center');
    });
    it('task lists as disabled checkboxes', () => {
      expect($('input[type="checkbox"][disabled]')).toHaveLength(2);
      expect($('input[checked]')).toHaveLength(1);
      // Each named by its state, as a control must be (axe's `label` rule).
      expect(
        $('input[type="checkbox"]')
          .map((_, el) => $(el).attr('aria-label'))
          .get(),
      ).toEqual(['Done', 'To do']);
    });
    it('code blocks with language and highlighting classes', () => {
      expect($('pre > code.language-ts').first().text()).toContain('const x = 1;');
      expect($('code.hljs.language-ts').length).toBeGreaterThanOrEqual(1);
      expect($('span.hljs-keyword').first().text()).toBe('const');
      expect($('span.hljs-title.class_').text()).toBe('X');
    });
    it('definition lists', () => expect($('dl > dt').text()).toBe('Term'));
    it('details and summary', () => {
      expect($('details').attr('open')).toBeDefined();
      expect($('details > summary').text()).toBe('More');
    });
    it('figures with width and height', () => {
      expect($('figure > img').attr('width')).toBe('800');
      expect($('figure > figcaption').text()).toBe('Caption');
    });
    it('sub and sup', () => expect($('sub').text() + $('sup').first().text()).toBe('22'));
    it('heading anchors', () => expect($('h3#custom > a.anchor').attr('href')).toBe('#custom'));
    it('footnotes', () => {
      expect($('sup > a#footnote-ref-1').attr('data-footnote-ref')).toBeDefined();
      expect($('sup > a#footnote-ref-1').attr('aria-describedby')).toBe('footnote-label');
      expect($('section.footnotes h2.sr-only#footnote-label')).toHaveLength(1);
      expect($('li#footnote-1 a').attr('aria-label')).toBe('Back to reference 1');
    });
  });

  describe('should drop what runs', () => {
    it.each([
      ['<script>alert(1)</script>', ''],
      ['<p onclick="alert(1)">x</p>', '<p>x</p>'],
      ['<a href="javascript:alert(1)">x</a>', '<a>x</a>'],
      ['<a href="data:text/html,x">x</a>', '<a>x</a>'],
      ['<img src="data:image/png;base64,AAAA" alt="a">', '<img alt="a">'],
      ['<iframe src="https://example.com"></iframe>', ''],
      ['<style>body{display:none}</style>', ''],
      ['<p style="color:red">x</p>', '<p>x</p>'],
      ['<span class="evil hljs-string">x</span>', '<span class="hljs-string">x</span>'],
      ['<form><input type="text" name="q"></form>', ''],
    ])('%s', (input, output) => expect(sanitize(input)).toBe(output));
  });

  it('should write void elements the HTML way', () => {
    expect(sanitize('<p>a<br/>b</p><hr><img src="/a.png" alt="x > y">')).toBe('<p>a<br>b</p><hr><img src="/a.png" alt="x &gt; y">');
  });

  it('should sanitize the CTA (inline markdown) too', () => {
    expect(renderInline('[x](javascript:alert(1)) <img src=x onerror=alert(1)>')).toBe('<a>x</a> <img src="x">');
  });

  it('should let raw HTML through when the site opts in', () => {
    const html = renderMarkdown('<div class="embed" style="color:red"><script src="/x.js"></script></div>', { rawHtml: true });
    expect(html).toContain('<script src="/x.js"></script>');
    expect(executableContent(html)).toEqual(['<script type="">']);
    expect(renderInline('<b onclick="x">b</b>', { rawHtml: true })).toBe('<b onclick="x">b</b>');
  });
});

describe('isSafeUrl()', () => {
  it.each([
    'https://example.com/a',
    'http://e.com',
    'mailto:a@b.c',
    '/posts/x',
    './a.png',
    'a.png',
    '#frag',
    '?q=1',
    '//cdn.example/x',
    'a:b/c'.replace(':', '%3A'),
  ])('should accept %s', (url) => expect(isSafeUrl(url)).toBe(true));
  it.each([
    'javascript:alert(1)',
    'JAVASCRIPT:x',
    ' javascript:x',
    'java\tscript:x',
    'java\nscript:x',
    '\u0000javascript:x',
    'data:text/html,x',
    'vbscript:x',
    'file:///etc/passwd',
    'ftp://x',
  ])('should refuse %j', (url) => expect(isSafeUrl(url)).toBe(false));
  it('should name the scheme a browser would see', () => expect(schemeOf(' Java\tScript:x')).toBe('javascript'));
});

describe('sanitize() never loses text (issue 15)', () => {
  it('should close a JSX-style self-closed iframe where it is written, keeping what follows', () => {
    const html = renderMarkdown('One.\n\n<iframe src="https://www.youtube.com/embed/x" allowfullscreen />\n\nTwo.\n\n## Three\n\nFour.');
    expect(html).not.toContain('iframe');
    for (const text of ['One.', 'Two.', 'Three', 'Four.']) expect(html).toContain(text);
  });

  it('should keep the text of components and removed elements', () => {
    const html = renderMarkdown(
      'Before <Video src="a.mp4" /> after.\n\n<Callout type="info">\n\nInside the **callout**.\n\n</Callout>\n\n<font color="red">Red text</font>',
    );
    expect(html).toContain('Before  after.');
    expect(html).toContain('Inside the <strong>callout</strong>.');
    expect(html).toContain('Red text');
  });

  it('should keep callouts, tabs, key marks, an inline table of contents and leftover template tags, and nothing else of them', () => {
    expect(sanitize('<aside class="callout callout-note" onclick="x"><p class="callout-title evil">Note</p></aside>')).toBe(
      '<aside class="callout callout-note"><p class="callout-title">Note</p></aside>',
    );
    expect(sanitize('<details class="callout callout-tip x" open ontoggle="x"><summary class="callout-title y">T</summary></details>')).toBe(
      '<details class="callout callout-tip" open><summary class="callout-title">T</summary></details>',
    );
    expect(sanitize('<section class="tab" style="x"><p class="tab-label">Py</p></section><kbd class="k">Ctrl</kbd>')).toBe(
      '<section class="tab"><p class="tab-label">Py</p></section><kbd>Ctrl</kbd>',
    );
    expect(sanitize('<nav class="toc-inline evil" aria-label="Contents" onclick="x"><ul><li><a href="#a">A</a></li></ul></nav>')).toBe(
      '<nav class="toc-inline" aria-label="Contents"><ul><li><a href="#a">A</a></li></ul></nav>',
    );
    expect(sanitize('<aside class="callout callout-Evil callout-x1"></aside>')).toBe('<aside class="callout"></aside>');
    expect(sanitize('<aside class="callout" role="note"></aside><aside role="banner"></aside>')).toBe(
      '<aside class="callout" role="note"></aside><aside></aside>',
    );
    expect(sanitize('<code class="leftover other">{% x %}</code>')).toBe('<code class="leftover">{% x %}</code>');
  });
});
