import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { eventually, frontCacheHits, TempContent, testApp } from '../helpers/site.js';

interface JsonResult {
  url: string;
  title: string;
  date: string | null;
  snippet: string;
  score: number;
}
interface JsonAnswer {
  query: string;
  total: number;
  results: JsonResult[];
}

const json = async (app: LedeApp, q: string, extra = ''): Promise<JsonAnswer> => {
  const res = await request(app).get(`/search.json?q=${encodeURIComponent(q)}${extra}`);
  expect(res.status).toBe(200);
  return res.body as JsonAnswer;
};
const urls = (answer: JsonAnswer): string[] => answer.results.map((r) => r.url);

describe('search', () => {
  const content = new TempContent();
  let app: LedeApp;
  const NOW = Date.UTC(2024, 5, 1);
  beforeAll(() => {
    content.post(
      '2024-01-10-caching.md',
      { title: 'Caching at the edge', tags: ['performance'], author: 'Ann Author' },
      'Content delivery networks keep copies near readers.\n',
    );
    content.post('2024-01-11-body.md', { title: 'A quiet week' }, 'We talked about caching strategies for a while, then about lunch.\n');
    content.post('2024-01-12-architecture.md', { title: 'Notes', subtitle: 'On software architecture' }, 'Layers, boundaries and the flow of data.\n');
    content.post('2024-01-13-tagged.md', { title: 'Tuesday', tags: ['kubernetes'] }, 'Clusters all day.\n');
    content.post('2024-01-14-authored.md', { title: 'Wednesday', author: 'Zebulon Quartz' }, 'Nothing much happened.\n');
    content.post('2024-01-15-described.md', { title: 'Thursday', description: 'All about observability' }, 'Logs and traces.\n');
    content.post('2024-01-16-both.md', { title: 'Open source licences' }, 'Why open source wins, and what a source licence says.\n');
    content.post('2024-01-17-one.md', { title: 'Open doors' }, 'Only one of the two words.\n');
    content.post('2024-01-18-hostile.md', { title: 'Hostile <b>title</b>' }, 'The text has <script>alert("x")</script> and a needle & "quotes" in it.\n');
    content.post('2024-01-19-draft.md', { title: 'Secret draft zanzibar', draft: true }, 'zanzibar\n');
    content.post('2030-01-01-future.md', { title: 'Future zanzibar' }, 'zanzibar\n');
    app = testApp(content, { env: 'production' }, { now: () => NOW });
  });
  afterAll(() => content.cleanup());

  describe('ranking', () => {
    it('should rank a match in the title above a match in the body', async () => {
      const answer = await json(app, 'caching');
      expect(urls(answer)).toEqual(['/posts/caching', '/posts/body']);
      expect(answer.results[0]!.score).toBeGreaterThan(answer.results[1]!.score);
    });
    it('should search the subtitle, tags, author and frontmatter description', async () => {
      expect(urls(await json(app, 'architecture'))).toEqual(['/posts/architecture']);
      expect(urls(await json(app, 'kubernetes'))).toEqual(['/posts/tagged']);
      expect(urls(await json(app, 'zebulon'))).toEqual(['/posts/authored']);
      expect(urls(await json(app, 'observability'))).toEqual(['/posts/described']);
    });
    it('should put posts with every word of the query first, and only them', async () => {
      expect(urls(await json(app, 'open source'))).toEqual(['/posts/both']);
    });
    it('should fall back to posts with some of the words when none has them all', async () => {
      expect(urls(await json(app, 'doors kubernetes')).sort()).toEqual(['/posts/one', '/posts/tagged']);
    });
    it('should match the start of a word (prefix)', async () => {
      expect(urls(await json(app, 'archit'))).toEqual(['/posts/architecture']);
      expect(urls(await json(app, 'kuber'))).toEqual(['/posts/tagged']);
    });
    it('should forgive a small typo', async () => {
      expect(urls(await json(app, 'kubernetse'))).toEqual(['/posts/tagged']);
      expect(urls(await json(app, 'obsevability'))).toEqual(['/posts/described']);
    });
    it('should ignore case and accents', async () => {
      expect(urls(await json(app, 'CÁCHING'))).toEqual(['/posts/caching', '/posts/body']);
    });
    it('should find nothing for a word no post has', async () => {
      const answer = await json(app, 'xylophone');
      expect(answer).toEqual({ query: 'xylophone', total: 0, results: [] });
    });
  });

  describe('snippets', () => {
    it('should show the text around the match with the matched words in <mark>', async () => {
      const [result] = (await json(app, 'strategies')).results;
      expect(result!.snippet).toBe('We talked about caching <mark>strategies</mark> for a while, then about lunch.');
    });
    it('should escape the post text before marking, so no markup from a post gets through', async () => {
      const [result] = (await json(app, 'needle')).results;
      // The script's content is not text a reader sees (issue 15: removed with its element), so no snippet shows it.
      expect(result!.snippet).toBe('The text has and a <mark>needle</mark> &amp; &quot;quotes&quot; in it.');
      const $ = cheerio.load((await request(app).get('/search?q=needle')).text);
      expect($('.search-result__snippet mark').text()).toBe('needle');
      expect($('.search-result__snippet script')).toHaveLength(0);
      expect($('.search-result__title').text()).toBe('Hostile <b>title</b>');
    });
  });

  describe('GET /search', () => {
    it('should show ranked results with title, date and snippet, marked noindex and never kept by shared caches', async () => {
      const res = await request(app).get('/search?q=caching');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('private, max-age=0');
      expect(res.headers['x-robots-tag']).toBe('noindex');
      expect(res.headers.etag).toBeUndefined();
      const $ = cheerio.load(res.text);
      expect($('meta[name="robots"]').attr('content')).toContain('noindex');
      expect($('h1').text()).toBe('Search results for “caching”');
      expect($('.search__status').text()).toBe('2 posts match.');
      const items = $('.search-result').toArray();
      expect(items.map((li) => $(li).find('.search-result__title a').attr('href'))).toEqual(['/posts/caching', '/posts/body']);
      expect($(items[0]).find('time').attr('datetime')).toMatch(/^2024-01-10/);
      expect($(items[0]).find('time').text()).toBe('10 January 2024');
      expect($(items[1]).find('mark').text()).toBe('caching');
      // The page's one search form holds the query (the header's is left out on this page).
      expect($('form[role="search"] input[name="q"]').val()).toBe('caching');
      expect($('#search-page-q').val()).toBe('caching');
    });
    it('should show the form alone when the query is empty or missing', async () => {
      for (const url of ['/search', '/search?q=', '/search?q=%20%20']) {
        const res = await request(app).get(url);
        expect(res.status).toBe(200);
        const $ = cheerio.load(res.text);
        expect($('h1').text()).toBe('Search');
        expect($('form.search-form input[name="q"]').val()).toBe('');
        expect($('.search-result')).toHaveLength(0);
        expect($('.search__status')).toHaveLength(0);
      }
    });
    it('should escape the query everywhere it appears', async () => {
      const q = '<script>alert(1)</script>"\'&';
      const res = await request(app).get(`/search?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('<script>alert(1)');
      const $ = cheerio.load(res.text);
      expect($('title').text()).toContain(q);
      expect($('h1').text()).toBe(`Search results for “${q}”`);
      expect($('#search-page-q').val()).toBe(q);
      // One search form on the search page: its own, the header's left out.
      expect($('form[role="search"]')).toHaveLength(1);
      expect($('#site-search-q')).toHaveLength(0);
      expect($('script:not([type])')).toHaveLength(0);
      expect((await json(app, q)).query).toBe(q);
    });
  });

  describe('GET /search.json', () => {
    it('should give the same results as JSON', async () => {
      const res = await request(app).get('/search.json?q=caching');
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['cache-control']).toBe('private, max-age=0');
      const answer = res.body as JsonAnswer;
      expect(answer.query).toBe('caching');
      expect(answer.total).toBe(2);
      expect(answer.results[0]).toEqual({
        url: '/posts/caching',
        title: 'Caching at the edge',
        date: '2024-01-10',
        snippet: expect.any(String),
        score: expect.any(Number),
      });
    });
    it('should answer an empty query with no results', async () => {
      expect(await json(app, '')).toEqual({ query: '', total: 0, results: [] });
    });
  });

  describe('the front cache', () => {
    it('should never answer a search: two queries, two answers, and nothing stored', async () => {
      const hits = frontCacheHits(app);
      const pagesBefore = app.cache.size.pages;
      const first = await request(app).get('/search?q=caching');
      const second = await request(app).get('/search?q=kubernetes');
      const again = await request(app).get('/search?q=caching');
      expect(first.text).toContain('/posts/caching');
      expect(second.text).toContain('/posts/tagged');
      expect(second.text).not.toContain('/posts/caching');
      expect(again.text).toContain('/posts/caching');
      expect((await json(app, 'caching')).results).toHaveLength(2);
      expect((await json(app, 'kubernetes')).results).toHaveLength(1);
      expect(hits()).toBe(0);
      expect(app.cache.get('/search')).toBeUndefined();
      expect(app.cache.get('/search.json')).toBeUndefined();
      expect(app.cache.size.pages).toBe(pagesBefore);
    });
    it('should not be answered from a page cached at the same path by another route', async () => {
      // Even with the index page cached, /search?q= is a search.
      await request(app).get('/');
      const res = await request(app).get('/search?q=caching');
      expect(cheerio.load(res.text)('h1').text()).toBe('Search results for “caching”');
    });
  });

  describe('bad input', () => {
    it('should cut a query over 200 characters, quickly', async () => {
      const long = 'caching ab'.repeat(100);
      const answer = await json(app, long);
      expect(Array.from(answer.query)).toHaveLength(200);
      expect(urls(answer)).toEqual(['/posts/caching', '/posts/body']);
    });
    it('should refuse q given twice and a page that is not a number, with 400', async () => {
      for (const url of ['/search?q=a&q=b', '/search.json?q=a&q=b', '/search?q=a&page=0', '/search?q=a&page=x', '/search.json?q=a&page=-1']) {
        const res = await request(app).get(url);
        expect(res.status).toBe(400);
        expect(res.headers['cache-control']).toBe('no-store');
      }
    });
    it('should answer the errors of /search.json as JSON, whatever the client accepts', async () => {
      for (const [url, message] of [
        ['/search.json?q=a&q=b', 'Give one search query: ?q=words'],
        ['/search.json?q=a&page=x', 'The page of search results must be a number from 1: ?q=words&page=2'],
      ] as const) {
        for (const accept of ['text/html', '*/*']) {
          const res = await request(app).get(url).set('Accept', accept);
          expect(res.status).toBe(400);
          expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
          expect(res.headers['cache-control']).toBe('no-store');
          expect(res.body).toEqual({ error: { status: 400, message } });
        }
      }
    });
    it('should never find drafts or future posts in production', async () => {
      expect(await json(app, 'zanzibar')).toEqual({ query: 'zanzibar', total: 0, results: [] });
    });
    it('should answer an over-long URL with 414, not from a search', async () => {
      const res = await request(app).get(`/search?q=${'a'.repeat(3000)}`);
      expect(res.status).toBe(414);
    });
  });
});

describe('search pagination', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    for (let i = 1; i <= 25; i++) content.post(`2024-02-${String(i).padStart(2, '0')}-p${i}.md`, { title: `Post ${i} about gardening` });
    app = testApp(content);
  });
  afterAll(() => content.cleanup());

  it('should show 20 results a page, newest first among equals, with a link to the next page', async () => {
    const $ = cheerio.load((await request(app).get('/search?q=gardening')).text);
    expect($('.search-result')).toHaveLength(20);
    expect($('.search-result__title a').first().attr('href')).toBe('/posts/p25');
    expect($('.search__status').text()).toBe('25 posts match.');
    expect($('a[rel="next"]').attr('href')).toBe('/search?q=gardening&page=2');
    const $2 = cheerio.load((await request(app).get('/search?q=gardening&page=2')).text);
    expect($2('.search-result')).toHaveLength(5);
    expect($2('.search-result__title a').last().attr('href')).toBe('/posts/p1');
    expect($2('a[rel="prev"]').attr('href')).toBe('/search?q=gardening');
    expect($2('title').text()).toContain('page 2');
  });
  it('should page the JSON the same way', async () => {
    const page2 = await json(app, 'gardening', '&page=2');
    expect(page2.total).toBe(25);
    expect(page2.results).toHaveLength(5);
  });
  it('should show no results past the last page', async () => {
    const answer = await json(app, 'gardening', '&page=9');
    expect(answer).toEqual({ query: 'gardening', total: 25, results: [] });
  });
});

describe('search freshness', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(async () => {
    content.post('2024-03-01-first.md', { title: 'First post' }, 'About marmalade.\n');
    app = testApp(content, { env: 'production' });
    await json(app, 'marmalade');
  });
  afterAll(() => content.cleanup());

  it('should find a new post within a second', async () => {
    content.post('2024-03-02-second.md', { title: 'Second post' }, 'More about marmalade, and quinces.\n');
    await eventually(async () => expect(urls(await json(app, 'quinces'))).toEqual(['/posts/second']));
  });
  it('should find an edited post by its new words only', async () => {
    content.post('2024-03-01-first.md', { title: 'First post' }, 'Now about rhubarb.\n');
    content.touch('2024-03-01-first.md');
    await eventually(async () => {
      expect(urls(await json(app, 'rhubarb'))).toEqual(['/posts/first']);
      expect(urls(await json(app, 'marmalade'))).toEqual(['/posts/second']);
    });
  });
  it('should not find a deleted post', async () => {
    content.remove('2024-03-02-second.md');
    await eventually(async () => expect(await json(app, 'quinces')).toMatchObject({ total: 0, results: [] }));
  });
  it('should not find a broken post that never parsed', async () => {
    content.write('2024-03-03-broken.md', '---\ntitle: [unclosed\n---\nbroken pomegranate\n');
    content.post('2024-03-04-good.md', { title: 'Good' }, 'pomegranate\n');
    await eventually(async () => expect(urls(await json(app, 'pomegranate'))).toEqual(['/posts/good']));
  });
  it('should find a post published as a draft once the draft flag is removed', async () => {
    content.post('2024-03-05-draft.md', { title: 'Draft', draft: true }, 'tamarind\n');
    await eventually(async () => expect(urls(await json(app, 'pomegranate'))).toEqual(['/posts/good']));
    expect((await json(app, 'tamarind')).total).toBe(0);
    content.post('2024-03-05-draft.md', { title: 'Draft' }, 'tamarind\n');
    content.touch('2024-03-05-draft.md');
    await eventually(async () => expect(urls(await json(app, 'tamarind'))).toEqual(['/posts/draft']));
  });
});

describe('scheduled posts in search', () => {
  const content = new TempContent();
  afterAll(() => content.cleanup());

  it('should find a future post once its moment has come, without a restart', async () => {
    content.post('later.md', { title: 'Later', publish_date: '2024-06-02T00:00:00Z' }, 'persimmon\n');
    let now = Date.UTC(2024, 5, 1);
    const app = testApp(content, { env: 'production' }, { now: () => now });
    expect((await json(app, 'persimmon')).total).toBe(0);
    now = Date.UTC(2024, 5, 3);
    expect(urls(await json(app, 'persimmon'))).toEqual(['/posts/later']);
  });
});

describe('the header search form', () => {
  const content = new TempContent();
  afterAll(() => content.cleanup());

  it('should be a labelled GET form to /search on every page, empty outside the search page', async () => {
    content.copySample();
    const app = testApp(content);
    for (const url of ['/', '/posts/deepseek-rising-challenger', '/tags', '/nope']) {
      const $ = cheerio.load((await request(app).get(url)).text);
      const form = $('header.site-header form[role="search"]');
      expect(form.attr('method')).toBe('get');
      expect(form.attr('action')).toBe('/search');
      const input = form.find('input[name="q"]');
      expect(input.attr('type')).toBe('search');
      expect(input.val()).toBe('');
      expect($(`label[for="${input.attr('id')}"]`).text()).toBe('Search posts');
    }
  });
});

describe('standalone pages in search', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('2024-04-01-post.md', { title: 'A post' }, 'About gardens.\n');
    content.post('pages/about.md', { title: 'About us' }, 'We fly a zeppelin over the gardens.\n');
    content.post('pages/hidden.md', { title: 'Hidden', draft: true }, 'A secret zeppelin.\n');
    app = testApp(content, { env: 'production' });
  });
  afterAll(() => content.cleanup());

  it('should find a page at its own address, undated unless it says so, beside posts', async () => {
    const answer = await json(app, 'zeppelin');
    expect(answer.results).toEqual([
      { url: '/about', title: 'About us', date: null, snippet: 'We fly a <mark>zeppelin</mark> over the gardens.', score: expect.any(Number) },
    ]);
    expect(urls(await json(app, 'gardens')).sort()).toEqual(['/about', '/posts/post']);
  });
  it('should find a new page, and no longer a deleted one', async () => {
    content.post('pages/contact.md', { title: 'Contact' }, 'Write to the quartermaster.\n');
    await eventually(async () => expect(urls(await json(app, 'quartermaster'))).toEqual(['/contact']));
    content.remove('pages/about.md');
    await eventually(async () => expect((await json(app, 'zeppelin')).total).toBe(0));
  });
});
