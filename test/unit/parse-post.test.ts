import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parsePost, type ParseResult } from '../../src/content/parse-post.js';
import type { Post } from '../../src/content/post.js';
import { parseName } from '../../src/content/slug.js';
import { SAMPLE } from '../helpers/site.js';

const signature = { mtimeMs: Date.UTC(2024, 5, 1), ctimeMs: 0, size: 0, ino: 1 };
const defaults = { author: 'Site Author', timezone: 'UTC' };

function parse(text: string, name = 'my-post', bundle = false): ParseResult {
  return parsePost(
    { file: `/c/${name}.md`, relPath: `${name}.md`, bundleDir: bundle ? `/c/${name}` : undefined, name: parseName(name), signature, bytes: Buffer.from(text) },
    defaults,
  );
}

function ok(text: string, name?: string, bundle?: boolean): Post {
  const result = parse(text, name, bundle);
  if (!result.ok) throw new Error(`expected a post, got: ${result.error.message}`);
  return result.post;
}

describe('parsePost()', () => {
  describe('the sample article', () => {
    const post = ok(readFileSync(SAMPLE, 'utf8'), 'deepseek-rising-challenger');

    it('should read every frontmatter field', () => {
      expect(post.title).toBe("DeepSeek: The Rising Challenger Reshaping AI's Competitive Landscape");
      expect(post.subtitle).toBe('How a Chinese startup is disrupting AI development with efficient innovation');
      expect(post.description).toMatch(/^In the rapidly evolving world of artificial intelligence/);
      expect(post.author).toBe('David Jenkins');
      expect(post.readTime).toBe('8 mins');
      expect(post.published.date).toBe('2024-02-09');
      expect(post.created?.date).toBe('2025-02-09');
      expect(post.heroImage).toBe('https://i.magick.ai/PIXE/1739125609168_magick_img.webp');
      expect(post.cta).toMatch(/^Want to stay ahead of the AI revolution\?/);
      expect(post.slug).toBe('deepseek-rising-challenger');
      expect(post.body).toMatch(/^\s*!\[AI Innovation\]/);
    });
  });

  describe('defaults', () => {
    const post = ok(`---\ntitle: Hello\n---\n${'word '.repeat(700)}`, '2023-05-06-hello-world');

    it('should take the date and slug from a dated file name', () => {
      expect(post.slug).toBe('hello-world');
      expect(post.published.date).toBe('2023-05-06');
    });
    it('should use the site author', () => expect(post.author).toBe('Site Author'));
    it('should compute the read time from the words', () => expect(post.readTime).toBe('3 min read'));
    it('should make an excerpt when there is no description', () => {
      expect(post.description.length).toBeLessThanOrEqual(201);
      expect(post.description).toMatch(/^word word/);
    });
    it('should use the title as the hero alt text', () => expect(post.heroImageAlt).toBe('Hello'));
    it('should fall back to the file time when there is no date at all', () => {
      expect(ok('---\ntitle: x\n---\n').published.instant).toBe(signature.mtimeMs);
    });
  });

  describe('aliases', () => {
    it('should read `date` as publish_date', () => {
      expect(ok('---\ntitle: x\ndate: 2021-03-04\n---\n').published.date).toBe('2021-03-04');
    });
    it('should prefer publish_date over date', () => {
      expect(ok('---\ntitle: x\ndate: 2021-03-04\npublish_date: 2022-01-01\n---\n').published.date).toBe('2022-01-01');
    });
    it.each(['heroImage', 'hero_image', 'image'])('should read `%s` as the hero image', (key) => {
      expect(ok(`---\ntitle: x\n${key}: https://e.com/a.jpg\n---\n`).heroImage).toBe('https://e.com/a.jpg');
    });
    it('should read heroImageAlt', () => {
      expect(ok('---\ntitle: x\nimage: a.jpg\nheroImageAlt: A cat\n---\n').heroImageAlt).toBe('A cat');
    });
  });

  describe('fields', () => {
    it('should let `slug` override the name', () => expect(ok('---\ntitle: x\nslug: Other Name\n---\n').slug).toBe('other-name'));
    it('should read tags as a list or a comma-separated string, without duplicates', () => {
      expect(ok('---\ntitle: x\ntags: [AI, Open Source, ai]\n---\n').tags).toEqual(['AI', 'Open Source']);
      expect(ok('---\ntitle: x\ntags: "a, b"\n---\n').tags).toEqual(['a', 'b']);
    });
    it('should keep `cta: false` to hide the CTA', () => expect(ok('---\ntitle: x\ncta: false\n---\n').cta).toBe(false));
    it('should show a numeric read_time as minutes', () => expect(ok('---\ntitle: x\nread_time: 5\n---\n').readTime).toBe('5 min read'));
    it('should pass unknown keys through', () => expect(ok('---\ntitle: x\nmood: sunny\n---\n').extra).toEqual({ mood: 'sunny' }));
    it('should read draft', () => expect(ok('---\ntitle: x\ndraft: true\n---\n').draft).toBe(true));
    it('should resolve a relative hero image inside a bundle', () => {
      expect(ok('---\ntitle: x\nheroImage: ./cover.jpg\n---\n', 'trip', true).heroImage).toBe('/posts/trip/cover.jpg');
    });
  });

  describe('bad content', () => {
    const error = (text: string | Buffer) => {
      const result = parsePost(
        { file: '/c/bad.md', relPath: 'bad.md', bundleDir: undefined, name: parseName('bad'), signature, bytes: Buffer.from(text) },
        defaults,
      );
      if (result.ok) throw new Error('expected an error');
      return result.error;
    };

    it('should name the line of broken YAML', () => {
      const e = error('---\ntitle: x\nauthor: [unclosed\n---\nbody');
      expect(e.file).toBe('bad.md');
      expect(e.line).toBeGreaterThanOrEqual(3);
      expect(e.message).toMatch(/broken YAML/);
    });
    it('should require a title', () => expect(error('---\nauthor: me\n---\n').message).toBe('field `title` is required'));
    it('should refuse an empty title', () => expect(error('---\ntitle: "  "\n---\n').message).toMatch(/title.*empty/));
    it('should name a bad date and its line', () => {
      const e = error('---\ntitle: x\npublish_date: someday\n---\n');
      expect(e.message).toMatch(/publish_date.*"someday" is not a date/);
      expect(e.line).toBe(3);
    });
    it('should name a wrong type', () => expect(error('---\ntitle: x\ntags: 3\n---\n').message).toMatch(/tags/));
    it('should refuse a file that is not UTF-8', () => expect(error(Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0xfe, 0x0a])).message).toMatch(/UTF-8/));
    it('should refuse an empty file', () => expect(error('').message).toMatch(/empty/));
    it('should refuse a file without frontmatter', () => expect(error('# Just markdown').message).toMatch(/no frontmatter/));
    it('should refuse unclosed frontmatter', () => expect(error('---\ntitle: x\n\nbody text').message).toMatch(/not closed|broken YAML/));
  });
});
