/**
 * Development mode's live reload over HTTP: the script on every page, the
 * event stream, a view edit reaching the next page; none of it in production.
 */
import { copyFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { ROUTES } from '../../src/content/urls.js';
import { listen } from '../helpers/browser.js';
import { eventually, ROOT, TempContent, testApp } from '../helpers/site.js';

const SCRIPT = '/_lede/live-reload.js';

describe('live reload', () => {
  let content: TempContent;
  beforeEach(() => {
    content = new TempContent();
    content.post('post.md', { title: 'Post', publish_date: '2024-01-01' }, 'The text.');
  });
  afterEach(() => content.cleanup());

  describe('in development', () => {
    let app: LedeApp;
    beforeEach(() => {
      app = testApp(content, { env: 'development' });
    });
    afterEach(() => app.liveReload?.close());

    it('should put the script, from /_lede, on every kind of page', async () => {
      for (const url of ['/', '/posts/post', '/tags', '/nowhere']) {
        const res = await request(app).get(url);
        const script = cheerio.load(res.text)(`script[src="${SCRIPT}"]`);
        expect(script.attr('data-endpoint')).toBe(ROUTES.liveReload);
        expect(script.attr('defer')).toBeDefined();
      }
      const js = await request(app).get(SCRIPT);
      expect(js.status).toBe(200);
      expect(js.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
    });

    it('should keep the strict script policy: the script is same-origin, nothing inline', async () => {
      const res = await request(app).get('/posts/post');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      const $ = cheerio.load(res.text);
      expect($('script:not([src]):not([type="application/ld+json"])').length).toBe(0);
    });

    it('should answer the endpoint with an event stream that starts with the version', async () => {
      const { origin, close } = await listen(app);
      try {
        const first = await new Promise<{ type: string | undefined; chunk: string }>((resolve, reject) => {
          const req = get(`${origin}${ROUTES.liveReload}`, (res) => {
            res.setEncoding('utf8');
            res.once('data', (chunk: string) => {
              resolve({ type: res.headers['content-type'], chunk });
              req.destroy();
            });
          });
          req.on('error', reject);
        });
        expect(first.type).toBe('text/event-stream; charset=utf-8');
        expect(first.chunk).toContain(`event: version\ndata: ${app.liveReload!.version}`);
      } finally {
        app.liveReload?.close();
        await close();
      }
    });

    it('should serve the stylesheet for revalidation on every load, so a reload shows an edit', async () => {
      const css = await request(app).get('/_lede/style.css');
      expect(css.headers['cache-control']).toBe('public, max-age=0');
    });
  });

  describe('after a view changes', () => {
    let views: string;
    let app: LedeApp;
    beforeEach(() => {
      views = mkdtempSync(path.join(tmpdir(), 'lede-views-'));
      cpSync(path.join(ROOT, 'views'), views, { recursive: true });
      app = testApp(content, { env: 'development', viewsDir: views });
    });
    afterEach(() => {
      app.liveReload?.close();
      rmSync(views, { recursive: true, force: true });
    });

    it('should make the next page with the edited view, cached pages included', async () => {
      expect((await request(app).get('/posts/post')).text).not.toContain('Edited footer');
      const footer = path.join(views, 'partials', 'footer.ejs');
      copyFileSync(footer, `${footer}.orig`);
      writeFileSync(footer, '<footer>Edited footer</footer>\n');
      await eventually(async () => expect((await request(app).get('/posts/post')).text).toContain('Edited footer'));
      expect((await request(app).get('/')).text).toContain('Edited footer');
    });
  });

  describe('in production', () => {
    it('should carry no script, and answer the endpoint 404', async () => {
      const app = testApp(content, { env: 'production' });
      expect(app.liveReload).toBeUndefined();
      const page = await request(app).get('/posts/post');
      expect(page.text).not.toContain('live-reload');
      expect((await request(app).get(ROUTES.liveReload)).status).toBe(404);
      const css = await request(app).get('/_lede/style.css');
      expect(css.headers['cache-control']).toBe('public, max-age=3600');
    });

    it('should not be turned on even when asked', async () => {
      const app = testApp(content, { env: 'production' }, { liveReload: true });
      expect(app.liveReload).toBeUndefined();
      expect((await request(app).get(ROUTES.liveReload)).status).toBe(404);
    });
  });

  describe('under test (NODE_ENV=test)', () => {
    it('should be off unless a test turns it on', async () => {
      const app = testApp(content);
      expect(app.liveReload).toBeUndefined();
      expect((await request(app).get('/posts/post')).text).not.toContain('live-reload');
    });
  });

  it('should end open streams when it closes, so a shutdown does not wait for them', async () => {
    const app = testApp(content, { env: 'development' });
    const { origin, server, close } = await listen(app);
    const ended = new Promise<void>((resolve) => {
      get(`${origin}${ROUTES.liveReload}`, (res) => {
        res.resume();
        res.on('end', resolve);
      });
    });
    await eventually(async () => expect(app.liveReload!.openPages).toBe(1));
    app.liveReload!.close();
    await ended;
    expect((server.address() as AddressInfo).port).toBeGreaterThan(0);
    await close();
  });
});
