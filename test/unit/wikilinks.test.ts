/**
 * The wikilink extension's tokenizer (src/content/wikilinks.ts): found
 * wherever it is in a line, however long, in time linear in the line.
 */
import { describe, expect, it } from '@jest/globals';
import { render } from '../../src/render/markdown.js';

describe('wikilinks in a long line', () => {
  it('should read a wikilink far past the look-ahead of its start, as the one at the start of the line', () => {
    const html = render(`${'x'.repeat(5000)} [[Far Note]] and [[Other|label]]\n`).html;
    // Without a site to resolve against, a wikilink shows as its label, without brackets.
    expect(html).not.toContain('[[');
    expect(html).toContain(' Far Note and label');
  });

  it('should keep a line of `[!` (no wikilink in it) as text', () => {
    // 100 KB: quadratic, it took 14 s; linear, a fraction of one.
    const line = '[!'.repeat(50_000);
    expect(render(`${line}\n`).html).toBe(`<p>${line}</p>\n`);
  });
});
