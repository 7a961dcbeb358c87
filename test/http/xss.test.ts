/**
 * XSS payloads in every frontmatter field and in the body: whatever an
 * author (or whoever can write to the content folder) puts in a post, no
 * executable script, event handler or `javascript:` URL reaches a page.
 * Every element and attribute of the parsed output is checked.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { executableContent } from '../helpers/no-script.js';
import { TempContent, testApp } from '../helpers/site.js';

const PAYLOADS = [
  '<script>alert(1)</script>',
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  '"><svg onload=alert(1)>',
  '</title><script>alert(1)</script>',
  '</textarea><script>alert(1)</script>',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="&#106;avascript:alert(1)">x</a>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<img src="x" onerror="alert(1)">',
  '<details open ontoggle=alert(1)>',
  '<body onload=alert(1)>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<object data="data:text/html,<script>alert(1)</script>"></object>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '{{constructor.constructor("alert(1)")()}}',
  '<% process.exit() %>',
];

/** Markdown-specific ways to smuggle a script into the body. */
const BODY_PAYLOADS = [
  ...PAYLOADS,
  '[click](javascript:alert(1))',
  '[click](JAVASCRIPT:alert(1))',
  '[click](  javascript:alert(1))',
  '[click](java&#x09;script:alert(1))',
  '[click](vbscript:msgbox(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '![img](javascript:alert(1))',
  '![img](x" onerror="alert(1))',
  '<javascript:alert(1)>',
  '[ref]\n\n[ref]: javascript:alert(1)',
  '```html\n<script>alert(1)</script>\n```',
  '`<script>alert(1)</script>`',
  '<pre><code class="language-js" onclick="alert(1)">x</code></pre>',
];

/** Text fields of the frontmatter; each gets every payload. */
const TEXT_FIELDS = ['title', 'subtitle', 'description', 'author', 'read_time', 'heroImageAlt', 'tags', 'mood'] as const;

describe('XSS in posts', () => {
  const content = new TempContent();
  let app: LedeApp;
  const slugs: string[] = [];
  const bodySlugs = new Map<string, string>();

  beforeAll(() => {
    let n = 0;
    for (const field of TEXT_FIELDS) {
      for (const payload of PAYLOADS) {
        const slug = `f${n++}`;
        slugs.push(slug);
        const fm: Record<string, unknown> = {
          title: `Post ${slug}`,
          heroImage: 'https://example.com/a.jpg',
          [field]: field === 'tags' ? [payload, 'ok'] : payload,
        };
        content.post(`${slug}.md`, fm);
      }
    }
    for (const payload of [...BODY_PAYLOADS, ...PAYLOADS.map((p) => `Text with ${p} inside a paragraph.`)]) {
      const slug = `b${n++}`;
      slugs.push(slug);
      bodySlugs.set(payload, slug);
      content.post(`${slug}.md`, { title: `Post ${slug}` }, `# Heading\n\n${payload}\n`);
    }
    for (const payload of PAYLOADS) {
      const slug = `c${n++}`;
      slugs.push(slug);
      content.post(`${slug}.md`, { title: `Post ${slug}`, cta: `Follow ${payload}` });
    }
    app = testApp(content, { env: 'production', site: { posts_per_page: 100 } });
  });
  afterAll(() => content.cleanup());

  it('should serve every post: payloads in text are text, not errors', async () => {
    const res = await request(app).get('/healthz');
    expect(res.body).toMatchObject({ status: 'ok', posts: slugs.length, errors: 0 });
  });

  it('should leave nothing executable on any article page', async () => {
    const problems: string[] = [];
    for (const slug of slugs) {
      const res = await request(app).get(`/posts/${slug}`);
      expect(res.status).toBe(200);
      for (const p of executableContent(res.text)) problems.push(`${slug}: ${p}`);
    }
    expect(problems).toEqual([]);
  });

  it('should leave nothing executable on the index', async () => {
    for (const url of ['/', '/page/2']) {
      const res = await request(app).get(url);
      if (url !== '/' && res.status === 404) continue;
      expect(executableContent(res.text)).toEqual([]);
    }
  });

  it('should keep the payload visible as text, escaped', async () => {
    const res = await request(app).get('/posts/f0');
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('should drop the javascript: link from the body but keep its text', async () => {
    const slug = bodySlugs.get('[click](javascript:alert(1))')!;
    const res = await request(app).get(`/posts/${slug}`);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<a>click<\/a>/);
  });
});

describe('URLs in the frontmatter', () => {
  const content = new TempContent();
  let app: LedeApp;
  const bad: ReadonlyArray<readonly [string, string]> = [
    ['heroImage', 'javascript:alert(1)'],
    ['hero_image', 'JavaScript:alert(1)'],
    ['image', ' javascript:alert(1)'],
    ['heroImage', 'data:image/svg+xml,<svg onload=alert(1)>'],
    ['canonical_url', 'javascript:alert(1)'],
    ['canonical_url', 'vbscript:msgbox(1)'],
    ['canonical_url', 'java\tscript:alert(1)'],
    ['cta', 'Read [more](javascript:alert(1))'],
    ['cta', 'Read <data:text/html,x>'],
  ];
  beforeAll(() => {
    bad.forEach(([field, url], i) => {
      content.post(`bad-${i}.md`, { title: 'Bad', [field]: url });
    });
    content.post('good.md', {
      title: 'Good',
      heroImage: '/hero.jpg',
      canonical_url: 'https://elsewhere.example/post',
      cta: '[Mail us](mailto:a@example.com) or [read](/posts/x)',
    });
    app = testApp(content, { env: 'production' });
  });
  afterAll(() => content.cleanup());

  it('should report each unsafe URL as a content error naming the field and line', async () => {
    const errors = await app.store.errors();
    expect(errors).toHaveLength(bad.length);
    bad.forEach(([field], i) => {
      const error = errors.find((e) => e.file === `bad-${i}.md`);
      expect(error).toMatchObject({ line: 3 });
      expect(error?.message).toMatch(new RegExp(`^field \`${field}\` (has a link that )?must be an http\\(s\\), mailto or relative URL`));
    });
  });

  it('should not serve a post with an unsafe URL', async () => {
    expect((await request(app).get('/posts/bad')).status).toBe(404);
  });

  it('should serve http(s), mailto and relative URLs', async () => {
    const res = await request(app).get('/posts/good');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<link rel="canonical" href="https://elsewhere.example/post">');
    expect(res.text).toContain('href="mailto:a@example.com"');
  });
});

describe('the checker', () => {
  it('should catch what it looks for', () => {
    expect(executableContent('<p onclick="x">a</p>')).toHaveLength(1);
    expect(executableContent('<a href=" java\tscript:x">a</a>')).toHaveLength(1);
    expect(executableContent('<a href="&#106;avascript:x">a</a>')).toHaveLength(1);
    expect(executableContent('<script>x</script>')).toHaveLength(1);
    expect(executableContent('<script type="application/ld+json">{}</script>')).toEqual([]);
    expect(executableContent('<iframe src="https://e"></iframe>')).toHaveLength(1);
    expect(executableContent('<img src="data:image/svg+xml,x">')).toHaveLength(1);
  });
});
