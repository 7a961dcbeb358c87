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
    const post = ok(readFileSync(SAMPLE, 'utf8'), 'deepseek-rising-challenger', true);

    it('should read every frontmatter field', () => {
      expect(post.title).toBe("DeepSeek: The Rising Challenger Reshaping AI's Competitive Landscape");
      expect(post.subtitle).toBe('How a Chinese startup is disrupting AI development with efficient innovation');
      expect(post.description).toMatch(/^In the rapidly evolving world of artificial intelligence/);
      expect(post.author).toBe('David Jenkins');
      expect(post.readTime).toBe('8 mins');
      expect(post.published.date).toBe('2024-02-09');
      expect(post.created?.date).toBe('2025-02-09');
      // Its images are in its bundle: a new site shows them without a network.
      expect(post.heroImage).toBe('/posts/deepseek-rising-challenger/hero.webp');
      expect(post.cta).toMatch(/^Want to stay ahead of the AI revolution\?/);
      expect(post.slug).toBe('deepseek-rising-challenger');
      expect(post.body).toMatch(/^\s*In the rapidly evolving world/);
      expect(post.body).toContain('![A web of glowing nodes on an amber and plum gradient](network.webp)');
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
    it('should name a bad date and its line', () => {
      const e = error('---\ntitle: x\npublish_date: someday\n---\n');
      expect(e.message).toMatch(/publish_date.*"someday" is not a date/);
      expect(e.line).toBe(3);
    });
    it('should name a wrong type', () => expect(error('---\ntitle: x\ntags: 3\n---\n').message).toMatch(/tags/));
    it('should refuse a file that is not UTF-8', () => expect(error(Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0xfe, 0x0a])).message).toMatch(/UTF-8/));
    it('should refuse an empty file', () => expect(error('').message).toMatch(/empty/));
    it('should refuse a fence with a language it does not read, in any capitals', () => expect(error('---JS\ntitle: x\n---\n').message).toMatch(/in JS/));
    it('should refuse unclosed frontmatter', () => expect(error('---\ntitle: x\n\nbody text').message).toMatch(/not closed|broken YAML/));
  });
});

describe('parsePost() with missing pieces (issue 29): a default and a notice, never a refusal', () => {
  const noticesOf = (post: Post): string[] => post.notices.map((n) => `${n.line ?? '-'}: ${n.message}`);

  it('should read a file with no frontmatter, its opening heading as the title, taken out of the body', () => {
    const post = ok('# Notes from Notion\n\nThe body.\n', 'notion-export');
    expect(post.title).toBe('Notes from Notion');
    expect(post.body.trim()).toBe('The body.');
    expect(noticesOf(post)).toEqual([
      '1: has no `title` field; its first heading is the title: "Notes from Notion"',
      expect.stringMatching(/^-: has no date /),
    ]);
  });

  it('should take the first heading further down as the title, and leave it in the body', () => {
    const post = ok('---\ndate: 2024-01-02\n---\nIntro line.\n\n```\n# not a heading\n```\n\n# Real heading #\n\nText.\n');
    expect(post.title).toBe('Real heading');
    expect(post.body).toContain('# Real heading');
    expect(noticesOf(post)).toEqual(['10: has no `title` field; its first heading is the title: "Real heading"']);
  });

  it('should make the file name readable when there is no heading either', () => {
    expect(ok('Just text.\n', 'my-first_post').title).toBe('My first post');
    expect(ok('Just text.\n', 'Привет мир').title).toBe('Привет мир');
    expect(noticesOf(ok('Just text.\n', '2024-03-04-trip'))).toEqual(['-: has no title (no `title` field, no `# heading`); its file name gives it: "Trip"']);
  });

  it('should read an empty value as an absent one', () => {
    const post = ok('---\ntitle:\ncanonical_url:\ndraft:\nslug: ""\nauthor:\ndate:\ntags:\n---\n# From the heading\n');
    expect(post).toMatchObject({ title: 'From the heading', canonicalUrl: undefined, draft: false, slug: 'my-post', author: 'Site Author', tags: [] });
  });

  it("should read Hugo's capitalised keys as Lede's, Lede's own spelling winning", () => {
    const post = ok('---\nTitle: Hugo post\nDate: 2020-05-06\nTags: [a, b]\nDraft: false\n---\nBody\n');
    expect(post).toMatchObject({ title: 'Hugo post', tags: ['a', 'b'], draft: false });
    expect(post.published.date).toBe('2020-05-06');
    expect(post.fieldLines.title).toBe(2);
    const both = ok('---\nTitle: Theirs\ntitle: Ours\n---\nBody\n');
    expect(both.title).toBe('Ours');
    expect(both.extra).toEqual({ Title: 'Theirs' });
  });

  it("should read JavaScript's Date.toString() date", () => {
    const post = ok('---\ntitle: x\ndate: Mon Sep 09 2024 04:38:21 GMT+0000 (Coordinated Universal Time)\n---\n');
    expect(post.published.instant).toBe(Date.UTC(2024, 8, 9, 4, 38, 21));
    expect(noticesOf(post)).toEqual([]);
  });

  it('should take the slug from the title when the file name has no letters or digits', () => {
    const post = ok('---\ntitle: Party time\n---\n', '🎉');
    expect(post.slug).toBe('party-time');
    expect(noticesOf(post)).toContainEqual('2: the file name has no letters or digits to make a URL from; the title gives the slug "party-time"');
  });

  it('should give the slug in the letters of the name, and drop an ordering number', () => {
    expect(ok('---\ntitle: x\n---\n', 'Привет мир').slug).toBe('привет-мир');
    expect(ok('---\ntitle: x\n---\n', '36.v4').slug).toBe('v4');
    expect(ok('---\ntitle: x\n---\n', '01-intro').slug).toBe('intro');
  });

  it('should date a daily note by its name', () => {
    const post = ok('Went for a walk.\n', '2024-02-09');
    expect(post.published.date).toBe('2024-02-09');
    expect(post.slug).toBe('2024-02-09');
  });

  it('should not take a title from the first lines alone when the body may be cut there (bodies read from disk)', () => {
    const text = `---\ndate: 2024-01-02\n---\n${'Words. '.repeat(200)}\n\n# Far heading\n`;
    const head = Buffer.from(text).subarray(0, 1024);
    const source = { file: '/c/far.md', relPath: 'far.md', bundleDir: undefined, name: parseName('far'), signature, bodyOnDisk: true };
    expect(parsePost({ ...source, bytes: head, headOnly: true }, defaults).ok).toBe(false);
    const whole = parsePost({ ...source, bytes: Buffer.from(text) }, defaults);
    expect(whole.ok && whole.post.title).toBe('Far heading');
  });
});
