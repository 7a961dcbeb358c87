/**
 * Math and diagrams over HTTP: KaTeX's stylesheet and mermaid's script are
 * linked only from the pages that need them, served self-hosted from
 * content-hashed folders cached for a year, and those pages alone get the
 * style permissions they need in their Content-Security-Policy. Feeds carry
 * the MathML, and a diagram's source as code.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as cheerio from 'cheerio';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { CSP_DIRECTIVES } from '../../src/http/security-headers.js';
import { IMMUTABLE_CACHE_CONTROL } from '../../src/http/vendor-assets.js';
import { TempContent, testApp } from '../helpers/site.js';

const MATH = 'Energy is $E = mc^2$; it costs $5 and $10.\n\n$$\n\\int_0^1 x\\,dx = \\frac{1}{2}\n$$\n';
const DIAGRAM = 'A flow:\n\n```mermaid\ngraph TD; A-->B\n```\n';

/** A policy header as a map of directive to its values. */
function policy(header: string | undefined): Record<string, string> {
  return Object.fromEntries(
    (header ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values.join(' ')]),
  );
}

describe('rich content', () => {
  const content = new TempContent();
  let app: LedeApp;
  beforeAll(() => {
    content.post('math.md', { title: 'Math', publish_date: '2024-01-03' }, MATH);
    content.post('diagram.md', { title: 'Diagram', publish_date: '2024-01-02' }, DIAGRAM);
    content.post('plain.md', { title: 'Plain', publish_date: '2024-01-01' }, 'Nothing special, $5 and $10.');
    content.post('pages/formulas.md', { title: 'Formulas' }, 'A standalone page with $a^2 + b^2 = c^2$.');
    app = testApp(content, { siteUrl: 'https://blog.example' });
  });
  afterAll(() => content.cleanup());

  describe('a page with math', () => {
    let res: request.Response;
    let $: cheerio.CheerioAPI;
    beforeAll(async () => {
      res = await request(app).get('/posts/math');
      $ = cheerio.load(res.text);
    });

    it('should carry the formulas as KaTeX HTML and MathML, with no script', () => {
      expect($('.katex').length).toBe(2);
      expect($('math').length).toBe(2);
      expect($('math[display="block"]').length).toBe(1);
      expect($('script[src]').length).toBe(0);
    });
    it('should keep prices as text', () => expect($('.article__body, article').text()).toMatch(/it costs \$5 and \$10\./));
    it("should link KaTeX's stylesheet from a content-hashed folder under /_lede", () => {
      expect(
        $('link[rel="stylesheet"]')
          .map((_, el) => $(el).attr('href'))
          .get(),
      ).toEqual([
        expect.stringMatching(/^\/_lede\/katex-[0-9a-f]{10}\/katex\.min\.css$/),
        // The page stylesheet, the bundled type's rules folded in (docs/themes.md, "Type").
        expect.stringMatching(/^\/_lede\/style-[0-9a-f]{10}\/style\.css$/),
      ]);
    });
    it('should allow style attributes (KaTeX positions glyphs with them) and nothing more', () => {
      const csp = policy(res.headers['content-security-policy']);
      expect(csp['style-src-attr']).toBe("'unsafe-inline'");
      expect(csp['style-src']).toBe("'self'");
      expect(csp['script-src']).toBe("'self'");
      expect(csp['script-src-attr']).toBe("'none'");
    });
    it('should keep its policy when the front cache answers', async () => {
      const again = await request(app).get('/posts/math');
      expect(again.headers['content-security-policy']).toBe(res.headers['content-security-policy']);
    });

    describe("KaTeX's files", () => {
      let css: request.Response;
      let cssUrl: string;
      beforeAll(async () => {
        cssUrl = $('link[href*="katex"]').attr('href')!;
        css = await request(app).get(cssUrl);
      });
      it('should serve the stylesheet as CSS, cached for a year as immutable', () => {
        expect(css.status).toBe(200);
        expect(css.headers['content-type']).toMatch(/^text\/css/);
        expect(css.headers['cache-control']).toBe(IMMUTABLE_CACHE_CONTROL);
      });
      it('should serve the woff2 fonts the stylesheet names, beside it and cached alike', async () => {
        const fonts = [...css.text.matchAll(/url\((fonts\/[^)]+\.woff2)\)/g)].map((m) => new URL(m[1]!, `http://x${cssUrl}`).pathname);
        expect(fonts.length).toBeGreaterThan(10);
        for (const font of fonts.slice(0, 3)) {
          const res = await request(app).get(font);
          expect(res.status).toBe(200);
          expect(res.headers['cache-control']).toBe(IMMUTABLE_CACHE_CONTROL);
        }
      });
      it("should not serve the rest of KaTeX's package", async () => {
        const folder = cssUrl.replace(/katex\.min\.css$/, '');
        for (const file of ['katex.js', 'katex.min.js', 'katex.css', 'README.md', 'contrib/auto-render.min.js']) {
          expect((await request(app).get(folder + file)).status).toBe(404);
        }
        // The URL guard refuses a climb before any file is looked at.
        expect([400, 404]).toContain((await request(app).get(`${folder}..%2F..%2Fpackage.json`)).status);
      });
      it('should not serve an old or made-up hash', async () => {
        expect((await request(app).get('/_lede/katex-0000000000/katex.min.css')).status).toBe(404);
      });
    });
  });

  describe('a page with a diagram', () => {
    let res: request.Response;
    let $: cheerio.CheerioAPI;
    beforeAll(async () => {
      res = await request(app).get('/posts/diagram');
      $ = cheerio.load(res.text);
    });
    it('should show the source as a code block (what readers without JavaScript see)', () => {
      expect($('pre > code.language-mermaid').text()).toBe('graph TD; A-->B\n');
    });
    it("should load the diagram script, deferred, naming mermaid's script in a hashed folder for it to load; no inline script", async () => {
      // JSON-LD blocks are data, not script.
      const scripts = $('script:not([type="application/ld+json"])')
        .map((_, el) => ({
          src: $(el).attr('src'),
          mermaid: $(el).attr('data-mermaid'),
          defer: $(el).attr('defer') !== undefined,
          inline: $(el).text().trim() !== '',
        }))
        .get();
      const executable = scripts.filter((s) => s.src || s.inline);
      expect(executable).toEqual([
        { src: '/_lede/diagrams.js', mermaid: expect.stringMatching(/^\/_lede\/mermaid-[0-9a-f]{10}\/mermaid\.min\.js$/), defer: true, inline: false },
      ]);
      const mermaid = await request(app).get(executable[0]!.mermaid!);
      expect(mermaid.status).toBe(200);
      expect(mermaid.headers['content-type']).toMatch(/javascript/);
      expect(mermaid.headers['cache-control']).toBe(IMMUTABLE_CACHE_CONTROL);
    });
    it("should allow inline styles (mermaid's SVG carries a <style>), scripts still only from this site", () => {
      const csp = policy(res.headers['content-security-policy']);
      expect(csp['style-src']).toBe("'self' 'unsafe-inline'");
      expect(csp['script-src']).toBe("'self'");
    });
    it('should not link the math stylesheet', () => expect($('link[href*="katex"]').length).toBe(0));
  });

  it('should render math on a standalone page too, with the stylesheet and the policy it needs', async () => {
    const res = await request(app).get('/formulas');
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    expect($('math annotation').text()).toBe('a^2 + b^2 = c^2');
    expect($('link[href*="katex"]').length).toBe(1);
    expect(policy(res.headers['content-security-policy'])['style-src-attr']).toBe("'unsafe-inline'");
  });

  describe('pages without math or diagrams', () => {
    it.each(['/posts/plain', '/', '/tags'])('%s should link neither and keep the site-wide policy', async (url) => {
      const res = await request(app).get(url);
      expect(res.status).toBe(200);
      const $ = cheerio.load(res.text);
      expect($('link[href*="katex"]').length).toBe(0);
      expect($('script[src*="mermaid"], script[src*="diagrams"]').length).toBe(0);
      const csp = policy(res.headers['content-security-policy']);
      expect(csp['style-src']).toBe(CSP_DIRECTIVES['style-src'].join(' '));
      expect(csp['style-src-attr']).toBeUndefined();
    });
  });

  describe('feeds', () => {
    it('should carry readable MathML in the JSON feed, and the diagram as code', async () => {
      const res = await request(app).get('/feed.json');
      const items = (res.body as { items: { url: string; content_html: string }[] }).items;
      const math = cheerio.load(items.find((i) => i.url.endsWith('/posts/math'))!.content_html);
      expect(math('math annotation[encoding="application/x-tex"]').first().text()).toBe('E = mc^2');
      expect(math('math mi').first().text()).toBe('E');
      const diagram = cheerio.load(items.find((i) => i.url.endsWith('/posts/diagram'))!.content_html);
      expect(diagram('pre > code.language-mermaid').text()).toBe('graph TD; A-->B\n');
    });
    it('should carry MathML in the Atom and RSS feeds', async () => {
      for (const url of ['/atom.xml', '/feed.xml']) {
        const res = await request(app).get(url);
        expect(res.text).toMatch(/(<|&lt;)math xmlns=("|&quot;)http:\/\/www\.w3\.org\/1998\/Math\/MathML/);
      }
    });
  });
});
