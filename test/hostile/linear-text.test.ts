/**
 * Regressions for "one post stalls the whole server": the plain text of a
 * post (its excerpt and word count) and the highlighting of its code must
 * cost time in proportion to its size, whatever it holds. Each input here
 * took seconds to minutes before (100 KB of `[` took 7 s in `plainText`); a
 * quadratic pass over these 2 MB inputs would not finish within the test's
 * timeout, a linear one takes a fraction of it.
 */
import { describe, expect, it } from '@jest/globals';
import { countWords, plainText } from '../../src/content/text.js';
import { HIGHLIGHT_MAX_CHARS, highlightCode } from '../../src/render/highlight.js';

const MB2 = 2 * 1024 * 1024;
const fill = (unit: string, bytes = MB2): string => unit.repeat(Math.floor(bytes / unit.length));

describe('plainText() on hostile markdown', () => {
  const units = ['[', '<', '<!--', '```\n', '![x](', '](', '[a][', '*\n', '[x\n', '_a', '<a', '- - x\n'];
  for (const unit of units) {
    it(`should finish on 2 MB of ${JSON.stringify(unit)}`, () => {
      const text = plainText(fill(unit));
      expect(typeof text).toBe('string');
      expect(countWords(text)).toBeGreaterThanOrEqual(0);
    }, 20_000);
  }

  it('should still read markdown as before', () => {
    const md = '# Title\n\nSome *emphasis*, a [link](http://x.y) and ![img](a.png).\n\n```js\ncode()\n```\n\n<!-- hidden -->\n- item\n\n---\n\n[ref]: http://x\nEnd.';
    expect(plainText(md)).toBe('Title Some emphasis, a link and . item End.');
  });

  it('should drop a fence that is never closed, as CommonMark runs it to the end', () => {
    expect(plainText('before\n```\ncode\nmore')).toBe('before');
  });
});

describe('highlightCode() on hostile code', () => {
  it('should leave a block over the cap as plain code (java on a run of `$` is quadratic)', () => {
    const code = '$'.repeat(HIGHLIGHT_MAX_CHARS + 1);
    expect(highlightCode(code, 'java')).toBe(code);
  });

  it('should still colour a block under the cap', () => {
    expect(highlightCode('class A {}', 'java')).toContain('hljs-');
  });
});
