import { afterEach, describe, expect, it, jest } from '@jest/globals';
import matter from 'gray-matter';
import { readFencedHeader } from '../../src/content/fenced-header.js';
import { readHeader } from '../../src/content/read-header.js';

/** gray-matter 4's cache, which its type declarations leave out (node_modules/gray-matter/index.js). */
const cached = matter as typeof matter & { cache: Record<string, unknown>; clearCache(): void };

afterEach(() => {
  jest.restoreAllMocks();
});

describe('readFencedHeader: gray-matter with Lede engines', () => {
  it('should read fenced headers through gray-matter', () => {
    const language = jest.spyOn(matter, 'language');
    const header = readHeader('---toml\ntitle = "T"\n---\nBody');
    expect(header).toMatchObject({ ok: true, format: 'toml', data: { title: 'T' } });
    expect(language).toHaveBeenCalledTimes(1);
  });

  it('should leave gray-matter its cache empty, however often a header is read', () => {
    cached.clearCache();
    const text = '---\ntitle: Same text each time\n---\nBody';
    for (let i = 0; i < 3; i++) readHeader(text);
    readHeader('+++\ntitle = "T"\n+++\nBody');
    expect(Object.keys(cached.cache)).toEqual([]);
  });

  it("should never run gray-matter's JavaScript engine, even when asked directly", () => {
    const ran = { value: false };
    (globalThis as Record<string, unknown>).__ledeFencedRan = ran;
    for (const language of ['js', 'javascript']) {
      const read = readFencedHeader(`---${language}\n{ title: (globalThis.__ledeFencedRan.value = true, "x") }\n---\n`, '---');
      expect(read).toMatchObject({ ok: false, line: 1, message: expect.stringMatching(/JavaScript/) });
    }
    expect(ran.value).toBe(false);
  });

  // gray-matter looks an engine up as a plain property: a fence naming one of Object's own
  // properties (`---constructor`) would find a function that is not an engine.
  it('should refuse every language after the fence but its own, the names of Object.prototype included', () => {
    const names = [...Object.getOwnPropertyNames(Object.prototype), 'coffee', 'cson', 'Yaml', 'JS', 'toml2'];
    for (const name of names) {
      for (const fence of ['---', '+++']) {
        const read = readHeader(`${fence}${name}\ntitle: x\n${fence}\nBody`);
        expect({ name, fence, ok: read.ok }).toEqual({ name, fence, ok: false });
      }
    }
  });

  it('should give each key its line in the file, with CRLF line breaks too', () => {
    for (const eol of ['\n', '\r\n']) {
      const yaml = readHeader(['---', '# a comment', 'title: Y', '', 'tags: [a]', '---', 'Body'].join(eol));
      expect(yaml.ok && [yaml.lineOf('title'), yaml.lineOf('tags'), yaml.lineOf('missing')]).toEqual([3, 5, undefined]);
      const json = readHeader(['---json', '', '{ "title": "J", "tags": ["a"] }', '---', ''].join(eol));
      expect(json.ok && json.lineOf('title')).toBe(3);
    }
  });

  it('should read TOML with CRLF line breaks, each key on its line', () => {
    for (const eol of ['\n', '\r\n']) {
      const text = ['+++', 'title = "T"', '', 'draft = true', '[extra]', 'k = 1', '+++', 'Body'].join(eol);
      const toml = readHeader(text);
      expect(toml).toMatchObject({ ok: true, format: 'toml', data: { title: 'T', draft: true, extra: { k: 1 } } });
      expect(toml.ok && [toml.lineOf('title'), toml.lineOf('draft'), toml.lineOf('k'), text.slice(toml.bodyStart)]).toEqual([2, 4, undefined, 'Body']);
    }
    expect(readHeader('+++\r\ntitle = "T"\r\ndate = \r\n+++\r\n')).toMatchObject({ ok: false, line: 3 });
  });

  it('should place a broken block and a block that is not a mapping', () => {
    expect(readHeader('---\r\ntitle: x\r\ntags: [a\r\n---\r\nBody')).toMatchObject({
      ok: false,
      line: 3,
      message: expect.stringMatching(/^broken YAML in the frontmatter/),
    });
    expect(readHeader('---\n- a\n- b\n---\n')).toEqual({ ok: false, line: 2, message: 'the frontmatter must be a mapping of `key: value` lines' });
    expect(readHeader('+++\ntitle = "T"\n\ndate = \n+++\n')).toMatchObject({ ok: false, line: 4 });
  });

  it('should end the header at a line that is the fence alone, not at the first `---` gray-matter meets', () => {
    const text = '---\ntitle: x\n---more\nstill: header\n---\nBody';
    const header = readHeader(text);
    expect(header.ok && text.slice(header.bodyStart)).toBe('Body');
    expect(header.ok && header.data).toEqual({ title: 'x' });
    expect(readHeader('---\ntitle: x\n---more\n')).toMatchObject({ ok: false, message: 'the frontmatter is not closed; add a line `---` after it' });
  });
});
