import { describe, expect, it } from '@jest/globals';
import { parsePost } from '../../src/content/parse-post.js';
import { parseName } from '../../src/content/slug.js';

const signature = { mtimeMs: Date.UTC(2024, 5, 1), ctimeMs: 0, size: 0, ino: 1 };

function parse(frontmatter: string) {
  const text = `---\ntitle: T\n${frontmatter}\n---\n\nBody.\n`;
  return parsePost(
    { file: '/c/p.md', relPath: 'p.md', bundleDir: undefined, name: parseName('p'), signature, bytes: Buffer.from(text) },
    { author: 'A', timezone: 'UTC' },
  );
}

describe('frontmatter `toc`', () => {
  it.each([
    ['toc: false', false],
    ['toc: true', true],
    ['', undefined],
  ])('should read "%s" as %s', (line, expected) => {
    const result = parse(line);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.post.toc).toBe(expected);
    expect(result.post.extra).not.toHaveProperty('toc');
  });

  it('should reject a value that is not true or false, naming the field', () => {
    const result = parse('toc: maybe');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/toc/);
  });
});
