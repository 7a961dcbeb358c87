/**
 * What `npm run check`'s render threads tell the main thread
 * (src/cli/check-render.ts, src/cli/body-needs.ts): whether a body's
 * summary is made there too, and whether the main thread's checks need the
 * body at all. A body said not to be needed must give, as an empty body,
 * exactly what the checks give with it.
 */
import { describe, expect, it } from '@jest/globals';
import { bodyNeeds } from '../../src/cli/body-needs.js';
import { checkOne, needsSummary, sanitizeFromChars, SANITIZE_SKIP_MAX_CHARS } from '../../src/cli/check-render.js';
import { linkRefProblems } from '../../src/content/link-refs.js';
import { buildLinkSite } from '../../src/content/link-site.js';
import { mathProblems } from '../../src/cli/math-problems.js';
import { parsePost } from '../../src/content/parse-post.js';
import type { Post } from '../../src/content/post.js';
import { parseName } from '../../src/content/slug.js';
import { staticRefProblems } from '../../src/content/static-refs.js';
import { render } from '../../src/render/markdown.js';
import { removedHtml } from '../../src/render/removed-html.js';

function post(body: string): Post {
  const bytes = Buffer.from(`---\ntitle: T\n---\n${body}`, 'utf8');
  const signature = { mtimeMs: 0, ctimeMs: 0, size: bytes.length, ino: 1 };
  const result = parsePost(
    { file: '/c/a.md', relPath: 'a.md', bundleDir: undefined, name: parseName('a'), signature, bytes },
    { author: 'A', timezone: 'UTC' },
  );
  if (!result.ok) throw new Error(result.error.message);
  return result.post;
}

/** What the main thread's checks say of a post, given `body` as its body. */
function checked(p: Post, body: string): unknown {
  const text = (): string => `---\ntitle: T\n---\n${p.body}`;
  return {
    links: linkRefProblems(p, { from: { relPath: p.relPath }, site: buildLinkSite([], []), contentDir: '/c' }, text, body),
    math: mathProblems(p, text, body),
    statics: staticRefProblems(p, new Set(), text, body),

    removed: removedHtml(body, text),
  };
}

describe('bodyNeeds', () => {
  const needed = [
    'An image ![x](photo.png) beside the post.',
    'A [link](/files/cv.pdf) to a site file.',
    'A formula $\\frac{1}{$ that KaTeX refuses.',
    '<img src="a.png">',
    '<script>alert(1)</script> text',
    '[ref]: ./notes.txt\n\nSee [ref].',
    'A page link [about](about) that is relative.',
  ];
  const notNeeded = [
    'Plain text.',
    'Prices: $5 and $10.',
    'A photo ![x](https://example.com/a.png) from elsewhere.',
    'A [link](https://example.com) and <em>emphasis</em>.',
    '```js\nconst a = 1;\n```',
  ];

  it.each(needed)('should say the checks need %j', (body) => {
    expect(bodyNeeds(body, false).body).toBe(true);
  });

  it.each(notNeeded)('should let the checks run on an empty body for %j, which say the same as with it', (body) => {
    expect(bodyNeeds(body, false).body).toBe(false);
    const p = post(body);
    expect(checked(p, '')).toEqual(checked(p, p.body));
  });

  it('should say when the body as written may hold other generators’ syntax (its notices)', () => {
    const item = (markdown: string) => ({
      id: 0,
      body: { kind: 'bytes' as const, bytes: new TextEncoder().encode(markdown) },
      rawHtml: false,
    });
    expect(checkOne(item('{% raw %}x{% endraw %}'), 10_000)).toEqual({ ok: true, needs: { body: false, notices: true } });
    expect(checkOne(item('x'), 10_000)).toEqual({ ok: true, needs: { body: false, notices: false } });
  });
});

describe('needsSummary', () => {
  it('should skip the summary of a small body, whose time the summary’s linear cost bounds far below the limit', () => {
    expect(needsSummary(8 * 1024, 5000)).toBe(false);
    expect(needsSummary(16 * 1024, 1000)).toBe(false);
  });

  it('should make it for a large body, or under a limit small enough to matter', () => {
    expect(needsSummary(16 * 1024 + 1, 5000)).toBe(true);
    expect(needsSummary(2 * 1024 * 1024, 60_000)).toBe(true);
    expect(needsSummary(8 * 1024, 50)).toBe(true);
  });
});

describe('checkOne', () => {
  const item = (markdown: string) => ({
    id: 0,
    body: { kind: 'bytes' as const, bytes: new TextEncoder().encode(markdown) },
    rawHtml: false,
  });

  it('should fail a body that throws, and one whose HTML would pass 4 MB', () => {
    // Nested far past marked's recursion (2,000 levels already throw at Node's default stack).
    expect(checkOne(item(`${'>'.repeat(20_000)} deep`), 10_000)).toEqual({ ok: false });
    // One code block of `<`, each escaped to `&lt;` (four bytes): 4.4 MB of HTML fails, 3.8 MB passes.
    const codeOf = (chars: number): string => `\`\`\`\n${'<'.repeat(chars)}\n\`\`\`\n`;
    expect(checkOne(item(codeOf(1_100_000)), 60_000)).toEqual({ ok: false });
    expect(checkOne(item(codeOf(950_000)), 60_000)).toMatchObject({ ok: true });
  });

  it('should fail a body that rendered but took longer than the limit', () => {
    // A run of `_a` takes tens of milliseconds: over a 1 ms limit, under a generous one.
    expect(checkOne(item('_a'.repeat(3_000)), 1)).toEqual({ ok: false });
    expect(checkOne(item('_a'.repeat(3_000)), 60_000)).toMatchObject({ ok: true });
  });

  it('should fail a body in a file that changed since it was read', () => {
    const body = { kind: 'file' as const, file: '/nonexistent/a.md', relPath: 'a.md', signature: { mtimeMs: 0, ctimeMs: 0, size: 10, ino: 1 }, offset: 0 };
    expect(checkOne({ id: 0, body, rawHtml: false }, 10_000)).toEqual({ ok: false });
  });
});

describe('sanitizing for a verdict', () => {
  const unsafeLink = 'A [link](javascript:alert(1)) in *prose*.';

  it('should leave out sanitizing of a body without raw HTML under the size, which could only drop what a reader never sees here', () => {
    const sanitized = render(unsafeLink).html;
    const verdict = render(unsafeLink, { sanitizeFromChars: 1000 }).html;
    expect(sanitized).not.toContain('javascript:');
    expect(verdict).toContain('href="javascript:alert(1)"');
    // Apart from the link the sanitizer drops, the same page.
    expect(verdict.replace(' href="javascript:alert(1)"', '')).toBe(sanitized);
  });

  it('should sanitize a body with raw HTML, block or inline, whatever its size', () => {
    for (const body of ['<script>alert(1)</script>\n\ntext', 'An <img src=x onerror=alert(1)> inline.', '- in a list <b onclick=x>bold</b>']) {
      expect(render(body, { sanitizeFromChars: 1_000_000 }).html).toBe(render(body).html);
    }
  });

  it('should sanitize HTML from the size on', () => {
    const { html } = render(unsafeLink);
    expect(render(unsafeLink, { sanitizeFromChars: html.length - 20 }).html).toBe(html);
  });

  it('should skip it only where the bound keeps it under a tenth of the limit, and never from 256 K characters on', () => {
    expect(sanitizeFromChars(5000)).toBe(100_000);
    expect(sanitizeFromChars(50)).toBe(1000);
    expect(sanitizeFromChars(600_000)).toBe(SANITIZE_SKIP_MAX_CHARS);
  });
});
