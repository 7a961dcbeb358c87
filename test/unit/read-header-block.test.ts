import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import matter from 'gray-matter';
import yaml from 'js-yaml';
import { detachStrings } from '../../src/content/detach-strings.js';
import { readHeader } from '../../src/content/read-header.js';
import { tomlEngine } from '../../src/content/toml-engine.js';

/** What gray-matter gives for the same header with plain engines (js-yaml's core schema, the TOML engine): Lede's engines, which add lines and messages, must read the same data. */
function grayMatterData(text: string, end: number, fence: '---' | '+++', language: 'yaml' | 'toml'): unknown {
  const engines = {
    yaml: (block: string) => yaml.load(block, { schema: yaml.CORE_SCHEMA }) ?? {},
    json: (block: string) => yaml.load(block, { schema: yaml.CORE_SCHEMA }) ?? {},
    // The lone `\r` gray-matter leaves at the end of a CRLF block is not TOML (src/content/header-engines.ts).
    toml: (block: string) => tomlEngine(block.replace(/\r$/, '')),
  };
  return matter(text.slice(0, end), { delimiters: fence, language, engines }).data;
}

const line = fc.oneof(
  fc.constantFrom('title: "A post"', 'tags: [a, b]', '# a comment', '', '  ', 'count: 3', 'note: |', '  two lines', 'x: ---not a fence', '- item'),
  fc.stringMatching(/^[a-z]{1,6}: [a-z ]{0,12}$/),
);
const tomlLine = fc.oneof(
  fc.constantFrom('title = "A post"', 'tags = ["a", "b"]', '# a comment', '', 'count = 3', 'x = "+++ no"'),
  fc.stringMatching(/^[a-z]{1,6} = "[a-z ]{0,12}"$/),
);

describe('readHeader: the fenced block', () => {
  it('should read the same data from a YAML header as gray-matter did, for any lines', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.constantFrom('', 'yaml', 'yml'), fc.constantFrom('\n', '\r\n'), (lines, language, eol) => {
        const text = `---${language}${eol}${lines.join(eol)}${eol}---${eol}body${eol}`;
        const header = readHeader(text);
        let expected: unknown;
        try {
          expected = grayMatterData(text, header.ok ? header.bodyStart : text.length, '---', 'yaml');
        } catch {
          expect(header.ok).toBe(false);
          return;
        }
        if (typeof expected !== 'object' || expected === null || Array.isArray(expected)) return expect(header.ok).toBe(false);
        expect(header.ok && header.data).toEqual(expected);
      }),
    );
  });

  it('should read the same data from a TOML header as gray-matter did', () => {
    fc.assert(
      fc.property(fc.array(tomlLine, { maxLength: 6 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => {
        const text = `+++${eol}${lines.join(eol)}${eol}+++${eol}body`;
        const header = readHeader(text);
        let expected: unknown;
        try {
          expected = grayMatterData(text, header.ok ? header.bodyStart : text.length, '+++', 'toml');
        } catch {
          expect(header.ok).toBe(false);
          return;
        }
        expect(header.ok && header.data).toEqual(expected);
      }),
    );
  });

  it('should give an empty header, or one of comments alone, as no fields', () => {
    for (const text of ['---\n---\nbody', '---\n# only a comment\n\n---\nbody', '+++\n# note\n+++\n']) {
      const header = readHeader(text);
      expect(header.ok && header.data).toEqual({});
    }
  });

  it('should still name the line of a broken YAML header', () => {
    const header = readHeader('---\ntitle: "fine"\ntags: [a, b\n---\nbody');
    expect(header.ok).toBe(false);
    expect(!header.ok && header.message).toMatch(/broken YAML in the frontmatter/);
    expect(!header.ok && header.line).toBeGreaterThanOrEqual(2);
  });
});

describe('detachStrings', () => {
  it('should keep every value, nested and shared ones too, and survive a cycle', () => {
    const shared = { name: 'a name long enough to be sliced' };
    const data: Record<string, unknown> = { title: 'x'.repeat(40).slice(3, 30), list: [shared, shared, 'short', 3, null], when: new Date(0) };
    data.self = data;
    const copy = detachStrings(data);
    expect(copy).toBe(data);
    expect(copy.title).toBe('x'.repeat(27));
    expect(copy.list).toEqual([shared, shared, 'short', 3, null]);
    expect(copy.when).toEqual(new Date(0));
    expect(copy.self).toBe(copy);
  });
});
