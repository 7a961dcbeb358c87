import { describe, expect, it } from '@jest/globals';
import { checkFields } from '../../src/content/post-fields.js';
import { decodeText, type PostHeader, PostProblem, readPostHeader } from '../../src/content/post-header.js';
import { parseName } from '../../src/content/slug.js';

function header(text: string): PostHeader {
  const read = readPostHeader(text, undefined, 'From the name');
  if (read instanceof PostProblem) throw new Error(read.message);
  return read;
}

describe('the steps of parsePost', () => {
  it('decodeText: should take off a byte order mark and count its bytes', () => {
    expect(decodeText(Buffer.from('\ufeff---\ntitle: x\n---\n'))).toEqual({ text: '---\ntitle: x\n---\n', bom: 3 });
    expect(decodeText(Buffer.from(' \n\t'))).toEqual(new PostProblem('is empty; write some text in it to make it a post'));
  });

  it("readPostHeader: should read another generator's field as Lede's, keeping its name and line", () => {
    const read = header('---\ntitle: x\n\npubDate: someday\n---\nBody');
    expect(read.data.date).toBe('someday');
    expect(read.lineOf('date')).toBe(4);
    expect(read.problem('date', 'field `date`: "someday" is not a date')).toEqual(new PostProblem('field `pubDate`: "someday" is not a date', 4));
    expect(read.fieldLines()).toMatchObject({ title: 2, date: 4 });
  });

  it('readPostHeader: should take a missing title from the opening heading, the body starting after it', () => {
    const text = '---\ndraft: false\n---\n# The title\n\nText';
    const read = header(text);
    expect(read.data.title).toBe('The title');
    expect(text.slice(read.bodyStart)).toBe('\nText');
  });

  it('checkFields: should report the first problem in the order the checks run', () => {
    const name = parseName('my-post');
    // A bad date and a bad tag count: the date is checked first.
    const tags = `[${Array.from({ length: 60 }, (_, i) => `t${i}`).join(', ')}]`;
    expect(checkFields(header(`---\ntitle: x\ntags: ${tags}\ndate: nope\n---\n`), name, 'UTC')).toMatchObject({
      line: 4,
      message: expect.stringMatching(/^field `date`/),
    });
    expect(checkFields(header(`---\ntitle: x\ntags: ${tags}\n---\n`), name, 'UTC')).toMatchObject({
      line: 3,
      message: expect.stringMatching(/^field `tags`: 60 tags/),
    });
    expect(checkFields(header('---\nauthor: a\ntitle: [a, list]\n---\n'), name, 'UTC')).toMatchObject({ line: 3, message: expect.stringMatching(/title/) });
  });

  it('checkFields: should give the slug, aliases, tags and dates of a good header', () => {
    const fields = checkFields(
      header('---\ntitle: x\nslug: Other Name\naliases: [old]\ntags: "a, b, a"\ndate: 2021-03-04\n---\n'),
      parseName('my-post'),
      'UTC',
    );
    expect(fields).toMatchObject({ slug: 'other-name', aliases: ['/posts/old'], tags: ['a', 'b'], dates: { date: { date: '2021-03-04' } } });
  });
});
