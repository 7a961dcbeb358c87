/**
 * The docs test's own machinery: which blocks are examples, and that a
 * broken example or a broken link fails (the docs test would then fail the
 * build), shown on small pages written here.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brokenLinks, examples, fences, headingAnchors, relativeLinks, runExample, Sandbox } from './doc-examples.js';

const page = [
  '# A page',
  '',
  '```markdown example',
  '---',
  'title: Hello',
  '---',
  'Hi.',
  '```',
  '',
  '````md',
  '```sh example',
  'not an example: inside a longer fence',
  '```',
  '````',
  '',
  '```sh',
  'rm -rf /   # prose: no marker, never run',
  '```',
  '',
  '~~~yaml example site',
  'title: T',
  '~~~',
].join('\n');

describe('fences()', () => {
  it('finds each block with its info string and line, longer fences holding shorter ones', () => {
    expect(fences(page).map((f) => [f.lang, f.words, f.line])).toEqual([
      ['markdown', ['example'], 3],
      ['md', [], 10],
      ['sh', [], 16],
      ['yaml', ['example', 'site'], 20],
    ]);
  });
});

describe('examples()', () => {
  it('takes only blocks marked `example`, by kind', () => {
    expect(examples(page).map((e) => e.kind)).toEqual(['post', 'site']);
  });

  it('reads the attributes', () => {
    const found = examples(
      '```markdown example problems path=pages/about.md\nx\n```\n```sh example exit=1\nfalse\n```\n```ejs example file=t/views/a.ejs\nx\n```\n',
    );
    expect(found).toMatchObject([
      { kind: 'post', problems: true, path: 'pages/about.md' },
      { kind: 'shell', exit: 1 },
      { kind: 'file', path: 't/views/a.ejs' },
    ]);
  });

  it('never turns a misspelt marker into prose', () => {
    expect(examples('```yaml example sitee\ntitle: x\n```\n').map((e) => e.kind)).toEqual(['unknown']);
  });
});

describe('runExample()', () => {
  const sandbox = new Sandbox();
  afterAll(() => sandbox.cleanup());
  const run = (markdown: string): Promise<string[]> => runExample(examples(markdown)[0]!, sandbox);

  it('passes a good post, site file, frontmatter and command', async () => {
    expect(await run('```markdown example\n---\ntitle: "Good & <fine>"\n---\nText.\n```\n')).toEqual([]);
    expect(await run('```yaml example site\ntitle: A site\nposts_per_page: 5\n```\n')).toEqual([]);
    expect(await run('```yaml example frontmatter\ntags: [a, b]\n```\n')).toEqual([]);
    expect(await run('```sh example\nnpm run check -- content\n```\n')).toEqual([]);
  });

  // The demonstration the issue asks for: each of these would fail the docs test.
  it('fails a post that check rejects, naming the problem', async () => {
    expect(await run('```markdown example\n---\ntitle: Bad date\npublish_date: someday\n---\nText.\n```\n')).toEqual([
      expect.stringContaining('example.md:3: field `publish_date`'),
    ]);
  });

  it('fails a post marked `problems` that has none', async () => {
    expect(await run('```markdown example problems\n---\ntitle: Fine\n---\nText.\n```\n')).toEqual([expect.stringContaining('found no problem')]);
  });

  it('fails a draft post that no reader can see', async () => {
    const failures = await run('```markdown example\n---\ntitle: Later\npublish_date: 2999-01-01\n---\nText.\n```\n');
    expect(failures).toEqual([expect.stringContaining('in no page of the sitemap')]);
  });

  it('fails a site file with a wrong value', async () => {
    expect(await run('```yaml example site\nposts_per_page: 0\n```\n')).toEqual([expect.stringContaining('_site.yml:1: field `posts_per_page`')]);
  });

  it('fails a command that fails, and one that is not allowed', async () => {
    const missing = await run('```sh example\nnpm run check -- no-such-folder\n```\n');
    expect(missing).toEqual([expect.stringMatching(/^exited 2, expected 0:\n.*no-such-folder is not a folder/s)]);
    expect(await run('```sh example\nnpm install left-pad\n```\n')).toEqual([expect.stringContaining("'npm install' cannot run in an example")]);
  });

  it('fails a command whose exit status differs from `exit=`', async () => {
    expect(await run('```sh example exit=1\nnpm run check -- content\n```\n')).toEqual([expect.stringContaining('exited 0, expected 1')]);
  });

  it('sends an http example to the site of the sandbox, and fails on another status', async () => {
    expect(await run('```http example\nGET /feed.json\n```\n')).toEqual([]);
    expect(await run('```http example status=404\nGET /no-such-page\n```\n')).toEqual([]);
    expect(await run('```http example\nGET /posts/no-such-post\n```\n')).toEqual(['GET /posts/no-such-post answered 404, expected 200']);
  });

  it('writes `file=` blocks for the commands after them', async () => {
    expect(await run('```markdown example file=content/broken.md\n---\ntitle: [\n---\n```\n')).toEqual([]);
    expect(await run('```sh example exit=1\nnpm run check -- content\n```\n')).toEqual([]);
  });
});

describe('links', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lede-links-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds relative links outside code, and leaves other sites and site paths alone', () => {
    const text = '[a](a.md) ![i](img/x.png "t") [w](https://x.test) [s](/about) `[c](c.md)`\n\n[r]: ref.md#top\n\n```\n[f](f.md)\n```\n';
    expect(relativeLinks(text).map((l) => l.target)).toEqual(['a.md', 'img/x.png', 'ref.md#top']);
  });

  it('makes heading anchors as GitHub does', () => {
    expect([...headingAnchors('# Lede\n## `npm run check`\n## Pages, site-wide files and the archive\n## Lede\n')]).toEqual([
      'lede',
      'npm-run-check',
      'pages-site-wide-files-and-the-archive',
      'lede-1',
    ]);
  });

  it('fails a link to a missing file or a missing heading', () => {
    writeFileSync(path.join(dir, 'other.md'), '# Other\n## Real heading\n');
    const file = path.join(dir, 'page.md');
    writeFileSync(file, '# Page\n[ok](other.md#real-heading) [self](#page)\n[gone](missing.md)\n[anchor](other.md#no-such)\n');
    expect(brokenLinks(file).map((b) => b.replace(/^.*page\.md:/, ''))).toEqual([
      '3: missing.md: no such file',
      '4: other.md#no-such: no heading #no-such there',
    ]);
  });
});
