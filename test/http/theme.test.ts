import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { readSettingsFile } from '../../src/settings.js';
import { eventually, TempContent, testApp } from '../helpers/site.js';

describe('THEME_DIR', () => {
  const content = new TempContent();
  const theme = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('hello.md', { title: 'Hello', publish_date: '2024-01-01' });
    theme.write(
      'views/partials/footer.ejs',
      '<footer class="site-footer my-footer"><p>Made by <%= site.title %> — <a href="<%= urls.archive %>">All posts</a> · <a href="<%= urls.feed.rss %>">RSS</a></p></footer>\n',
    );
    theme.write('assets/style.css', 'body { color: rebeccapurple; }\n');
    theme.write('assets/extra.js', 'console.log("extra");\n');
    app = testApp(content, { themeDir: theme.dir });
  });
  afterAll(() => {
    app.store.close();
    app.pages.close();
    content.cleanup();
    theme.cleanup();
  });

  it('replaces a built-in partial with the theme file of the same path, everything else falls back', async () => {
    const $ = cheerio.load((await request(app).get('/posts/hello')).text);
    expect($('footer.my-footer').text()).toContain('Made by Lede');
    expect($('.site-header')).toHaveLength(1); // built-in header
    expect($('h1').text()).toBe('Hello'); // built-in post view
  });

  it('serves the theme stylesheet instead of the built-in one, and new assets beside it', async () => {
    // Linked as it is, with the fonts' rules apart: the built-in page stylesheet (src/http/vendor-assets.ts) is not the theme's.
    const $ = cheerio.load((await request(app).get('/posts/hello')).text);
    expect(
      $('link[rel="stylesheet"]')
        .map((_, el) => $(el).attr('href'))
        .get(),
    ).toEqual(['/_lede/style.css', expect.stringMatching(/^\/_lede\/fonts-[0-9a-f]{10}\/fonts\.css$/)]);
    const css = await request(app).get('/_lede/style.css');
    expect(css.status).toBe(200);
    expect(css.text).toBe('body { color: rebeccapurple; }\n');
    expect((await request(app).get('/_lede/extra.js')).text).toContain('extra');
    // Not in the theme: the built-in file.
    expect((await request(app).get('/_lede/favicon.svg')).status).toBe(200);
  });

  it('reads changed views again when reloadViews is called (the development hook)', async () => {
    expect((await request(app).get('/')).text).toContain('Made by');
    theme.write('views/partials/footer.ejs', '<footer class="site-footer"><p>Second footer</p></footer>\n');
    // The page is cached until the hook says the views changed.
    expect((await request(app).get('/')).text).toContain('Made by');
    app.reloadViews();
    expect((await request(app).get('/')).text).toContain('Second footer');
  });

  it('is watched by the development live reload: an edited theme view shows on the next request', async () => {
    const live = testApp(content, { themeDir: theme.dir }, { liveReload: true });
    try {
      theme.write('views/partials/footer.ejs', '<footer class="site-footer"><p>Before the edit</p></footer>\n');
      live.reloadViews();
      expect((await request(live).get('/')).text).toContain('Before the edit');
      theme.write('views/partials/footer.ejs', '<footer class="site-footer"><p>After the edit</p></footer>\n');
      await eventually(async () => expect((await request(live).get('/')).text).toContain('After the edit'));
    } finally {
      live.liveReload?.close();
      live.store.close();
      live.pages.close();
    }
  });

  it('is refused at start-up when it is not a folder', () => {
    expect(() => loadConfig({ CONTENT_DIR: content.dir, THEME_DIR: `${theme.dir}/nope` })).toThrow(/THEME_DIR: .* is not a folder/);
  });
});

describe('branding keys in _site.yml', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('hello.md', { title: 'Hello', publish_date: '2024-01-01' });
    app = testApp(content, { site: { logo: '/img/logo.svg', accent_color: '#0b6e4f', footer_text: 'Words by us. [Contact](mailto:a@example.com)' } });
  });
  afterAll(() => {
    app.store.close();
    app.pages.close();
    content.cleanup();
  });

  it('puts the logo in the header, the footer text in the footer, and the accent in a stylesheet', async () => {
    const $ = cheerio.load((await request(app).get('/')).text);
    expect($('.site-title img').attr('src')).toBe('/img/logo.svg');
    expect($('footer').text()).toContain('Words by us.');
    expect($('footer a[href="mailto:a@example.com"]').text()).toBe('Contact');
    const href = $('link[rel=stylesheet]').last().attr('href')!;
    expect(href).toBe('/_lede/brand.css');
    const css = await request(app).get(href);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    // A colour that reads well on the light page is used as given there (src/render/palette.ts).
    expect(css.text).toContain('--accent: #0b6e4f;');
  });

  it('validates them with file:line problems', () => {
    const bad = new TempContent();
    bad.write('_site.yml', 'title: T\nlogo: "javascript:alert(1)"\naccent_color: red; } body { display:none\nfooter_text: "[x](javascript:alert(1))"\n');
    const { problems } = readSettingsFile(bad.dir);
    bad.cleanup();
    expect(problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual([
      expect.stringMatching(/^_site\.yml:2: field `logo`.*must be an http\(s\), mailto or relative URL/),
      expect.stringMatching(/^_site\.yml:3: field `accent_color`.*CSS hex colour/),
      expect.stringMatching(/^_site\.yml:4: field `footer_text`.*has a link that/),
    ]);
  });

  it('has no brand stylesheet without accent_color', async () => {
    const plain = new TempContent();
    plain.post('x.md', { title: 'X', publish_date: '2024-01-01' });
    const other = testApp(plain);
    expect((await request(other).get('/')).text).not.toContain('brand.css');
    expect((await request(other).get('/_lede/brand.css')).status).toBe(404);
    other.store.close();
    plain.cleanup();
  });
});
