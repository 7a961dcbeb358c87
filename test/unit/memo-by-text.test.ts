import { describe, expect, it } from '@jest/globals';
import { memoByText } from '../../src/content/memo.js';

describe('memoByText', () => {
  it('should derive a value once per text, undefined included', () => {
    const seen: string[] = [];
    const upper = memoByText((text) => {
      seen.push(text);
      return text === 'none' ? undefined : text.toUpperCase();
    });
    expect(upper('a')).toBe('A');
    expect(upper('a')).toBe('A');
    expect(upper('none')).toBeUndefined();
    expect(upper('none')).toBeUndefined();
    expect(seen).toEqual(['a', 'none']);
  });

  it('should hold at most its bound, and never keep a long text', () => {
    const seen: string[] = [];
    const same = memoByText(
      (text) => {
        seen.push(text);
        return text;
      },
      2,
      4,
    );
    same('a');
    same('b');
    same('c'); // full: starts over with c alone
    same('a');
    expect(seen).toEqual(['a', 'b', 'c', 'a']);
    same('long text');
    same('long text');
    expect(seen.filter((t) => t === 'long text')).toHaveLength(2);
  });
});
