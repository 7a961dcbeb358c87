/**
 * What a change to one named path means (src/content/named-change.ts): a
 * known post edited, a plain post added or removed, a name that is no post;
 * everything else asks for a listing of the folder.
 */
import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { findPosts } from '../../src/content/find-posts.js';
import { classifyNamed, type KnownFolder } from '../../src/content/named-change.js';
import { TempContent } from '../helpers/site.js';

describe('classifyNamed', () => {
  let content: TempContent;
  let root: string;
  /** What the folder holds now, as the store's last listing would. */
  const known = (): KnownFolder => {
    const found = findPosts(content.dir);
    const byFile = new Map(found.files.map((f) => [f.file, f]));
    return { root, relPrefix: '', found, fileAt: (file) => byFile.get(file) };
  };
  const at = (rel: string): string => path.join(root, rel);

  beforeEach(() => {
    content = new TempContent();
    root = realpathSync(content.dir);
    content.post('a.md', { title: 'A' });
    content.post('bundle/index.md', { title: 'Bundle' });
    content.post('2023/old.md', { title: 'Old' });
  });
  afterEach(() => content.cleanup());

  it('should call a known post edited in place changed, with its new signature', () => {
    const before = known();
    content.post('a.md', { title: 'A, edited at more length' });
    const change = classifyNamed(at('a.md'), before);
    expect(change.kind).toBe('changed');
    expect(change.kind === 'changed' && change.file.signature.size).not.toBe(before.fileAt(at('a.md'))!.signature.size);
  });

  it('should call a new plain post added, in the top folder and in a folder of posts', () => {
    const before = known();
    content.post('b.md', { title: 'B' });
    content.post('2023/new.md', { title: 'New' });
    expect(classifyNamed(at('b.md'), before)).toMatchObject({ kind: 'added', file: { relPath: 'b.md', baseName: 'b', bundleDir: undefined } });
    expect(classifyNamed(at('2023/new.md'), before)).toMatchObject({ kind: 'added', file: { relPath: '2023/new.md', baseName: 'new' } });
  });

  it('should call a plain post gone removed, and a temporary file that came and went nothing', () => {
    const before = known();
    content.remove('a.md');
    expect(classifyNamed(at('a.md'), before)).toMatchObject({ kind: 'removed', file: { relPath: 'a.md' } });
    expect(classifyNamed(at('4913'), before)).toEqual({ kind: 'nothing' });
    content.write('notes.txt', 'not a post');
    expect(classifyNamed(at('notes.txt'), before)).toEqual({ kind: 'nothing' });
  });

  it.each([
    ['a new folder', (c: TempContent) => c.post('newbundle/index.md', { title: 'N' }), 'newbundle'],
    ['a bundle removed', (c: TempContent) => c.remove('bundle'), 'bundle'],
    ["a bundle's index.md removed", (c: TempContent) => c.remove('bundle/index.md'), 'bundle/index.md'],
    ['a second markdown file in a bundle', (c: TempContent) => c.post('bundle/other.md', { title: 'O' }), 'bundle/other.md'],
    ['a folder of posts removed', (c: TempContent) => c.remove('2023'), '2023'],
    ['the settings file', (c: TempContent) => c.write('_site.yml', 'title: X\n'), '_site.yml'],
    ['the authors file', (c: TempContent) => c.write('authors.yml', 'jo:\n  name: Jo\n'), 'authors.yml'],
    [
      'a post beside a folder of its name (an asset folder)',
      (c: TempContent) => {
        mkdirSync(path.join(c.dir, 'pics'));
        c.post('pics.md', { title: 'P' });
      },
      'pics.md',
    ],
    ['a file check reports (other markup)', (c: TempContent) => c.write('post.rst', 'Title\n====\n'), 'post.rst'],
    ['an image in a sub-folder of posts (it may make the folder a bundle)', (c: TempContent) => c.write('2023/photo.png', 'png'), '2023/photo.png'],
    ['a symlink', (c: TempContent) => symlinkSync(path.join(c.dir, 'a.md'), path.join(c.dir, 'link.md')), 'link.md'],
    ['the folder itself', () => undefined, ''],
  ])('should ask for a listing for %s', (_what, change, rel) => {
    const before = known();
    change(content);
    expect(classifyNamed(rel ? at(rel) : root, before)).toEqual({ kind: 'list' });
  });

  it('should ask for a listing when an added or removed file was reported by the last listing', () => {
    content.write('post.rst', 'Title\n====\n');
    const before = known();
    content.remove('post.rst');
    expect(classifyNamed(at('post.rst'), before)).toEqual({ kind: 'list' });
  });
});
