import { describe, expect, it } from '@jest/globals';
import { parseDate } from '../../src/content/dates.js';
import { jsonLdText } from '../../src/render/head-meta.js';
import { authorUrl, listingPageUrl, tagUrl } from '../../src/content/urls.js';
import { absolutizeHtml, isoMoment, lastChanged } from '../../src/render/links.js';

// Feeds and structured data must name the same moment whatever the server's
// zone: `npm test` runs this file again under two TZs.
describe('isoMoment()', () => {
  it('should give a calendar date as midnight in the site zone, with its offset', () => {
    expect(isoMoment(parseDate('2024-02-09', 'Europe/Paris')!, 'Europe/Paris')).toBe('2024-02-09T00:00:00+01:00');
    expect(isoMoment(parseDate('2024-07-09', 'Europe/London')!, 'Europe/London')).toBe('2024-07-09T00:00:00+01:00');
    expect(isoMoment(parseDate('2024-02-09', 'Pacific/Kiritimati')!, 'Pacific/Kiritimati')).toBe('2024-02-09T00:00:00+14:00');
  });
  it('should keep a moment the author wrote with its own offset', () => {
    expect(isoMoment(parseDate('2024-02-09T08:30:00-05:00', 'Europe/Paris')!, 'Europe/Paris')).toBe('2024-02-09T08:30:00-05:00');
  });
});

describe('lastChanged()', () => {
  it('should be the updated date when it is later, else the publish date', () => {
    const published = parseDate('2024-02-09', 'UTC')!;
    expect(lastChanged({ published, updated: parseDate('2024-03-01', 'UTC') }).date).toBe('2024-03-01');
    expect(lastChanged({ published, updated: parseDate('2024-01-01', 'UTC') }).date).toBe('2024-02-09');
    expect(lastChanged({ published, updated: undefined }).date).toBe('2024-02-09');
  });
});

describe('absolutizeHtml()', () => {
  const base = 'https://blog.example.com/posts/hello';
  it('should resolve root-relative, relative and fragment references against the page', () => {
    expect(absolutizeHtml('<a href="/posts/x">x</a><img src="pic.png"><a href="#part">p</a>', base)).toBe(
      '<a href="https://blog.example.com/posts/x">x</a><img src="https://blog.example.com/posts/pic.png"><a href="https://blog.example.com/posts/hello#part">p</a>',
    );
  });
  it('should leave absolute URLs and other schemes alone', () => {
    const html = '<a href="https://other.example/x">x</a><a href="mailto:a@b.c">m</a><img src="data:image/png;base64,AA==">';
    expect(absolutizeHtml(html, base)).toBe(html);
  });
  it("should handle single quotes and keep a query's escaped ampersands", () => {
    expect(absolutizeHtml('<img src=\'/a.png\'><a href="/s?a=1&amp;b=2">s</a>', base)).toBe(
      '<img src=\'https://blog.example.com/a.png\'><a href="https://blog.example.com/s?a=1&amp;b=2">s</a>',
    );
  });
  it('should not touch text that only looks like an attribute', () => {
    expect(absolutizeHtml('<p>write href="/x" or <code>src=\'/y\'</code></p>', base)).toBe('<p>write href="/x" or <code>src=\'/y\'</code></p>');
    // Read as a browser reads the tag: the `>` in the quoted alt does not end it.
    expect(absolutizeHtml('<img alt="1 > 0" src="/a.png">', base)).toBe('<img alt="1 > 0" src="https://blog.example.com/a.png">');
  });
});

describe('tagUrl() and authorUrl()', () => {
  it('should slugify the name', () => {
    expect(tagUrl('Open Source')).toBe('/tags/open-source');
    expect(authorUrl('Zoë Ångström')).toBe('/authors/zoe-angstrom');
  });
  it('should give no page for a name with no letters or digits', () => {
    expect(authorUrl('???')).toBeUndefined();
    expect(tagUrl('—')).toBeUndefined();
  });
});

describe('listingPageUrl()', () => {
  it('should keep page 1 at the listing and put others under /page/n', () => {
    expect(listingPageUrl('/', 1)).toBe('/');
    expect(listingPageUrl('/', 2)).toBe('/page/2');
    expect(listingPageUrl('/tags/ai', 1)).toBe('/tags/ai');
    expect(listingPageUrl('/tags/ai', 3)).toBe('/tags/ai/page/3');
  });
});

describe('jsonLdText()', () => {
  it('should write <, >, & and line separators as \\u escapes that parse back to the same data', () => {
    const data = { headline: '</script><!-- & \u2028' };
    const text = jsonLdText(data);
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual(data);
  });
});
