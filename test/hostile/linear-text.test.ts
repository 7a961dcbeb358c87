/**
 * Regressions for "one post stalls the whole server": the plain text of a
 * post (its excerpt and word count) and the highlighting of its code must
 * cost time in proportion to its size, whatever it holds. Each input here
 * took seconds to minutes before (100 KB of `[` took 7 s in `plainText`); a
 * quadratic pass over these 2 MB inputs would not finish within the test's
 * timeout, a linear one takes a fraction of it.
 */
import { describe, expect, it } from '@jest/globals';
import { MAX_TRANSLATED_AT_PARSE_CHARS, MAX_TRANSLATED_BODY_CHARS } from '../../src/content/bounds.js';
import { bodyTranslationOf, parsePost, renderedMarkdownOf } from '../../src/content/parse-post.js';
import { parseName } from '../../src/content/slug.js';
import { translateMarkup } from '../../src/content/foreign-markup.js';
import { countWords, leadingHeading, plainText } from '../../src/content/text.js';
import { MAX_INDEXED_CHARS, postDocument } from '../../src/search/post-source.js';
import { HIGHLIGHT_MAX_CHARS, highlightCode } from '../../src/render/highlight.js';

const MB2 = 2 * 1024 * 1024;
const fill = (unit: string, bytes = MB2): string => unit.repeat(Math.floor(bytes / unit.length));

describe('plainText() on hostile markdown', () => {
  const literal = (unit: string) => (n: number) => unit.repeat(n);
  const words = (word: string) => (n: number) => Array.from({ length: n }, () => word).join(' ');
  /** What `n` copies of each unit read as: the same as a few copies do, n times over (a pass that gave up early would not). */
  const reads: [unit: string, text: (n: number) => string][] = [
    ['[', literal('[')],
    ['<', literal('<')],
    ['<!--', literal('<!--')],
    ['```\n', () => ''],
    ['![x](', literal('![x](')],
    ['](', literal('](')],
    ['[a][', literal('[a][')],
    ['*\n', () => ''],
    ['[x\n', words('[x')],
    ['_a', (n) => 'a'.repeat(n)],
    ['<a', literal('<a')],
    ['- - x\n', words('- x')],
  ];
  for (const [unit, read] of reads) {
    it(`should finish on 2 MB of ${JSON.stringify(unit)}, reading it as a few copies read`, () => {
      expect(plainText(unit.repeat(3))).toBe(read(3));
      const copies = Math.floor(MB2 / unit.length);
      const text = plainText(fill(unit));
      const expected = read(copies);
      expect(text.length).toBe(expected.length);
      expect(text === expected).toBe(true);
      expect(countWords(text)).toBe(countWords(read(3)) === 0 ? 0 : countWords(expected));
    });
  }

  // What the reading holds aside (math, code) or reads differently (footnote marks, task boxes, headings, escapes, entities).
  it.each(['$a', '$a ', '$$a', 'a $b\n', '``a', '`a', '\\', '\\*', '[^a', '[^a]: ', '# a\n', '# a ', '- [x] ', '&amp;', '```\n'])(
    'should finish on 2 MB of %j, code kept or not',
    (unit) => {
      const text = fill(unit);
      for (const code of [false, true]) expect(plainText(text, { code }).length).toBeLessThanOrEqual(text.length);
    },
  );

  it('should read $a runs as math, up to the pieces it holds aside, and the rest as written', () => {
    expect(plainText('$a'.repeat(4))).toBe('aaaa');
    const text = plainText(fill('$a'));
    // Booleans: a failure must not print 2 MB.
    expect(text.startsWith('a'.repeat(4096))).toBe(true);
    expect(text.endsWith('$a'.repeat(4096))).toBe(true);
  });

  it('should still read markdown as before', () => {
    const md =
      '# Title\n\nSome *emphasis*, a [link](http://x.y) and ![img](a.png).\n\n```js\ncode()\n```\n\n<!-- hidden -->\n- item\n\n---\n\n[ref]: http://x\nEnd.';
    expect(plainText(md)).toBe('Title. Some emphasis, a link and . item End.');
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

/** A post parsed as the store parses it, on the main thread. */
function parse(text: string) {
  const bytes = Buffer.from(text, 'utf8');
  const signature = { mtimeMs: 0, ctimeMs: 0, size: bytes.length, ino: 1 };
  return parsePost({ file: '/c/a.md', relPath: 'a.md', bundleDir: undefined, name: parseName('a'), signature, bytes }, { author: 'A', timezone: 'UTC' });
}

describe("other tools' block markup on hostile input", () => {
  // Indented in a list item, MkDocs' forms once sliced the rest of the body for each line: 256 KB took 13 s.
  it.each(['    !!! note\n', '    === "a"\n', '    !!! 1 x\n'])('should translate 1 MB of %j under a list item in linear time', (unit) => {
    const body = `1. x\n${fill(unit, 1024 * 1024)}`;
    expect(translateMarkup(body, { postPath: (name) => `/posts/${name}` }).markdown.length).toBeGreaterThan(0);
  });
});

describe('reading a hostile post on the main thread', () => {
  it('should take the title from a leading heading in linear time (a long line of blanks was quadratic)', () => {
    const result = parse(`---\ndate: 2024-01-01\n---\n# a${' '.repeat(MB2 / 2)}b\nbody`);
    // Read, and the title a heading gives cut to the field's limit: the point is that it returns.
    if (!result.ok) throw new Error(result.error.message);
    expect(result.post.title.startsWith('a ')).toBe(true);
    expect(result.post.title.length).toBeLessThanOrEqual(500);
    expect(leadingHeading('# Hello *world* ##\nrest')).toEqual({ title: 'Hello world', rest: 'rest' });
    expect(leadingHeading('#nope\n')).toBeUndefined();
  });

  it('should not translate template syntax in a body over the bound, and say so', () => {
    const result = parse(`---\ntitle: T\ndate: 2024-01-01\n---\n${':::\n'.repeat(MAX_TRANSLATED_BODY_CHARS)}`);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.post.notices.map((n) => n.message)).toEqual([
      expect.stringMatching(/the body is over 256 KB, so template syntax of other generators in it is shown as written/),
    ]);
  });

  it('should index only the first part of a long body for search (the index is built on the main thread)', () => {
    const result = parse(`---\ntitle: T\n---\nearlyword ${'filler '.repeat(MAX_INDEXED_CHARS / 7)} lateword\n`);
    if (!result.ok) throw new Error(result.error.message);
    const { text } = postDocument(result.post);
    expect(text.length).toBeLessThanOrEqual(MAX_INDEXED_CHARS);
    expect(text.startsWith('earlyword')).toBe(true);
    expect(text).not.toContain('lateword');
  });

  it('should still translate it in a body under the bound', () => {
    const result = parse('---\ntitle: T\n---\n:::note\nHi\n:::\n');
    if (!result.ok) throw new Error(result.error.message);
    expect(result.post.body).not.toContain(':::');
  });

  it('should leave a body over the main thread’s share to its render thread, and translate it for check', () => {
    const long = `{{< youtube abc >}}\n\n${'filler words here. '.repeat(MAX_TRANSLATED_AT_PARSE_CHARS / 16)}\n:::note\nHi\n:::\n`;
    const result = parse(`---\ntitle: T\n---\n${long}`);
    if (!result.ok) throw new Error(result.error.message);
    // Kept as written (search indexes it so); the job that renders it says to translate it.
    expect(result.post.body).toContain(':::note');
    expect(bodyTranslationOf(result.post)).toEqual({ mdx: false });
    expect(renderedMarkdownOf(result.post)).not.toContain(':::');
    expect(renderedMarkdownOf(result.post)).toContain('youtube.com');
    // A short body was translated as it was read: its job says nothing.
    const short = parse('---\ntitle: T\n---\n:::note\nHi\n:::\n');
    if (!short.ok) throw new Error(short.error.message);
    expect(bodyTranslationOf(short.post)).toBeUndefined();
  });

  it('should name what translating a long body finds, as for a short one', () => {
    const tag = '{% unknowntag x %}';
    const lines = MAX_TRANSLATED_AT_PARSE_CHARS / 8;
    const result = parse(`---\ntitle: T\ndate: 2024-01-01\n---\n${'a prose\n'.repeat(lines)}${tag}\n`);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.post.notices).toEqual([expect.objectContaining({ line: 5 + lines, message: expect.stringContaining('Liquid tag {% unknowntag %}') })]);
  });
});
