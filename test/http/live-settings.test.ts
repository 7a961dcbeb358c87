/**
 * `content/_site.yml` is read again when it changes, like a post: a good
 * edit applies within a second on every page, cached ones included; a
 * broken edit keeps the last good settings and is reported once.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import { pino, type Logger } from 'pino';
import request from 'supertest';
import { createApp, type LedeApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { LiveSettings, settingsSchema } from '../../src/settings.js';
import { runCli } from '../helpers/cli.js';
import { eventually, TempContent } from '../helpers/site.js';

function capturingLogger(): { logger: Logger; messages: () => string[] } {
  const out: string[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void out.push(s) });
  return { logger, messages: () => out.map((s) => (JSON.parse(s) as { msg: string }).msg) };
}

const SETTINGS = [
  'title: First Title',
  'description: About things',
  'posts_per_page: 2',
  'cta: Subscribe to the first list.',
  'timezone: UTC',
  'nav:',
  '  - label: Home',
  '    url: /',
].join('\n');

describe.each(['watch', 'poll'] as const)('settings edited while the server runs (CONTENT_WATCH=%s)', (contentWatch) => {
  let content: TempContent;
  let app: LedeApp;
  let log: ReturnType<typeof capturingLogger>;

  beforeEach(async () => {
    content = new TempContent();
    content.write('_site.yml', SETTINGS);
    content.post('a.md', { title: 'Post A', publish_date: '2024-01-01' });
    content.post('b.md', { title: 'Post B', publish_date: '2024-01-02' });
    content.post('c.md', { title: 'Post C', publish_date: '2024-01-03T23:30:00Z' });
    content.post('pages/event.md', { title: 'Event', publish_date: '2024-01-02' });
    log = capturingLogger();
    // The environment as `npm start` reads it: the settings come from the file.
    const config = loadConfig({ CONTENT_DIR: content.dir, NODE_ENV: 'production', CONTENT_WATCH: contentWatch }, process.cwd());
    app = createApp(config, { logger: log.logger });
    const index = await request(app).get('/');
    expect(cheerio.load(index.text)('title').text()).toBe('First Title');
  });
  afterEach(() => {
    app.store.close();
    app.pages.close();
    content.cleanup();
  });

  it('should apply a new title, navigation, CTA and page size within a second, cached pages included', async () => {
    // Cached first: the article and the index are answered from the front cache from now on.
    expect((await request(app).get('/posts/a')).text).toContain('Subscribe to the first list.');
    expect((await request(app).get('/page/2')).status).toBe(200);
    content.write(
      '_site.yml',
      SETTINGS.replace('First Title', 'Second Title')
        .replace('posts_per_page: 2', 'posts_per_page: 5')
        .replace('first list', 'second list')
        .replace('label: Home', 'label: Start'),
    );
    await eventually(async () =>
      expect(
        cheerio
          .load((await request(app).get('/')).text)('title')
          .text(),
      ).toBe('Second Title'),
    );
    const article = await request(app).get('/posts/a');
    expect(article.text).toContain('Subscribe to the second list.');
    expect(article.text).toContain('Second Title');
    expect(cheerio.load(article.text)('header nav a').text()).toContain('Start');
    expect((await request(app).get('/page/2')).status).toBe(404); // three posts now fit on one page
    const feed = await request(app).get('/feed.xml');
    expect(feed.text).toContain('<title>Second Title</title>');
  });

  it('should apply a new time zone to the moments of calendar dates (feeds, meta)', async () => {
    const published = async (): Promise<string | undefined> => {
      const feed = (await request(app).get('/feed.json')).body as { items: { url: string; date_published: string }[] };
      return feed.items.find((item) => item.url.endsWith('/posts/b'))?.date_published;
    };
    // A standalone page follows the settings as posts do, though only the posts' store reads the file.
    const pageDate = async (): Promise<string | undefined> => /\/event<\/loc>\s*<lastmod>([^<]+)/.exec((await request(app).get('/sitemap.xml')).text)?.[1];
    expect(await published()).toBe('2024-01-02T00:00:00Z');
    expect(await pageDate()).toBe('2024-01-02T00:00:00Z');
    content.write('_site.yml', SETTINGS.replace('timezone: UTC', 'timezone: Pacific/Kiritimati'));
    await eventually(async () => expect(await published()).toBe('2024-01-02T00:00:00+14:00'));
    await eventually(async () => expect(await pageDate()).toBe('2024-01-02T00:00:00+14:00'));
  });

  it('should keep the last good settings on a broken edit, count it, log it once, and recover', async () => {
    content.write('_site.yml', SETTINGS.replace('First Title', 'Broken Title').replace('posts_per_page: 2', 'posts_per_page: [2'));
    await eventually(async () => expect((await request(app).get('/healthz')).body.errors).toBe(1));
    expect(
      cheerio
        .load((await request(app).get('/')).text)('title')
        .text(),
    ).toBe('First Title');
    for (let i = 0; i < 3; i += 1) await request(app).get('/healthz');
    const logged = log.messages().filter((m) => m.startsWith('_site.yml'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^_site\.yml:3: /);

    content.write('_site.yml', SETTINGS.replace('First Title', 'Fixed Title'));
    await eventually(async () =>
      expect(
        cheerio
          .load((await request(app).get('/')).text)('title')
          .text(),
      ).toBe('Fixed Title'),
    );
    expect((await request(app).get('/healthz')).body.errors).toBe(0);
  });

  it('should keep the last good settings on a wrong value, naming the field', async () => {
    content.write('_site.yml', SETTINGS.replace('timezone: UTC', 'timezone: Mars/Olympus'));
    await eventually(async () => expect((await request(app).get('/healthz')).body.errors).toBe(1));
    expect(log.messages().some((m) => /^_site\.yml:5: .*timezone.*IANA/.test(m))).toBe(true);
    expect(
      cheerio
        .load((await request(app).get('/')).text)('title')
        .text(),
    ).toBe('First Title');
  });
});

describe('LiveSettings', () => {
  let content: TempContent;
  beforeEach(() => {
    content = new TempContent();
  });
  afterEach(() => content.cleanup());

  it('should read the file again only when it changed', () => {
    content.write('_site.yml', 'title: One');
    const live = new LiveSettings(content.dir, settingsSchema.parse({ title: 'One' }));
    expect(live.refresh()).toBe(false);
    content.write('_site.yml', 'title: Two!');
    expect(live.refresh()).toBe(true);
    expect(live.current.title).toBe('Two!');
    expect(live.refresh()).toBe(false);
    expect(Object.isFrozen(live.current)).toBe(true);
  });

  it('should go back to the defaults when the file is deleted', () => {
    content.write('_site.yml', 'title: One');
    const live = new LiveSettings(content.dir, settingsSchema.parse({ title: 'One' }));
    content.remove('_site.yml');
    expect(live.refresh()).toBe(true);
    expect(live.current.title).toBe('Lede');
  });

  it('should be what `npm run check` reports on too', async () => {
    content.post('a.md', { title: 'A', publish_date: '2024-01-01' });
    content.write('_site.yml', 'title: [broken');
    const run = await runCli('check', [content.dir], { cwd: content.dir });
    expect(run.code).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/_site\.yml:1: /);
  });
});
