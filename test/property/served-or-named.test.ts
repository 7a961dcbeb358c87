/**
 * No file is ever dropped silently (issue 29): whatever shapes a content
 * folder mixes (frontmatter or none, empty values, other tools' dates and
 * capitalised keys, names in any script or with ordering numbers, sections,
 * bundles, nested folders, random names and bytes), every markdown file in
 * it is either served (its address answers 200, or it is a draft or
 * scheduled, as its author said) or named by `npm run check`, with its
 * line where one applies; and a served post whose title is a default is
 * named too, by a notice. Six folders a run in `npm test`;
 * `LEDE_PROPERTY_RUNS=150` looks harder (CI's six once found an empty post
 * file whose asset folder's markdown went unnamed).
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import request from 'supertest';
import { checkContent } from '../../src/cli/check-content.js';
import { MARKDOWN } from '../../src/content/find-posts.js';
import type { Post } from '../../src/content/post.js';
import { ContentStore } from '../../src/content/store.js';
import { isSlug, slugify } from '../../src/content/slug.js';
import { postUrl } from '../../src/content/urls.js';
import { TempContent, testApp } from '../helpers/site.js';

/** Words as writers name notes: ASCII, other scripts, accents, dates, ordering numbers, nothing to make a slug of. */
const word = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/),
  fc.constantFrom('Привет мир', 'Straße', '日本語のメモ', '中文', 'Café crème', 'Ελληνικά', 'मेरा नोट', '한국어', '🎉', '2024', 'README', 'Index', 'v4'),
);
const nameOf = fc
  .tuple(fc.constantFrom('', '', '01-', '36.', '2024-02-09-', '1. ', '191215-'), word, fc.option(word, { nil: undefined }))
  .map(([prefix, a, b]) => `${prefix}${a}${b === undefined ? '' : ` ${b}`}`);
/** Any name a file system takes that is not hidden, private (`_`) or one of the content folder's own (`pages`, `static`). */
const randomName = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
  .filter((n) => !/[/\\\0]/.test(n) && !/^[._]/.test(n) && n.trim() === n && Buffer.byteLength(n) < 100 && !/^(pages|static)$/i.test(n));
const segment = fc.oneof(
  { weight: 3, arbitrary: nameOf },
  { weight: 1, arbitrary: randomName },
  { weight: 1, arbitrary: fc.constantFrom('2024-02-09', '2025') },
);
const extension = fc.constantFrom('.md', '.md', '.markdown', '.MD', '.mdx');

/** Frontmatter lines as copied blogs hold them: Lede's, empty, capitalised, odd dates, drafts. */
const headerLine = fc.constantFrom(
  'title: A title',
  'title:',
  'Title: Hugo title',
  'title: "  "',
  'date: 2024-02-09',
  'date: Mon Sep 09 2024 04:38:21 GMT+0000 (Coordinated Universal Time)',
  'Date: 2019-03-04T10:00:00+01:00',
  'date: Mon, 06 May 2013 02:12:52 +0200',
  'date: 2024-09-09 04:38',
  'date: someday',
  'date: 2999-01-01',
  'date:',
  'draft: true',
  'draft:',
  'canonical_url:',
  'canonical_url: javascript:alert(1)',
  'Tags: [a, b]',
  'tags:',
  'slug: Другой адрес',
  'slug: ""',
  'author:',
  'cover:',
  'description: ""',
  'extra: [1, 2',
);
const bodyText = fc
  .array(fc.oneof(fc.constantFrom('# A heading', '## Sub', 'Text.', '```', '# In a fence?', '', '---', '![i](pic.png)'), fc.string({ maxLength: 20 })), {
    maxLength: 6,
  })
  .map((lines) => lines.join('\n'));
const fileText = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(fc.array(headerLine, { maxLength: 5 }), bodyText).map(([lines, body]) => Buffer.from(`---\n${lines.join('\n')}\n---\n${body}\n`)),
  },
  { weight: 2, arbitrary: bodyText.map((body) => Buffer.from(`# Title in the body\n\n${body}\n`)) },
  { weight: 2, arbitrary: bodyText.map((body) => Buffer.from(body)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.array(headerLine, { maxLength: 3 }), bodyText)
      .map(([lines, body]) => Buffer.from(`+++\ntitle = "T"\n+++\n${lines.join('\n')}\n${body}`)),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 60 }).map((bytes) => Buffer.from(bytes)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(Buffer.from(''), Buffer.from('---\ntitle: unclosed\n'), Buffer.from('Title: Pelican\nDate: 2012-10-31 10:20\n\nBody\n')),
  },
);

/** One shape in the folder: a note, a note in folders, a bundle (alone with its image), or a section (its page and notes). */
const shape = fc.oneof(
  fc.tuple(segment, extension, fileText).map(([name, ext, text]) => [[`${name}${ext}`, text]] as [string, Buffer][]),
  fc
    .tuple(fc.array(segment, { minLength: 1, maxLength: 3 }), segment, extension, fileText)
    .map(([dirs, name, ext, text]) => [[`${dirs.join('/')}/${name}${ext}`, text]] as [string, Buffer][]),
  fc.tuple(segment, fileText).map(([dir, text]): [string, Buffer][] => [
    [`${dir}/index.md`, text],
    [`${dir}/pic.png`, Buffer.from('png')],
  ]),
  fc
    .tuple(segment, fileText, fc.array(fc.tuple(segment, extension, fileText), { minLength: 1, maxLength: 3 }), fc.boolean())
    .map(([dir, page, notes, deep]) => [
      [`${dir}/index.md`, page] as [string, Buffer],
      ...notes.map(([name, ext, text], i): [string, Buffer] => [deep && i === 0 ? `${dir}/sub/${name}${ext}` : `${dir}/${name}${ext}`, text]),
    ]),
);

/** Every markdown file under `dir`, relative, as the test wrote them (no hidden or `_` names are written). */
function markdownFiles(dir: string, rel = ''): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const relPath = rel ? `${rel}/${name}` : name;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) files.push(...markdownFiles(full, relPath));
    else if (MARKDOWN.test(name)) files.push(relPath);
  }
  return files;
}

const NOW = Date.now();

describe('every markdown file in any content folder (issue 29)', () => {
  it('should be served at its address, or be a draft or scheduled, or be named by check', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(shape, { minLength: 1, maxLength: 8 }), async (shapes) => {
        const content = new TempContent();
        try {
          for (const [relPath, bytes] of shapes.flat()) {
            // A later shape may want a folder where an earlier one wrote a file (or the reverse): that file stays as it is.
            try {
              mkdirSync(path.dirname(path.join(content.dir, relPath)), { recursive: true });
              writeFileSync(path.join(content.dir, relPath), bytes);
            } catch {}
          }
          const store = new ContentStore({ contentDir: content.dir, defaults: { author: 'A', timezone: 'UTC' }, showDrafts: true });
          const snapshot = await store.refresh(true);
          store.close();
          const posts = new Map<string, Post>([...snapshot.bySlug.values()].map((post) => [post.relPath, post]));
          const report = await checkContent(content.dir, 1024 * 1024, { now: NOW });
          const named = [...report.problems, ...report.notices];
          const app = testApp(content);
          try {
            for (const file of markdownFiles(content.dir)) {
              const post = posts.get(file);
              // A title the file does not give is a default, and check says so.
              if (post && post.fieldLines.title === undefined) {
                expect({ file, noticed: named.some((n) => n.file === file && /title/.test(n.message)) }).toEqual({ file, noticed: true });
              }
              if (post && !post.draft && post.published.instant <= NOW) {
                const res = await request(app).get(postUrl(post));
                expect({ file, url: postUrl(post), status: res.status }).toEqual({ file, url: postUrl(post), status: 200 });
                if (post.title) expect(res.text).toContain(escaped(post.title));
              } else if (!post) {
                const naming = named.filter((n) => n.file === file);
                expect({ file, named: naming.length > 0, all: named }).toMatchObject({ file, named: true });
                for (const n of naming) if (n.line !== undefined) expect(n.line).toBeGreaterThanOrEqual(1);
              }
            }
          } finally {
            app.store.close();
            app.pages.close();
          }
        } finally {
          content.cleanup();
        }
      }),
      { numRuns: Number(process.env.LEDE_PROPERTY_RUNS ?? 6) },
    );
  }, 120_000);
});

describe('slugs of any text', () => {
  it('should be stable (the slug of a slug is itself), a slug the router takes, and one path segment on the wire', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }), word), (text) => {
        const slug = slugify(text);
        expect(slugify(slug)).toBe(slug);
        expect(slugify(text.normalize('NFD'))).toBe(slug);
        if (slug) {
          expect(isSlug(slug)).toBe(true);
          expect(postUrl(slug)).toMatch(/^\/posts\/[A-Za-z0-9%-]+$/);
          expect(decodeURIComponent(postUrl(slug).slice('/posts/'.length))).toBe(slug);
        }
      }),
      { numRuns: 500 },
    );
  });
});

/** The title as EJS writes it into the page. */
function escaped(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}
