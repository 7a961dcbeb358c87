import { describe, expect, it } from '@jest/globals';
import { htmlRefs, mapHtmlRefs } from '../../src/content/html-refs.js';
import { removedHtml } from '../../src/render/removed-html.js';

describe('mapHtmlRefs()', () => {
  it('should map src, href, poster and each srcset URL in start tags, keeping quotes', () => {
    const html = `<img src="./a.png" srcset="a.png 1x, b.png 2x"><a href='notes.pdf'>notes.pdf</a><video poster=p.jpg></video>`;
    expect(mapHtmlRefs(html, (ref) => `/x/${ref.replace(/^\.\//, '')}`)).toBe(
      `<img src="/x/a.png" srcset="/x/a.png 1x, /x/b.png 2x"><a href='/x/notes.pdf'>notes.pdf</a><video poster="/x/p.jpg"></video>`,
    );
  });

  it('should read tags as a browser does: a > in a quoted value, comments and scripts', () => {
    const map = (ref: string): string => `/x/${ref.replace(/^\.\//, '')}`;
    expect(mapHtmlRefs('<img alt="1 > 0" src="./a.png">', map)).toBe('<img alt="1 > 0" src="/x/a.png">');
    expect(mapHtmlRefs('<img alt=\'a>b\' src=a.png title="t">', map)).toBe('<img alt=\'a>b\' src="/x/a.png" title="t">');
    expect(mapHtmlRefs('<!-- <img src="c.png"> --><p>src="d.png"</p>', map)).toBe('<!-- <img src="c.png"> --><p>src="d.png"</p>');
  });

  it('should list references with their element', () => {
    expect(htmlRefs('<p>src="no"</p><img src="a.png"><a href="#top">')).toEqual([
      { ref: 'a.png', tag: 'img' },
      { ref: '#top', tag: 'a' },
    ]);
  });
});

describe('removedHtml()', () => {
  it('should name each removed element once, at its first line, and skip code and components', () => {
    const body =
      'Text\n\n<iframe src="x"></iframe>\n\n```html\n<script>x</script>\n```\n\n<font>a</font> <font>b</font> <Video />\n\n<svg><g><path/></g></svg>\n';
    expect(removedHtml(body)).toEqual([
      { line: 3, message: '<iframe> removed with its content (not allowed); set raw_html or use a link' },
      { line: 9, message: '<font> removed, its text kept (not allowed); set raw_html or use a link' },
      { line: 11, message: '<svg> removed, its text kept (not allowed); set raw_html or use a link' },
    ]);
  });

  it('should say nothing of allowed HTML', () => {
    expect(removedHtml('<details><summary>S</summary><p>x</p></details>')).toEqual([]);
  });
});
