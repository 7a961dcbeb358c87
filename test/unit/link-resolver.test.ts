/**
 * Links and images resolve as on GitHub (src/content/link-resolver.ts):
 * against the file's own folder, a post's source to its address, a
 * wikilink by name (Obsidian's shortest match).
 */
import { describe, expect, it } from '@jest/globals';
import { findWikiTarget, parseWikilink, resolveRef, type LinkFrom } from '../../src/content/link-resolver.js';
import { buildLinkSite, linkFromOf, linkSiteOf, shareLinkSite } from '../../src/content/link-site.js';

const site = buildLinkSite(
  [
    { relPath: '2020-01-05-next.md', url: '/posts/next' },
    { relPath: '2020/other.md', url: '/posts/other' },
    { relPath: 'notes/idea.md', url: '/posts/idea' },
    { relPath: 'archive/idea.md', url: '/posts/idea-2' },
    { relPath: 'archive/deep/idea.md', url: '/posts/idea-3' },
    { relPath: 'trip/index.md', url: '/posts/trip' },
    { relPath: 'pages/about.md', url: '/about' },
  ],
  ['images/x.png', 'attachments/diagram.png', 'hexo/beside.png', 'beside.png'],
);

const single: LinkFrom = { relPath: '2020/post.md' };
const bundle: LinkFrom = { relPath: 'trip/index.md', bundle: { slug: 'trip', dir: 'trip' } };
const hexo: LinkFrom = { relPath: 'hexo.md', bundle: { slug: 'hexo', dir: 'hexo' } };

describe('resolveRef()', () => {
  it.each([
    ['../images/x.png', '/images/x.png', 'file'],
    ['./pic.png', '/2020/pic.png', 'file'],
    ['pic.png?v=2#top', '/2020/pic.png?v=2#top', 'file'],
    ['my photo.png', '/2020/my%20photo.png', 'file'],
    ['%2e%2e/images/x.png', '/images/x.png', 'file'],
    ['../2020-01-05-next.md', '/posts/next', 'post'],
    ['other.md#section', '/posts/other#section', 'post'],
    ['../pages/about.md', '/about', 'post'],
    ['gone.md', '/2020/gone.md', 'missing-post'],
    ['../../x.png', '#', 'outside'],
    ['../static/img/logo.png', '/img/logo.png', 'file'],
  ])('from a single-file post, %j is %s (%s)', (ref, url, kind) => {
    expect(resolveRef(ref, single, site)).toMatchObject({ url, kind });
  });

  it.each(['https://e.com/a.png', '/assets/a.png', '#part', 'mailto:a@b.c', ''])('leaves %j as written', (ref) => {
    expect(resolveRef(ref, single, site)).toBeUndefined();
  });

  it("gives a bundle's own files their bundle address, and a file outside it its place", () => {
    expect(resolveRef('a.png', bundle, site)).toMatchObject({ url: '/posts/trip/a.png', kind: 'bundle-file', tried: 'trip/a.png' });
    expect(resolveRef('img/b.png', bundle, site)?.url).toBe('/posts/trip/img/b.png');
    expect(resolveRef('../images/x.png', bundle, site)?.url).toBe('/images/x.png');
    expect(resolveRef('./#top', bundle, site)?.url).toBe('/posts/trip#top');
  });

  it("reads a Hexo post's references in its asset folder, unless the file is beside the post", () => {
    expect(resolveRef('x.png', hexo, site)).toMatchObject({ url: '/posts/hexo/x.png', tried: 'hexo/x.png' });
    expect(resolveRef('hexo/x.png', hexo, site)?.url).toBe('/posts/hexo/x.png');
    expect(resolveRef('beside.png', hexo, site)?.url).toBe('/beside.png');
  });

  it('says what it tried, relative to the content folder', () => {
    expect(resolveRef('../images/none.png', single, site)?.tried).toBe('images/none.png');
  });
});

describe('findWikiTarget()', () => {
  it.each([
    ['Next', undefined],
    ['2020-01-05-next', '2020-01-05-next.md'],
    ['Other', '2020/other.md'],
    ['other.md', '2020/other.md'],
    ['trip', 'trip/index.md'],
    ['deep/idea', 'archive/deep/idea.md'],
    ['diagram.png', 'attachments/diagram.png'],
    ['nowhere', undefined],
  ])('finds [[%s]] at %s', (target, found) => {
    expect(findWikiTarget(target, single, site)).toBe(found);
  });

  it('prefers the match in the same folder, else the shortest path', () => {
    expect(findWikiTarget('idea', { relPath: 'archive/deep/x.md' }, site)).toBe('archive/deep/idea.md');
    expect(findWikiTarget('idea', { relPath: 'archive/y.md' }, site)).toBe('archive/idea.md');
    expect(findWikiTarget('idea', single, site)).toBe('notes/idea.md');
  });
});

describe('parseWikilink()', () => {
  it('splits target, heading and alias', () => {
    expect(parseWikilink('Note#Part|label')).toEqual({ target: 'Note', heading: 'Part', alias: 'label' });
    expect(parseWikilink('image.png|300')).toEqual({ target: 'image.png', heading: undefined, alias: '300' });
    expect(parseWikilink('#Part')).toEqual({ target: '', heading: 'Part', alias: undefined });
  });
});

describe('the shared site', () => {
  it('reaches a thread as it was made', () => {
    const decoded = linkSiteOf(
      shareLinkSite(
        [...site.sources].map(([relPath, url]) => ({ relPath, url })),
        site.media,
      ),
    );
    expect([...decoded.sources]).toEqual([...site.sources]);
    expect([...decoded.media]).toEqual([...site.media]);
  });

  it("takes a Hexo post's asset folder and a bundle's own folder as its bundle", () => {
    expect(linkFromOf({ relPath: 'a/hexo.md', file: '/c/a/hexo.md', slug: 'hexo', bundleDir: '/c/a/hexo' }, true).bundle).toEqual({
      slug: 'hexo',
      dir: 'a/hexo',
    });
    expect(linkFromOf({ relPath: 'trip/index.md', file: '/c/trip/index.md', slug: 'trip', bundleDir: '/c/trip' }, true).bundle).toEqual({
      slug: 'trip',
      dir: 'trip',
    });
    expect(linkFromOf({ relPath: 'pages/c/index.md', file: '/c/pages/c/index.md', slug: 'c', bundleDir: '/c/pages/c' }, false).bundle).toBeUndefined();
  });
});
