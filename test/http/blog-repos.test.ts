/**
 * A whole blog repository as the content folder (issue 29, part 4): a tiny
 * repository per generator (test/fixtures/repos/<tool>/, written for these
 * tests) is recognised by its config file, its posts are served from where
 * the tool keeps them, an image from its folder of site-wide files loads,
 * each post's old address answers 301 to the new one, and the site's title
 * comes from the tool's config when that config is data, not code.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp, type LedeApp } from '../../src/app.js';
import { checkContent } from '../../src/cli/check-content.js';
import { formatContentError } from '../../src/content/post.js';
import { siteLayoutOf } from '../../src/content/site-layout/site-layout.js';
import { ContentStore } from '../../src/content/store.js';
import { readSettingsFile } from '../../src/settings.js';
import { ROOT, TempContent, testApp, testConfig } from '../helpers/site.js';

const REPOS = path.join(ROOT, 'test', 'fixtures', 'repos');

interface Repo {
  /** The site's title on the index page: from the config, or Lede's default when the config is code. */
  title: string;
  /** Old address -> the post's address now. */
  oldAddresses: Record<string, string>;
  /** A file from the repository's folder of site-wide files. */
  image: string;
  /** Text of files that must never be served as posts (archetypes, scaffolds, dependencies, build output). */
  never: string[];
  /** A standalone page of the old site, served at `/<slug>`: its address and its title. */
  page?: [url: string, title: string];
}

const REPO_CASES: Record<string, Repo> = {
  jekyll: {
    title: 'Tidepool Notes',
    // `:categories` in lower case; the date in the site's zone (02:30 UTC is the evening before in New York).
    oldAddresses: {
      '/rockpools/2021/03/04/low-tide.html': '/posts/low-tide',
      '/2021/04/10/kelp.html': '/posts/kelp',
      // A `_posts/` folder further down: the folders above it are the first categories.
      '/field-trips/2021/05/20/reef.html': '/posts/reef',
    },
    image: '/images/anemone.png',
    never: ["A gem's readme", 'built output', 'A page of the old site'],
    page: ['/about', 'About'],
  },
  hugo: {
    title: 'Lantern Log',
    // `[permalinks] posts = '/:year/:month/:slug/'`; other sections keep their path, in lower case.
    oldAddresses: {
      '/2023/02/first-light-on-the-ridge/': '/posts/first-light-on-the-ridge',
      '/2023/01/a-night-walk/': '/posts/night-walk',
      '/notes/small-thing/': '/posts/small-thing',
      // A section named `pages` is the site's own, not Lede's `pages/` folder.
      '/pages/lanterns/': '/posts/lanterns',
    },
    image: '/img/moon.png',
    never: ['Theme demo', 'ContentBaseName'],
  },
  hexo: {
    title: 'Tram Stop Diaries',
    // `:title` is the path under source/_posts.
    oldAddresses: { '/2019/07/14/hello-tram/': '/posts/hello-tram', '/2019/08/02/lisbon/alfama/': '/posts/alfama' },
    image: '/images/tram.png',
    never: ['{{ title }}', 'Who rides the 28'],
    page: ['/about', 'About the trams'],
  },
  zola: {
    title: 'Granite and Grit',
    // The section's path and the slug, the file name's date left out.
    oldAddresses: { '/blog/feldspar/': '/posts/feldspar', '/blog/quartz/': '/posts/quartz' },
    image: '/rocks/feldspar.png',
    never: ['section.title'],
  },
  eleventy: {
    title: 'Lede',
    // The file's path under the input folder; a post's own `permalink` is its old address.
    oldAddresses: { '/blog/firstpost/': '/posts/firstpost', '/second-post-moved/': '/posts/secondpost' },
    image: '/img/possum.png',
    never: ['How to build it'],
  },
  astro: {
    title: 'Lede',
    // A collection of src/content/ each, and src/blog/ (Astro 5's glob loader reads any folder).
    oldAddresses: {
      '/blog/saturn-rings/': '/posts/saturn-rings',
      '/blog/moons/titan/': '/posts/titan',
      '/guides/orbit/': '/posts/orbit',
      '/blog/comet-notes/': '/posts/comet-notes',
    },
    image: '/images/ring.png',
    never: ['About me'],
    page: ['/about', 'About'],
  },
};

describe.each(Object.entries(REPO_CASES))('a whole %s repository as the content folder', (tool, repo) => {
  const dir = path.join(REPOS, tool);
  let app: LedeApp;

  beforeAll(() => {
    // As `loadConfig` reads them: `_site.yml` (none here) over the repository's own config.
    app = createApp(testConfig(dir, { site: readSettingsFile(dir).settings }));
  });
  afterAll(() => app.store.close());

  it('shows the title from its config on the index page', async () => {
    const res = await request(app).get('/');
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<title>${repo.title}</title>`);
  });

  it.each(Object.entries(repo.oldAddresses))('answers the old address %s with a 301 to %s, which serves the post', async (old, now) => {
    // `/old/` is first sent to `/old` (docs/urls-and-feeds.md), then to the post: at most two 301s.
    let res = await request(app).get(old);
    expect(res.status).toBe(301);
    if (res.headers.location !== now) {
      expect(res.headers.location).toBe(old.replace(/\/$/, ''));
      res = await request(app).get(res.headers.location!);
      expect(res.status).toBe(301);
    }
    expect(res.headers.location).toBe(now);
    const post = await request(app).get(now);
    expect(post.status).toBe(200);
    expect(post.headers['content-type']).toMatch(/^text\/html/);
  });

  it('serves an image from its folder of site-wide files', async () => {
    const res = await request(app).get(repo.image);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.body.subarray(1, 4).toString()).toBe('PNG');
  });

  it('reads no template, dependency, build output or page as a post', async () => {
    const res = await request(app).get('/archive');
    expect(res.status).toBe(200);
    for (const text of repo.never) expect(res.text).not.toContain(text);
    for (const now of Object.values(repo.oldAddresses)) expect(res.text).toContain(`href="${now}"`);
  });
});

describe.each(Object.entries(REPO_CASES).filter(([, repo]) => repo.page))("the old site's pages of a whole %s repository", (tool, repo) => {
  const dir = path.join(REPOS, tool);
  let app: LedeApp;

  beforeAll(() => {
    app = createApp(testConfig(dir, { site: readSettingsFile(dir).settings }));
  });
  afterAll(() => app.store.close());

  it('serves its standalone page at /<slug>', async () => {
    const [url, title] = repo.page!;
    const res = await request(app).get(url);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<h1 class="article__title">${title}</h1>`);
  });
});

describe('check on a whole blog repository', () => {
  const checked = async (tool: string) => {
    const report = await checkContent(path.join(REPOS, tool), 1024 * 1024);
    return { ...report, lines: [...report.problems, ...report.notices].map(formatContentError) };
  };

  it('says what it recognised: the folders of posts with their counts, the static files and the permalink rule', async () => {
    const report = await checked('jekyll');
    expect(report.site).toBe(
      'Jekyll site (_config.yml): 2 posts in _posts/, 1 draft in _drafts/, 1 post in field-trips/_posts/, static files from images/, permalinks /:categories/:year/:month/:day/:title:output_ext',
    );
    expect(report.problems).toEqual([]);
    expect(report.drafts).toBe(1);
    expect(report.pages).toBe(1);
    // The folders it does not read, each named.
    expect(report.lines).toEqual(
      expect.arrayContaining([
        'vendor: is not read for posts: dependencies',
        '_site: is not read for posts: build output',
        // A collection of the old site: its files are not posts, and are counted, not left out without a word.
        "_recipes: is not read: 1 markdown file in it, not served; this Jekyll site's posts are read from _posts/, field-trips/_posts/",
      ]),
    );
  });

  it("names a config that is code, which Lede does not run, and reads the Hugo templates' folders as nothing", async () => {
    const astro = await checked('astro');
    expect(astro.site).toBe(
      'Astro site (astro.config.mjs): 2 posts in src/content/blog/, 1 post in src/content/guides/, 1 post in src/blog/, static files from public/, permalinks /blog/<id>/, /guides/<id>/, /blog/<id>/',
    );
    // Markdown in src/ that no collection holds is named, not left out without a word.
    expect(astro.lines).toContain(
      "src/components: is not read: 1 markdown file in it, not served; this Astro site's posts are read from src/content/blog/, src/content/guides/, src/blog/",
    );
    expect(astro.lines).toContain('astro.config.mjs: is code; Lede does not run it: title, description, author and base URL not read (set them in _site.yml)');
    const hugo = await checked('hugo');
    expect(hugo.site).toBe('Hugo site (hugo.toml): 4 posts in content/, static files from static/, permalinks posts: /:year/:month/:slug/');
    expect(hugo.problems).toEqual([]);
    expect(hugo.lines).toEqual(expect.arrayContaining(["archetypes: is not read for posts: the tool's templates for new posts"]));
  });
});

describe("a repository's own rules for drafts and folders", () => {
  it("keeps a post in Jekyll's _drafts/ off the site in production", async () => {
    const dir = path.join(REPOS, 'jekyll');
    const app = createApp(testConfig(dir, { env: 'production', site: readSettingsFile(dir).settings }));
    try {
      expect((await request(app).get('/posts/hermit-crabs')).status).toBe(404);
      expect((await request(app).get('/posts/kelp')).status).toBe(200);
    } finally {
      app.store.close();
    }
  });

  it('reads a whole Obsidian vault, but never its dependencies', async () => {
    const vault = new TempContent();
    vault.write('.obsidian/app.json', '{}\n');
    vault.post('Daily/2024-02-03 walk.md', { title: 'A walk', date: '2024-02-03' });
    vault.post('node_modules/some-plugin/README.md', { title: 'Plugin readme', date: '2024-01-01' });
    const app = testApp(vault);
    try {
      const archive = await request(app).get('/archive');
      expect(archive.text).toContain('A walk');
      expect(archive.text).not.toContain('Plugin readme');
    } finally {
      app.store.close();
      vault.cleanup();
    }
  });
});

describe('a whole blog repository while the server runs', () => {
  it("finds a post added to Jekyll's _posts/ by that folder's change, as one added to the content folder is", async () => {
    const repo = new TempContent();
    repo.write('_config.yml', 'title: Growing\n');
    repo.post('_posts/2024-01-01-first.md', { title: 'First' });
    // No listing by age: only the change of a folder of posts can tell the store to look again.
    const store = new ContentStore({
      contentDir: repo.dir,
      defaults: { author: 'A', timezone: 'UTC' },
      showDrafts: false,
      maxAgeMs: Number.POSITIVE_INFINITY,
      layout: siteLayoutOf(repo.dir),
    });
    try {
      expect((await store.getPost('first'))?.aliases).toEqual(['/2024/01/01/first.html']);
      repo.post('_posts/2024-01-02-second.md', { title: 'Second' });
      expect((await store.getPost('second'))?.aliases).toEqual(['/2024/01/02/second.html']);
    } finally {
      store.close();
      repo.cleanup();
    }
  });
});
