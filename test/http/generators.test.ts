/**
 * Bring your blog (issue 15): a small blog in the real format of each
 * generator (test/fixtures/generators/<generator>/, written for these tests:
 * its frontmatter, dates, layout and markers) is served whole, every post at
 * its URL with its date, tags, authors, summary and every paragraph, and
 * `npm run check` prints only the notices expected of it.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import { HtmlValidate } from 'html-validate';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { createApp } from '../../src/app.js';
import { checkContent } from '../../src/cli/check-content.js';
import { formatContentError } from '../../src/content/post.js';
import { ROOT, testConfig } from '../helpers/site.js';
import { testWork } from '../helpers/loop-watch.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'generators');

interface ExpectedPost {
  slug: string;
  title: string;
  /** As shown, en-GB. */
  date: string;
  tags?: string[];
  authors?: string[];
  /** The meta description. */
  summary: string;
  /** Every paragraph (or a distinctive part of it) of the text. */
  text: string[];
  /** Other things the article must hold: `selector` → expected attribute or text. */
  html?: [selector: string, expected: string | RegExp, attribute?: string][];
  /** Text that must not be on the page. */
  absent?: string[];
}

interface Generator {
  posts: ExpectedPost[];
  /** `check`: problems and notices, `file:line: message` (messages cut at `…` are prefixes). */
  check: string[];
  ignoredKeys?: string[];
}

const GENERATORS: Record<string, Generator> = {
  jekyll: {
    posts: [
      {
        slug: 'jekyll-fixture-released',
        title: 'Jekyll Fixture 1.0 Released',
        date: '6 May 2013',
        tags: ['release'],
        authors: ['parkr'],
        summary: 'Jekyll fixture paragraph one: the release is here.',
        text: [
          'Jekyll fixture paragraph one: the release is here.',
          'Jekyll fixture paragraph two, with a footnote',
          'Jekyll fixture paragraph three links',
          'Jekyll fixture footnote text.',
        ],
        html: [
          ['pre code.language-ruby', /puts "hi"/],
          ['a:contains("the follow-up")', '/posts/jekyll-fixture-follow-up', 'href'],
          ['section.footnotes li#footnote-1', /Jekyll fixture footnote text/],
        ],
        absent: ['{%', 'endhighlight', '<!--more-->'],
      },
      {
        slug: 'jekyll-fixture-follow-up',
        title: 'Jekyll Fixture Follow-up',
        date: '12 September 2021',
        tags: ['news'],
        authors: ['parkr', 'mattr'],
        summary: 'A follow-up written without a zone.',
        text: [
          'Jekyll follow-up paragraph one goes back to',
          'Jekyll follow-up paragraph two shows',
          'Jekyll follow-up paragraph three includes',
          'which Lede cannot run.',
        ],
        html: [
          ['a:contains("the release")', '/posts/jekyll-fixture-released', 'href'],
          ['code:contains("site.baseurl")', '{{ site.baseurl }}'],
          ['code.leftover', '{% include note.html %}'],
        ],
        absent: ['{% raw %}', 'endraw'],
      },
    ],
    check: ['2021-09-12-jekyll-fixture-follow-up.md:15: Liquid tag {% include %} is shown as text…'],
    ignoredKeys: ['layout (2)', 'comments (1)', 'version (1)'],
  },
  'hugo-yaml': {
    posts: [
      {
        slug: 'first-bundle',
        title: 'Hugo YAML Bundle',
        // Written 21:56 at -07:00: 24 June in UTC, 23 June to its author.
        date: '23 June 2024',
        tags: ['hugo', 'yaml', 'themes'],
        summary: 'A Hugo bundle with a cover image.',
        text: ['Hugo YAML paragraph one.', 'Hugo YAML paragraph two, before a shortcode', 'and after it.'],
        html: [
          ['img[alt="Hugo figure caption"]', '/posts/first-bundle/cover.png', 'src'],
          ['img[alt="raw html image"]', '/posts/first-bundle/cover.png', 'src'],
          ['.article__dates', /Updated 1 July 2024/],
          ['code.leftover', /tweet user="gohugoio"/],
        ],
        absent: ['{{&lt; figure', '">}}'],
      },
      {
        slug: 'second-post',
        title: 'Hugo YAML Second',
        date: '2 January 2020',
        authors: ['Hugo Author', 'Second Author'],
        summary: 'Written by two people.',
        text: ['Hugo YAML second paragraph one.', 'Hugo YAML second paragraph two.'],
      },
    ],
    check: [
      'posts/_index.md: is not a post (a section page of Hugo or Zola)…',
      'posts/first-bundle/index.md:22: Hugo shortcode {{< tweet >}} is shown as text…',
    ],
    ignoredKeys: ['weight (1)'],
  },
  'hugo-toml': {
    posts: [
      {
        slug: 'toml-post',
        title: 'Hugo TOML Post',
        date: '10 March 2019',
        tags: ['markdown', 'toml', 'syntax'],
        authors: ['Hugo Authors'],
        summary: 'A post with TOML frontmatter.',
        text: ['Hugo TOML paragraph one.', 'Hugo TOML paragraph two.'],
        html: [['a:contains("YouTube video")', 'https://www.youtube.com/watch?v=w7Ft2ymGmfc', 'href']],
      },
    ],
    check: [],
    ignoredKeys: ['series (1)'],
  },
  zola: {
    posts: [
      {
        slug: 'zola-post',
        title: 'Zola Post',
        date: '5 January 2022',
        tags: ['zola', 'rust'],
        authors: ['Zola Writer'],
        summary: 'Zola paragraph one.',
        text: ['Zola paragraph one.', 'Zola paragraph two.'],
      },
      {
        slug: 'with-image',
        title: 'Zola Bundle',
        date: '10 February 2022',
        summary: 'A Zola page with an image beside it.',
        text: ['Zola bundle paragraph one.'],
        html: [['img[alt="A picture"]', '/posts/with-image/picture.png', 'src']],
      },
    ],
    check: ['blog/_index.md: is not a post (a section page of Hugo or Zola)…'],
    ignoredKeys: ['extra (1)'],
  },
  eleventy: {
    posts: [
      {
        slug: 'firstpost',
        title: 'This is my first post.',
        date: '1 May 2018',
        tags: ['another tag'],
        summary: 'This is a post on My Blog about agile frameworks.',
        text: ['Eleventy paragraph one.', 'Eleventy paragraph two.'],
      },
      {
        slug: 'fourthpost',
        title: 'This is my fourth post.',
        date: '30 September 2018',
        tags: ['second tag'],
        summary: 'This is a post with an image beside it.',
        text: ['Eleventy fourth paragraph one.', 'Eleventy fourth paragraph two.'],
        html: [['img[alt^="A possum parent"]', '/posts/fourthpost/possum.png', 'src']],
      },
    ],
    check: [],
  },
  gatsby: {
    posts: [
      {
        slug: 'hello-world',
        title: 'Hello World',
        date: '1 May 2015',
        summary: 'Hello World',
        text: ['Gatsby paragraph one.', 'Gatsby paragraph two, after the iframe.', 'Gatsby paragraph three.'],
        html: [['img[alt="Chinese Salty Egg"]', '/posts/hello-world/salty_egg.jpg', 'src']],
        absent: ['<iframe', '>react<'],
      },
      {
        slug: 'my-second-post',
        title: 'My Second Post!',
        date: '6 May 2015',
        summary: 'Wow! I love blogging so much already.',
        text: ['Gatsby second paragraph one.', 'Gatsby second quoted paragraph.'],
      },
    ],
    check: [
      'blog/hello-world/index.md:6: field `cta`: "react" is not a sentence or a link…',
      'blog/hello-world/index.md:11: <iframe> removed with its content (not allowed); set raw_html or use a link',
    ],
  },
  hexo: {
    posts: [
      {
        slug: 'hexo-post',
        title: 'Hexo Post',
        date: '1 January 2019',
        tags: ['hexo', 'Diary', 'Life'],
        summary: 'Hexo paragraph one.',
        text: ['Hexo paragraph one.', 'Hexo note paragraph.', 'Hexo paragraph two links to'],
        html: [
          ['aside.callout-note', /Hexo note paragraph/],
          ['pre code.language-js', /console\.log\('hexo'\)/],
          ['a:contains("the second post")', '/posts/hexo-second', 'href'],
          ['.article__dates', /Updated 1 February 2019/],
        ],
        absent: ['{%'],
      },
      {
        slug: 'hexo-second',
        title: 'Hexo Second',
        date: '5 January 2019',
        tags: ['Notes'],
        summary: 'Hexo second paragraph one.',
        text: ['Hexo second paragraph one.'],
      },
    ],
    check: [],
  },
  docusaurus: {
    posts: [
      {
        slug: 'welcome',
        title: 'Welcome',
        date: '26 August 2021',
        tags: ['facebook', 'hello', 'docusaurus'],
        authors: ['Jo Writer', 'Ann Editor'],
        summary: 'Docusaurus paragraph one.',
        text: ['Docusaurus paragraph one.', 'Docusaurus note paragraph.', 'Docusaurus paragraph two.'],
        html: [['aside.callout-note .callout-title', 'A note']],
        absent: [':::'],
      },
      {
        slug: 'mdx-blog-post',
        title: 'MDX Blog Post',
        date: '1 August 2021',
        tags: ['docusaurus'],
        authors: ['Jo Writer'],
        summary: 'Docusaurus MDX paragraph one.',
        text: ['Docusaurus MDX paragraph one.', 'Docusaurus MDX paragraph two with highlighted text inside.'],
        absent: ['import', 'truncate', '{/*'],
      },
      {
        // Docusaurus takes a missing title from the opening heading.
        slug: 'heading-title',
        title: 'Title From The Heading',
        date: '1 September 2021',
        tags: ['docusaurus'],
        authors: ['Ann Editor'],
        summary: 'Docusaurus heading paragraph one. Docusaurus heading paragraph two.',
        text: ['Docusaurus heading paragraph one.', 'Docusaurus heading paragraph two.'],
        absent: ['<h2 id="title-from-the-heading"'],
      },
    ],
    check: [
      '2021-08-01-mdx-blog-post.mdx:8: MDX import/export lines are left out…',
      '2021-08-01-mdx-blog-post.mdx:14: component <Highlight> is shown as its text…',
      '2021-09-01-heading-title.md:6: has no `title` field; its first heading is the title: "Title From The Heading"',
    ],
  },
  astro: {
    posts: [
      {
        slug: 'first-post',
        title: 'First post',
        date: '8 July 2022',
        summary: 'Lorem ipsum dolor sit amet',
        text: ['Astro paragraph one.', 'Astro paragraph two.'],
      },
      {
        slug: 'using-mdx',
        title: 'Using MDX',
        date: '1 June 2024',
        summary: 'How to use components in your markdown',
        text: ['Astro MDX paragraph one.', 'Embedded component text', 'Astro MDX paragraph two.'],
        html: [['.article__dates', /Updated 19 June 2024/]],
        absent: ['import HeaderLink', 'onclick'],
      },
    ],
    check: [
      // Astro keeps images in src/assets, outside the posts: a real problem, named.
      'blog/first-post.md:5: field `heroImage`: image "../../assets/blog-placeholder-3.jpg" climbs out of the content folder…',
      'blog/using-mdx.mdx:8: MDX import/export lines are left out…',
      'blog/using-mdx.mdx:12: component <HeaderLink> is shown as its text…',
    ],
  },
  pelican: {
    posts: [
      {
        slug: 'my-super-post',
        title: 'My super title',
        date: '3 December 2010',
        tags: ['pelican', 'publishing', 'Python'],
        authors: ['Alexis Metaireau', 'Conan Doyle'],
        summary: 'Short version for index and feeds',
        text: ['Pelican paragraph one.', 'Pelican paragraph two.'],
        html: [['.article__dates', /Updated 5 December 2010/]],
        absent: ['Title:', 'Slug:'],
      },
    ],
    check: [],
  },
};

describe.each([
  ['held in memory', undefined],
  // A large site's bodies stay in their files, read (and translated) when rendered: the same pages.
  ['read from their files', 0],
])('posts copied from other generators (issue 15), bodies %s', (_mode, bodyMemoryBytes) => {
  for (const [generator, expected] of Object.entries(GENERATORS)) {
    describe(generator, () => {
      const dir = path.join(FIXTURES, generator);
      let app: LedeApp;
      beforeAll(() => {
        app = createApp(testConfig(dir, { env: 'production' }), bodyMemoryBytes === undefined ? {} : { bodyMemoryBytes });
      });
      afterAll(() => app.store.close());

      it('should list every post on the index', async () => {
        const $ = cheerio.load((await request(app).get('/')).text);
        const titles = $('.card__title a')
          .toArray()
          .map((a) => $(a).text());
        expect(titles.sort()).toEqual(expected.posts.map((p) => p.title).sort());
      });

      for (const post of expected.posts) {
        it(`should serve ${post.slug} whole: date, tags, authors, summary and every paragraph`, async () => {
          const res = await request(app).get(`/posts/${post.slug}`);
          expect(res.status).toBe(200);
          const $ = cheerio.load(res.text);
          expect($('h1.article__title').text()).toBe(post.title);
          expect($('.byline__date').text()).toBe(post.date);
          expect($('meta[name="description"]').attr('content')).toBe(post.summary);
          if (post.tags)
            expect(
              $('.tags a.tag')
                .toArray()
                .map((a) => $(a).text()),
            ).toEqual(post.tags);
          if (post.authors)
            expect(
              $('.byline__author .author')
                .toArray()
                .map((a) => $(a).text()),
            ).toEqual(post.authors);
          const body = $('.prose').text().replace(/\s+/g, ' ');
          for (const text of post.text) expect(body).toContain(text);
          for (const [selector, want, attribute] of post.html ?? []) {
            const found = $(selector).first();
            expect(found.length).toBe(1);
            const value = attribute ? found.attr(attribute) : found.text();
            if (want instanceof RegExp) expect(value).toMatch(want);
            else expect(value).toBe(want);
          }
          const article = $('article').html() ?? '';
          for (const text of post.absent ?? []) expect(article).not.toContain(text);
        });
      }

      it('should be reported by check with only the expected lines', async () => {
        const report = await checkContent(dir, 2 * 1024 * 1024, bodyMemoryBytes === undefined ? {} : { bodyMemoryBytes });
        const lines = [...report.problems, ...report.notices].map(formatContentError).sort();
        expect(lines).toHaveLength(expected.check.length);
        const wanted = [...expected.check].sort();
        lines.forEach((line, i) => {
          const want = wanted[i]!;
          if (want.endsWith('…')) expect(line.startsWith(want.slice(0, -1))).toBe(true);
          else expect(line).toBe(want);
        });
        expect(report.ignoredKeys.map((k) => `${k.key} (${k.files})`)).toEqual(expected.ignoredKeys ?? []);
      });
    });
  }

  describe('feeds and descriptions', () => {
    const app = createApp(testConfig(path.join(FIXTURES, 'jekyll'), { env: 'production' }));
    afterAll(() => app.store.close());

    it('should carry footnotes and several authors, and no template syntax', async () => {
      const feed = (await request(app).get('/feed.json')).body as {
        items: { id: string; content_html: string; summary: string; authors: { name: string }[] }[];
      };
      const released = feed.items.find((i) => i.id.endsWith('/posts/jekyll-fixture-released'))!;
      expect(released.content_html).toContain('Jekyll fixture footnote text.');
      expect(released.content_html).not.toMatch(/\{%|endhighlight/);
      const followUp = feed.items.find((i) => i.id.endsWith('/posts/jekyll-fixture-follow-up'))!;
      expect(followUp.authors.map((a) => a.name)).toEqual(['parkr', 'mattr']);
      expect(followUp.content_html).not.toContain('{% include');
    });

    it('should resolve relative paths of raw HTML in bundles in feeds too', async () => {
      const eleventy = createApp(testConfig(path.join(FIXTURES, 'eleventy'), { env: 'production' }));
      const feed = (await request(eleventy).get('/feed.json')).body as { items: { id: string; content_html: string }[] };
      eleventy.store.close();
      const fourth = feed.items.find((i) => i.id.endsWith('/posts/fourthpost'))!;
      expect(fourth.content_html).toMatch(/<img src="http[^"]*\/posts\/fourthpost\/possum\.png"/);
    });

    it('should list categories on /tags and every author on /authors', async () => {
      const $ = cheerio.load((await request(app).get('/tags')).text);
      expect(
        $('.tag-index a')
          .toArray()
          .map((a) => $(a).text()),
      ).toEqual(['news', 'release']);
      expect((await request(app).get('/authors/mattr')).status).toBe(200);
    });
  });

  describe('valid HTML (html-validate, as test/http/html-validate)', () => {
    const validator = new HtmlValidate({
      extends: ['html-validate:recommended'],
      rules: { 'doctype-style': 'off', 'no-trailing-whitespace': 'off', 'long-title': 'off' },
    });
    it.each([
      ['jekyll', '/posts/jekyll-fixture-released'],
      ['jekyll', '/posts/jekyll-fixture-follow-up'],
      ['hugo-yaml', '/posts/second-post'],
      ['hexo', '/posts/hexo-post'],
      ['docusaurus', '/posts/welcome'],
      ['docusaurus', '/authors/jo-writer'],
      ['astro', '/posts/using-mdx'],
    ])('should find no errors in a %s page (%s)', async (generator, url) => {
      const app = createApp(testConfig(path.join(FIXTURES, generator), { env: 'production' }));
      const res = await request(app).get(url);
      app.store.close();
      const report = await testWork(() => validator.validateString(res.text));
      expect(report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`))).toEqual([]);
    });
  });

  describe('authors.yml', () => {
    const app = createApp(testConfig(path.join(FIXTURES, 'docusaurus'), { env: 'production' }));
    afterAll(() => app.store.close());

    it("should show an author's bio, link and avatar on their page", async () => {
      const $ = cheerio.load((await request(app).get('/authors/jo-writer')).text);
      expect($('.author-profile__bio').text()).toBe('Maintainer');
      expect($('.author-profile__link a').attr('href')).toBe('https://example.com/jo');
      expect($('.author-profile__avatar').attr('src')).toBe('https://example.com/jo.png');
    });
  });

  describe('old addresses', () => {
    const zola = createApp(testConfig(path.join(FIXTURES, 'zola'), { env: 'production' }));
    const hugo = createApp(testConfig(path.join(FIXTURES, 'hugo-toml'), { env: 'production' }));
    afterAll(() => {
      zola.store.close();
      hugo.store.close();
    });

    it("should redirect Zola's path and aliases, and Hugo's aliases, to the post", async () => {
      expect((await request(zola).get('/2022/01/05/zola-post')).headers.location).toBe('/posts/zola-post');
      expect((await request(zola).get('/2022/01/05/zola-post.html')).headers.location).toBe('/posts/zola-post');
      expect((await request(hugo).get('/posts/migrate-from-jekyll')).headers.location).toBe('/posts/toml-post');
    });
  });
});
