/**
 * A content folder for the discovery tests (feeds, sitemap, tags, authors,
 * head meta): 23 published posts, one of them a page bundle with relative
 * images, and a draft, a future post and a broken post whose names, tags and
 * authors must appear nowhere.
 */
import type { AppOptions, LedeApp } from '../../src/app.js';
import { TINY_JPEG } from './png.js';
import { type TempContent, testApp } from './site.js';

export const SITE_URL = 'https://blog.example.com';

/** What the hidden posts are called; none of these may show up anywhere. */
export const HIDDEN = [
  'Hidden Draft',
  'Dana Draft',
  'Secret',
  'secret',
  'Future Post',
  'Fred Future',
  'Tomorrow',
  'tomorrow',
  'Broken Post',
  'Bruno Broken',
  'Brokentag',
  'brokentag',
];

export function writeDiscoverySite(content: TempContent): void {
  content.copySample();
  for (let day = 1; day <= 21; day++) {
    const d = String(day).padStart(2, '0');
    content.post(`post-${d}.md`, {
      title: `Post ${d}`,
      publish_date: `2023-01-${d}`,
      author: day % 2 ? 'Ann Lee' : 'Bob Smith',
      tags: day % 2 ? ['Weekly', 'Odd'] : ['Weekly'],
      description: `Summary of post ${d}`,
    });
  }
  content.post(
    'bundle/index.md',
    {
      title: 'A bundle & <friends>',
      publish_date: '2024-03-01T10:00:00+01:00',
      updated_date: '2024-03-05',
      author: 'Ann Lee',
      tags: ['AI', 'Open source'],
      heroImage: 'hero.jpg',
      heroImageAlt: 'A hero',
      description: 'A post with its images beside it.',
    },
    'See ![the chart](chart.png) and [the sample](/posts/deepseek-rising-challenger).\n',
  );
  content.write('bundle/hero.jpg', TINY_JPEG);
  content.post('draft.md', { title: 'Hidden Draft', publish_date: '2024-05-01', author: 'Dana Draft', tags: ['Secret'], draft: true });
  content.post('future.md', { title: 'Future Post', publish_date: '2999-01-01', author: 'Fred Future', tags: ['Tomorrow'] });
  content.write('broken.md', '---\ntitle: [Broken Post\nauthor: Bruno Broken\ntags: [Brokentag]\n---\nNever shown.\n');
}

/** The discovery site in production (drafts hidden) under `SITE_URL`. */
export function discoveryApp(content: TempContent, site: Record<string, unknown> = {}, options: AppOptions = {}): LedeApp {
  return testApp(
    content,
    { env: 'production', siteUrl: SITE_URL, site: { title: 'Test Blog', description: 'A blog for tests.', timezone: 'Europe/Paris', ...site } },
    options,
  );
}
