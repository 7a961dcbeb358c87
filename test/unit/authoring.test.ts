import { describe, expect, it } from '@jest/globals';
import { normaliseAlias, normaliseRequestPath } from '../../src/content/aliases.js';
import { parsePost } from '../../src/content/parse-post.js';
import { bundleUrl } from '../../src/content/urls.js';
import { parseName } from '../../src/content/slug.js';
import { loadConfig } from '../../src/config.js';
import { render, type RenderOptions } from '../../src/render/markdown.js';
import { settingsProblems } from '../../src/settings.js';
import { TempContent } from '../helpers/site.js';

/** The HTML of `render` (these tests were written for the HTML alone). */
const renderMarkdown = (source: string, options?: RenderOptions): string => render(source, options).html;

describe('normaliseAlias()', () => {
  it.each([
    ['old-slug', '/posts/old-slug'],
    ['Old Slug', '/posts/old-slug'],
    ['/old-url', '/old-url'],
    ['/old-url/', '/old-url'],
    ['/posts/old-slug', '/posts/old-slug'],
    ['2019/05/post', '/2019/05/post'],
    ['/a/./b/../c', '/a/c'],
    ['/with space', '/with%20space'],
    ['/café', '/caf%C3%A9'],
    // Regressions (issue 19): encoded aliases are kept as the URL guard spells request paths.
    ['/caf%c3%a9', '/caf%C3%A9'],
    ['/caf%65', '/cafe'],
  ])('should read %j as %s', (raw, path) => expect(normaliseAlias(raw)).toBe(path));

  it.each([
    ['', /empty/],
    ['https://old.example.com/x', /full URL/],
    ['//old.example.com/x', /full URL/],
    ['/', /front page/],
    ['/..', /front page/],
    ['!!!', /no letters or digits/],
    // Regressions (issue 19): the real reason, not "the front page".
    ['/\\evil.com', /contains a backslash, which the server refuses/],
    ['/a%2Fb', /can never be requested: the server refuses an address with an encoded/],
    ['/a%zz', /can never be requested: the server refuses an address with a % that/],
  ])('should refuse %j', (raw, message) => {
    const result = normaliseAlias(raw);
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toMatch(message);
  });

  it('should match request paths in the same form', () => {
    expect(normaliseRequestPath('/with%20space')).toBe(normaliseAlias('/with space'));
    expect(normaliseRequestPath('/caf%C3%A9')).toBe(normaliseAlias('/café'));
  });
});

describe('bundleUrl()', () => {
  it.each([
    ['cover.jpg', '/posts/trip/cover.jpg'],
    ['./cover.jpg', '/posts/trip/cover.jpg'],
    ['images/a.png', '/posts/trip/images/a.png'],
    ['images/../a.png', '/posts/trip/a.png'],
    ['a.png?v=2#x', '/posts/trip/a.png?v=2#x'],
    ['my%20photo.png', '/posts/trip/my%20photo.png'],
    ['../other/a.png', '#'],
    ['images/../../a.png', '#'],
    ['%2e%2e/a.png', '#'],
    ['..\\a.png', '#'],
    ['https://e.com/a.png', 'https://e.com/a.png'],
    ['/assets/a.png', '/assets/a.png'],
    ['#section', '#section'],
    ['mailto:a@b.c', 'mailto:a@b.c'],
  ])('should resolve %j to %s', (ref, url) => expect(bundleUrl('trip', ref)).toBe(url));

  it('should be what the markdown of a bundle renders', () => {
    const html = renderMarkdown('![a](a.png) [b](../b.pdf)', { links: { from: { relPath: 'trip/index.md', bundle: { slug: 'trip', dir: 'trip' } } } });
    expect(html).toContain('src="/posts/trip/a.png"');
    // Out of the bundle, a file of the content folder at its place (docs/moving-from-another-generator.md, "Links and images").
    expect(html).toContain('href="/b.pdf"');
  });
});

describe('settingsProblems()', () => {
  it('should list every problem of the settings file with its line', () => {
    const content = new TempContent();
    content.write('_site.yml', 'title: Site\ntimezone: Mars/Base\nnav:\n  - label: Home\n    url: /\n  - label: ""\n    url: /x\nposts_per_page: many\n');
    expect(settingsProblems(content.dir)).toEqual([
      { file: '_site.yml', line: 2, message: 'field `timezone` is not an IANA time zone such as Europe/London' },
      { file: '_site.yml', line: 6, message: 'field `nav.1.label` must not be empty' },
      { file: '_site.yml', line: 8, message: 'field `posts_per_page`: expected a number, got text "many"' },
    ]);
    content.cleanup();
  });

  it('should name the line of broken YAML', () => {
    const content = new TempContent();
    content.write('_site.yml', 'title: Site\nnav: [\n');
    const [problem] = settingsProblems(content.dir);
    expect(problem).toMatchObject({ file: '_site.yml' });
    expect(problem!.message).toMatch(/^broken YAML: /);
    expect(problem!.line).toBeGreaterThanOrEqual(2);
    content.cleanup();
  });

  it('should find nothing wrong with no settings file at all', () => {
    const content = new TempContent();
    expect(settingsProblems(content.dir)).toEqual([]);
    content.cleanup();
  });
});

describe('MAX_POST_BYTES', () => {
  it('should default to 2 MB and be read from the environment', () => {
    const content = new TempContent();
    expect(loadConfig({ CONTENT_DIR: content.dir }).maxPostBytes).toBe(2 * 1024 * 1024);
    expect(loadConfig({ CONTENT_DIR: content.dir, MAX_POST_BYTES: '65536' }).maxPostBytes).toBe(65536);
    expect(() => loadConfig({ CONTENT_DIR: content.dir, MAX_POST_BYTES: 'lots' })).toThrow(/MAX_POST_BYTES/);
    content.cleanup();
  });
});

describe('broken YAML, in words an author understands', () => {
  const parse = (text: string) => {
    const result = parsePost(
      {
        file: '/c/p.md',
        relPath: 'p.md',
        bundleDir: undefined,
        name: parseName('p'),
        signature: { mtimeMs: 0, ctimeMs: 0, size: 0, ino: 0 },
        bytes: Buffer.from(text),
      },
      { author: 'A', timezone: 'UTC' },
    );
    if (result.ok) throw new Error('expected an error');
    return `${result.error.line}: ${result.error.message}`;
  };

  const INDENT = 'a line is indented wrongly, or a value holds ": " or starts with @ or ` (put such a value in quotes: title: "A: B")';
  it.each([
    ['---\ntitle: Hello: world\n---\n', `2: broken YAML in the frontmatter: ${INDENT}`],
    ['---\ntitle: @me\n---\n', `2: broken YAML in the frontmatter: ${INDENT}`],
    [
      '---\ntitle: x\ntags: [a, b\nauthor: me\n---\n',
      '3: broken YAML in the frontmatter: a list [ or a mapping { is opened and never closed (or a comma is missing in it)',
    ],
    ['---\ntitle: "x\n---\n', '2: broken YAML in the frontmatter: a " quote is opened and never closed'],
    ["---\ntitle: 'x\n---\n", "2: broken YAML in the frontmatter: a ' quote is opened and never closed"],
    ['---\ntitle: x\n\tauthor: y\n---\n', '3: broken YAML in the frontmatter: a line is indented with a tab; indent with spaces'],
    ['---\ntitle: x\ntitle: y\n---\n', '3: broken YAML in the frontmatter: this field is already set above; keep one of the two'],
    ['---\ntitle x\nauthor: y\n---\n', '3: broken YAML in the frontmatter: a line is not `key: value` (is the colon missing?)'],
    ['---\ntitle: *x\n---\n', '2: broken YAML in the frontmatter: a value starts with * (which YAML reads as an alias); put it in quotes'],
  ])('should explain %j', (text, expected) => expect(parse(text)).toBe(expected));
});

describe('frontmatter text written bare', () => {
  it('should read numbers as text where text is meant (title: 1984, slug: 2024)', () => {
    const result = parsePost(
      {
        file: '/c/p.md',
        relPath: 'p.md',
        bundleDir: undefined,
        name: parseName('p'),
        signature: { mtimeMs: 0, ctimeMs: 0, size: 0, ino: 0 },
        bytes: Buffer.from('---\ntitle: 1984\nslug: 2024\nsubtitle: 42\naliases: 1999\n---\n'),
      },
      { author: 'A', timezone: 'UTC' },
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(result.post).toMatchObject({ title: '1984', slug: '2024', subtitle: '42', aliases: ['/posts/1999'] });
  });
});
