import { describe, expect, it } from '@jest/globals';
import { readFencelessHeader } from '../../src/content/fenceless-header.js';
import { mapForeignFields } from '../../src/content/foreign-fields.js';
import { readHeader } from '../../src/content/read-header.js';
import { tomlEngine } from '../../src/content/toml-engine.js';

describe('readFencelessHeader() (Pelican, MultiMarkdown)', () => {
  it('should read Key: value lines up to the first blank line, continuation lines joined', () => {
    const text = 'Title: My post\nDate: 2012-10-31 10:20\nTags: a, b\nSummary:\n    A multi-line summary\n    as well.\n\nThe text.\n';
    const header = readFencelessHeader(text)!;
    expect(header.data).toEqual({ title: 'My post', date: '2012-10-31 10:20', tags: 'a, b', summary: 'A multi-line summary as well.' });
    expect(header.lines.tags).toBe(3);
    expect(text.slice(header.bodyStart)).toBe('The text.\n');
  });

  it('should not take text for a header', () => {
    expect(readFencelessHeader('Note: this post has no header.\n\nText.')).toBeUndefined();
    expect(readFencelessHeader('Title: x\nand then prose\n')).toBeUndefined();
    expect(readFencelessHeader('# Heading\n')).toBeUndefined();
  });
});

describe('tomlEngine()', () => {
  it('should keep dates as written and tables as plain objects', () => {
    const data = tomlEngine('title = "x"\ndate = 2024-06-23T21:56:58-07:00\nday = 2024-06-23\n[taxonomies]\ntags = ["a"]\n');
    expect(data).toEqual({ title: 'x', date: '2024-06-23T21:56:58-07:00', day: '2024-06-23', taxonomies: { tags: ['a'] } });
    expect(Object.getPrototypeOf(data.taxonomies)).toBe(Object.prototype);
  });

  it('should keep a key named __proto__ a key', () => {
    const data = tomlEngine('title = "x"\n[__proto__]\ntitle = "polluted"\n');
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.keys(data)).toEqual(['title', '__proto__']);
  });
});

describe('mapForeignFields()', () => {
  it("should read MkDocs Material's date mapping (created, updated) and a Hugo theme's toc mapping (enable)", () => {
    const mapped = mapForeignFields({ date: { created: '2024-05-04', updated: '2024-06-01' }, toc: { enable: false, auto: true } }).data;
    expect(mapped).toMatchObject({ date: '2024-05-04', updated_date: '2024-06-01', toc: false });
    expect(mapForeignFields({ toc: { auto: true } }).data.toc).toBeUndefined();
  });

  it('should split a categories string on spaces, as Jekyll does, unless it has commas', () => {
    expect(mapForeignFields({ categories: 'jekyll update' }).data.tags).toEqual(['jekyll', 'update']);
    expect(mapForeignFields({ categories: 'release notes, rust' }).data.tags).toEqual(['release notes', 'rust']);
    // One category is one, spaces and all (Jekyll's `category`).
    expect(mapForeignFields({ category: 'release notes' }).data.tags).toEqual(['release notes']);
  });

  it('should join categories, category and taxonomies to tags, once each', () => {
    expect(mapForeignFields({ tags: ['Rust'], categories: ['news', 'rust'] }).data.tags).toEqual(['Rust', 'news', 'rust']);
    expect(mapForeignFields({ category: 'release' }).data.tags).toEqual(['release']);
    expect(mapForeignFields({ taxonomies: { tags: ['a'], categories: ['b'] } }).data.tags).toEqual(['a', 'b']);
    expect(mapForeignFields({ tags: [{ label: 'Docs', permalink: '/docs' }] }).data.tags).toEqual(['Docs']);
  });

  it('should read summary, excerpt and spoiler as the description, never over one that is written', () => {
    expect(mapForeignFields({ spoiler: 'Short.' }).data.description).toBe('Short.');
    expect(mapForeignFields({ description: 'Mine', summary: 'Other' }).data.description).toBe('Mine');
  });

  it('should read author lists, the first being the author', () => {
    const mapped = mapForeignFields({ authors: ['Ann', 'Bob'] });
    expect(mapped.authors).toEqual(['Ann', 'Bob']);
    expect(mapped.data.author).toBe('Ann');
    expect(mapForeignFields({ author: ['Ann', 'Bob'] }).authors).toEqual(['Ann', 'Bob']);
    expect(mapForeignFields({ authors: 'Ann, Bob' }).authors).toEqual(['Ann', 'Bob']);
    const docusaurus = mapForeignFields({ authors: ['jo', { name: 'Inline Person' }] }, new Map([['jo', { name: 'Jo Smith' }]]));
    expect(docusaurus.authors).toEqual(['Jo Smith', 'Inline Person']);
  });

  it('should map dates, drafts, images and the table of contents', () => {
    const { data } = mapForeignFields({
      pubDate: 'Jul 08 2022',
      lastmod: '2023-01-01',
      published: false,
      cover: { image: 'c.png', alt: 'C' },
      hide_table_of_contents: true,
    });
    expect(data).toMatchObject({ date: 'Jul 08 2022', updated_date: '2023-01-01', draft: true, heroImage: 'c.png', heroImageAlt: 'C', toc: false });
    expect(mapForeignFields({ status: 'draft' }).data.draft).toBe(true);
  });

  it("should keep a post's old address as an alias, and Zola's path as its date", () => {
    const { data } = mapForeignFields({ path: 'inside-rust/2020/07/27/x', aliases: ['a.html'] });
    expect(data.aliases).toEqual(['a.html', 'inside-rust/2020/07/27/x']);
    expect(mapForeignFields({ path: 'inside-rust/2020/07/27/x' }).data.date).toBe('2020-07-27');
    const zola = mapForeignFields({ path: '2014/12/12/1.0-Timeline' });
    expect(zola.data.date).toBe('2014-12-12');
    expect(mapForeignFields({ permalink: '/blog/{{ title | slugify }}/' }).data.aliases).toBeUndefined();
    expect(mapForeignFields({ permalink: false }).data.aliases).toBeUndefined();
  });

  it('should not take one bare word for a call to action', () => {
    const mapped = mapForeignFields({ cta: 'react' });
    expect(mapped.data.cta).toBeUndefined();
    expect(mapped.notices[0]!.message).toMatch(/not shown as a call to action/);
    expect(mapForeignFields({ cta: 'Enjoyed it? [Subscribe](https://x.y).' }).data.cta).toBe('Enjoyed it? [Subscribe](https://x.y).');
    expect(mapForeignFields({ cta: false }).data.cta).toBe(false);
  });

  it('should list the keys it read', () => {
    expect(mapForeignFields({ title: 'x', categories: ['a'], layout: 'post' }).mapped).toEqual(['categories']);
  });
});

describe('readHeader()', () => {
  it('should read YAML, TOML (+++ and ---toml) and fence-less headers, with key lines', () => {
    const yaml = readHeader('---\ntitle: Y\ndate: 2013-05-06 02:12:52 +0200\n---\nBody');
    expect(yaml).toMatchObject({ ok: true, format: 'yaml', data: { title: 'Y', date: '2013-05-06 02:12:52 +0200' } });
    const toml = readHeader('+++\ntitle = "T"\ndate = 2024-06-23T21:56:58-07:00\n+++\nBody');
    expect(toml).toMatchObject({ ok: true, format: 'toml', data: { title: 'T', date: '2024-06-23T21:56:58-07:00' } });
    if (toml.ok) {
      expect(toml.lineOf('date')).toBe(3);
      expect('+++\ntitle = "T"\ndate = 2024-06-23T21:56:58-07:00\n+++\nBody'.slice(toml.bodyStart)).toBe('Body');
    }
    expect(readHeader('---toml\ntitle = "T"\n---\n')).toMatchObject({ ok: true, format: 'toml', data: { title: 'T' } });
    expect(readHeader('---json\n{ "title": "J", "tags": ["a"] }\n---\n')).toMatchObject({ ok: true, format: 'yaml', data: { title: 'J', tags: ['a'] } });
    expect(readHeader('Title: P\nDate: 2010-12-03\n\nBody')).toMatchObject({ ok: true, format: 'fenceless', data: { title: 'P' } });
  });

  it('should name the line of broken TOML', () => {
    expect(readHeader('+++\ntitle = "T"\ndate = \n+++\n')).toMatchObject({
      ok: false,
      line: 3,
      message: expect.stringMatching(/^broken TOML in the frontmatter/),
    });
  });

  it('should refuse JavaScript frontmatter without running it', () => {
    const ran = { value: false };
    (globalThis as Record<string, unknown>).__ledeRan = ran;
    const result = readHeader('---js\n{ title: (globalThis.__ledeRan.value = true, "x") }\n---\n');
    expect(result).toMatchObject({ ok: false, line: 1, message: expect.stringMatching(/JavaScript \(`---js`\), which Lede does not run/) });
    expect(ran.value).toBe(false);
  });

  it('should read a file with no frontmatter as no fields, and say when frontmatter is not closed', () => {
    expect(readHeader('# Just markdown')).toMatchObject({ ok: true, format: 'none', data: {}, bodyStart: 0 });
    expect(readHeader('+++\ntitle = "x"\n')).toMatchObject({ ok: false, message: 'the frontmatter is not closed; add a line `+++` after it' });
  });
});
