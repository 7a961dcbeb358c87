/**
 * What lets `npm run check` skip rendering a body on the main thread: no
 * formula can be in it (src/render/math-syntax.ts), or no image of the site
 * (src/cli/image-problems.ts). Each must say "maybe" whenever the renderer
 * would find one.
 */
import { describe, expect, it } from '@jest/globals';
import { mayShowLocalImage } from '../../src/images/local-image-refs.js';
import { render } from '../../src/render/markdown.js';
import { mayHoldMath } from '../../src/render/math-syntax.js';

describe('mayHoldMath', () => {
  it.each([
    ['inline math', 'The area is $\\pi r^2$ here.'],
    ['display math', 'Before\n\n$$\nx^2\n$$\n\nafter'],
    ['display math in a line', 'so $$a + b$$ holds'],
    ['a math fence', 'Text\n\n```math\nx\n```\n'],
    ['math after an escaped dollar', 'Costs \\$5, and $x$ is math'],
    ['math after many prices', `${'$5 '.repeat(70)} and $x$`],
  ])('should say maybe for %s, where the renderer finds a formula', (_what, markdown) => {
    expect(mayHoldMath(markdown)).toBe(true);
    expect(render(markdown).html).toContain('katex');
  });

  it.each([
    ['no dollar', 'Plain text.'],
    ['prices', 'It cost $78 million, against $5.6 million.'],
    ['one price', 'Only $5.'],
    ['escaped dollars', 'A \\$ and a \\$ again.'],
  ])('should say no for %s, where the renderer finds none', (_what, markdown) => {
    expect(mayHoldMath(markdown)).toBe(false);
    expect(render(markdown).html).not.toContain('katex');
  });
});

describe('mayShowLocalImage', () => {
  it.each([
    ['a relative image', '![A photo](photo.jpg)'],
    ['a site path', '![Logo](/img/logo.png)'],
    ['a reference image', '![Photo][p]\n\n[p]: photo.jpg'],
    ['brackets in the alt text', '![A [nested] alt](photo.jpg)'],
    ['raw HTML', '<IMG src="photo.jpg">'],
    ['a local image after a remote one', '![a](https://example.com/a.png) and ![b](b.png)'],
  ])('should say maybe for %s', (_what, markdown) => {
    expect(mayShowLocalImage(markdown)).toBe(true);
  });

  it.each([
    ['no image', 'Text with a [link](page.html).'],
    ['images on other sites', '![AI](https://i.example.ai/x.webp)\n\n![B](<http://example.com/b.png> "title")'],
    ['an inline image as data', '![dot](data:image/png;base64,AAAA)'],
  ])('should say no for %s', (_what, markdown) => {
    expect(mayShowLocalImage(markdown)).toBe(false);
  });
});
