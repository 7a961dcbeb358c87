/** How the sitemap's URLs are split into files (sitemaps.org: 50,000 URLs and 50 MB a file). */
import { describe, expect, it } from '@jest/globals';
import type { PageView } from '../../src/content/page-store.js';
import { ParsedPost, parsePost } from '../../src/content/parse-post.js';
import type { Post } from '../../src/content/post.js';
import type { SiteView } from '../../src/content/site-view.js';
import { parseName } from '../../src/content/slug.js';
import { sitemapOf, splitSitemap, SITEMAP_LIMITS, SITEMAP_MAX_BYTES, SITEMAP_MAX_URLS } from '../../src/render/sitemap.js';
import { LOOP_LIMIT_MS, measureLoop } from '../helpers/loop-watch.js';
import { testConfig } from '../helpers/site.js';

const url = (i: number): string => `  <url>\n    <loc>https://blog.example.com/posts/p-${i}</loc>\n  </url>\n`;
const urls = (n: number): string[] => Array.from({ length: n }, (_, i) => url(i));

describe('splitSitemap', () => {
  it('should keep everything in one file while it fits, even nothing', () => {
    expect(splitSitemap(urls(3), { maxUrls: 3, maxBytes: 1e9 })).toEqual([urls(3)]);
    expect(splitSitemap([], SITEMAP_LIMITS)).toEqual([[]]);
  });

  it('should split at the URL limit, in order', () => {
    const groups = splitSitemap(urls(7), { maxUrls: 3, maxBytes: 1e9 });
    expect(groups.map((g) => g.length)).toEqual([3, 3, 1]);
    expect(groups.flat()).toEqual(urls(7));
  });

  it('should split at the byte limit, counting the urlset around the URLs', () => {
    const frame = Buffer.byteLength('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n</urlset>\n');
    const size = Buffer.byteLength(url(0));
    const groups = splitSitemap(urls(5), { maxUrls: 1000, maxBytes: frame + 2 * size });
    expect(groups.map((g) => g.length)).toEqual([2, 2, 1]);
  });

  it('should hold 50,000 URLs in one file and put the 50,001st in a second, at the real limits', () => {
    expect(SITEMAP_MAX_URLS).toBe(50_000);
    expect(SITEMAP_MAX_BYTES).toBe(50 * 1024 * 1024);
    expect(splitSitemap(urls(50_000)).map((g) => g.length)).toEqual([50_000]);
    expect(splitSitemap(urls(50_001)).map((g) => g.length)).toEqual([50_000, 1]);
  });
});

describe('the sitemap of 60,000 posts, built in turns', () => {
  it('should hold the event loop no longer than the budget, and list every post in its parts', async () => {
    const first = parsePost(
      {
        file: '/site/p.md',
        relPath: 'p.md',
        bundleDir: undefined,
        name: parseName('p'),
        signature: { mtimeMs: 0, ctimeMs: 0, size: 0, ino: 1 },
        bytes: Buffer.from('---\ntitle: P\ndate: 2024-01-01\n---\nBody.\n'),
      },
      { author: 'A', timezone: 'UTC' },
    );
    if (!first.ok || !(first.post instanceof ParsedPost)) throw new Error('the post did not parse');
    const model = first.post;
    const posts: Post[] = Array.from({ length: 60_000 }, (_, i) => model.withSlug(`post-${i}`));
    const view: SiteView = { key: 'big', posts, bySlug: new Map(posts.map((p) => [p.slug, p])), validUntil: Infinity, errorCount: 0 };
    const pages: PageView = { key: 'none', bySlug: new Map(), pages: [], clashes: [], errorCount: 0 };
    // In one piece this held the loop 106-174 ms (the issue-27 finding).
    const { value: sitemap, maxMs } = await measureLoop(() => sitemapOf(pages)(view, testConfig('/site', { siteUrl: 'https://blog.example.com' })));
    expect(maxMs).toBeLessThan(LOOP_LIMIT_MS);
    expect(sitemap.parts).toHaveLength(2);
    const locs = sitemap.parts.join('').match(/<loc>[^<]*\/posts\/post-\d+<\/loc>/g) ?? [];
    expect(locs).toHaveLength(60_000);
  });
});
