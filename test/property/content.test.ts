/**
 * Property-based tests: whatever an editor leaves in the content folder,
 * parsing never throws past its boundary, the store always answers, and the
 * app never answers 500.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import request from 'supertest';
import { dump as stringify } from 'js-yaml';
import { parsePost } from '../../src/content/parse-post.js';
import { ContentStore } from '../../src/content/store.js';
import { isSlug, parseName, slugify } from '../../src/content/slug.js';
import { TempContent, testApp } from '../helpers/site.js';

const KEYS = [
  'title',
  'subtitle',
  'description',
  'author',
  'read_time',
  'publish_date',
  'date',
  'created_date',
  'updated_date',
  'heroImage',
  'hero_image',
  'image',
  'heroImageAlt',
  'cta',
  'tags',
  'draft',
  'slug',
  'canonical_url',
  'aliases',
  'extra',
];

const scalar = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    '2024-02-09',
    '2024-02-30',
    '2024-02-09T08:30:00+01:00',
    '9999-12-31',
    '0000-00-00',
    '../x.png',
    '/old',
    'https://e.com/a.jpg',
    '',
    ' ',
    '#',
    '%2e%2e/x',
  ),
);
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 5 }), scalar, { maxKeys: 3 }));
/** Random fields, half the time with a usable title so that many files are valid posts. */
const frontmatter = fc
  .tuple(
    fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })), value, { maxKeys: 8 }),
    fc.option(fc.string({ minLength: 1, maxLength: 30 })),
  )
  .map(([fields, title]) => (title === null ? fields : { ...fields, title: `T ${title}` }));

/** Lines that are often almost YAML: what a half-saved file holds. */
const yamlish = fc
  .array(
    fc.oneof(
      fc.string(),
      fc.constantFrom(
        'title: x',
        'title: [x',
        'tags:',
        '  - a',
        '\t- b',
        'a: b: c',
        '"',
        "'",
        '---',
        '...',
        '? x',
        '&a x',
        '*a',
        '!!binary x',
        'date: 2024-01-01',
        '%YAML 1.2',
        '|',
        '>',
      ),
    ),
    { maxLength: 8 },
  )
  .map((lines) => lines.join('\n'));

const markdown = fc
  .array(
    fc.oneof(
      fc.string(),
      fc.constantFrom(
        '# Heading',
        '![img](pic.png)',
        '![up](../../etc/passwd)',
        '[link](./a b.pdf)',
        '[ref]: <x.png>',
        '```',
        '<script>alert(1)</script>',
        '| a |\n|---|\n| b |',
        '- [ ] task',
        '> quote',
        '[x](%2e%2e/y)',
        '<img src=x onerror=alert(1)>',
        '***',
        '[^1]',
      ),
    ),
    { maxLength: 12 },
  )
  .map((lines) => lines.join('\n'));

/** Fields of the right types with odd values: most of these are valid posts. */
const plausibleFrontmatter = fc.record(
  {
    title: fc.string({ minLength: 1 }).map((t) => `T ${t}`),
    publish_date: fc.constantFrom('2024-02-09', '2024-02-09T08:30:00+01:00', '2999-01-01', '1970-01-01'),
    tags: fc.oneof(fc.array(fc.string(), { maxLength: 4 }), fc.string()),
    draft: fc.boolean(),
    heroImage: fc.constantFrom('cover.jpg', './a/b.png', '../up.png', '%2e%2e/x.png', 'https://e.com/x.jpg', '/abs.png', '?q', '#f'),
    aliases: fc.array(fc.oneof(fc.string({ minLength: 1 }), fc.constantFrom('old', '/old', '/posts/x', '/a/../b/')), { maxLength: 3 }),
    slug: fc.string({ minLength: 1 }),
    cta: fc.oneof(fc.string(), fc.constant(false)),
    description: fc.string(),
  },
  { requiredKeys: ['title'] },
);

/** A whole file: structured frontmatter, broken frontmatter, no frontmatter, or bytes. */
const fileBody = fc.oneof(
  fc.tuple(plausibleFrontmatter, markdown).map(([fm, md]) => Buffer.from(`---\n${safeStringify(fm)}---\n${md}`)),
  fc.tuple(frontmatter, markdown).map(([fm, md]) => Buffer.from(`---\n${safeStringify(fm)}---\n${md}`)),
  fc.tuple(yamlish, markdown).map(([y, md]) => Buffer.from(`---\n${y}\n---\n${md}`)),
  fc.tuple(yamlish, markdown).map(([y, md]) => Buffer.from(`${y}\n${md}`)),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
);

function safeStringify(data: unknown): string {
  try {
    return stringify(data);
  } catch {
    return 'title: fallback\n';
  }
}

const fileName = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,15}$/).map((n) => `${n}.md`),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,10}$/).map((n) => `${n}/index.md`),
  fc.constantFrom('2024-01-01-dated.md', 'x.markdown', 'Ünïcödé.md', 'a b.md'),
);

const signature = { mtimeMs: Date.UTC(2024, 0, 1), ctimeMs: 0, size: 0, ino: 1 };

describe('parsePost() on any input', () => {
  it('should return a post or an error naming the file and a real line, never throw', () => {
    fc.assert(
      fc.property(fileBody, fileName, fc.constantFrom('UTC', 'America/New_York', 'Pacific/Kiritimati'), (bytes, name, timezone) => {
        const bundle = name.endsWith('/index.md');
        const base = bundle ? name.slice(0, -'/index.md'.length) : name.replace(/\.(md|markdown)$/, '');
        const result = parsePost(
          { file: `/c/${name}`, relPath: name, bundleDir: bundle ? `/c/${base}` : undefined, name: parseName(base), signature, bytes },
          { author: 'A', timezone },
        );
        if (result.ok) {
          expect(result.post.title.trim()).not.toBe('');
          expect(result.post.slug).toMatch(/^[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(-[\p{L}\p{M}\p{N}]+)*$/u);
          expect(isSlug(result.post.slug)).toBe(true);
          for (const alias of result.post.aliases) expect(alias.startsWith('/')).toBe(true);
          if (result.post.heroImage && bundle) expect(result.post.heroImage).not.toMatch(/(^|\/)\.\.(\/|$)/);
        } else {
          expect(result.error.file).toBe(name);
          expect(result.error.message.length).toBeGreaterThan(0);
          const lines = bytes.toString('utf8').split('\n').length;
          if (result.error.line !== undefined) {
            expect(Number.isInteger(result.error.line)).toBe(true);
            expect(result.error.line).toBeGreaterThanOrEqual(1);
            expect(result.error.line).toBeLessThanOrEqual(lines + 1);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('the store and the app on any content folder', () => {
  it('should never throw, and never answer 500 on any route', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(fileName, fileBody), { minLength: 1, maxLength: 6, selector: ([n]) => n.toLowerCase() }),
        fc.constantFrom('development', 'production') as fc.Arbitrary<'development' | 'production'>,
        async (files, env) => {
          const content = new TempContent();
          try {
            for (const [name, bytes] of files) {
              mkdirSync(path.dirname(path.join(content.dir, name)), { recursive: true });
              writeFileSync(path.join(content.dir, name), bytes);
            }
            const store = new ContentStore({ contentDir: content.dir, defaults: { author: 'A', timezone: 'UTC' }, showDrafts: true });
            const snapshot = await store.refresh(true);
            expect(snapshot.errors.length + snapshot.bySlug.size).toBeGreaterThan(0);

            const app = testApp(content, { env, site: { posts_per_page: 2 } });
            const slugs = files.map(([name]) => parseName(name.replace(/(\/index)?\.(md|markdown)$/, '')).slug).filter(Boolean);
            const urls = [
              '/',
              '/page/2',
              '/page/3',
              '/healthz',
              '/feed.xml',
              '/atom.xml',
              '/feed.json',
              '/sitemap.xml',
              '/robots.txt',
              '/tags',
              '/old',
              '/posts/x',
            ];
            urls.push(...slugs.flatMap((s) => [`/posts/${s}`, `/posts/${s}/pic.png`]));
            for (const post of snapshot.bySlug.values()) {
              urls.push(`/posts/${post.slug}`, `/authors/${slugify(post.author)}`, ...post.tags.map((t) => `/tags/${slugify(t)}`), ...post.aliases);
            }
            for (const url of urls) {
              const res = await request(app).get(encodeURI(url));
              expect([200, 301, 304, 400, 404, 422]).toContain(res.status);
              if (res.status === 422) expect(env).toBe('development');
            }
            const health = await request(app).get('/healthz');
            expect(health.status).toBe(200);
            expect(health.body.errors).toBe(snapshot.errors.length);
          } finally {
            rmSync(content.dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
