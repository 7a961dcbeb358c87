/**
 * A large site's post bodies stay in their files (src/content/body-file.ts):
 * the store parses each file's first lines, and a body is read, checked
 * against the version parsed, when it is rendered or indexed. Tests set the
 * memory budget to 0 to have every body read so.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { BodyUnavailable } from '../../src/content/body-file.js';
import { bodyBytesOf, parsePost } from '../../src/content/parse-post.js';
import { ContentStore } from '../../src/content/store.js';
import { countingParser, TempContent, testApp } from '../helpers/site.js';

const storeOn = (content: TempContent, bodyMemoryBytes: number): ContentStore =>
  new ContentStore({ contentDir: content.dir, defaults: { author: 'X', timezone: 'UTC' }, showDrafts: false, bodyMemoryBytes });

describe('post bodies read from their files', () => {
  let content: TempContent;
  afterEach(() => content.cleanup());

  it('should parse a post from its first lines and read the same body a whole read gives', async () => {
    content = new TempContent();
    const body = `First paragraph.\n\n${'A line of the body, long enough to go past the first kilobyte. '.repeat(60)}\n\nLast paragraph, é and 漢字.\n`;
    content.post('a.md', { title: 'A', publish_date: '2024-01-01' }, body);
    // A header longer than the first lines read: the whole file settles it.
    content.post('long.md', { title: 'Long', publish_date: '2024-01-02', description: 'd'.repeat(1500) }, body);
    const onDisk = storeOn(content, 0);
    const inMemory = storeOn(content, Number.POSITIVE_INFINITY);
    for (const slug of ['a', 'long']) {
      const [disk, memory] = [(await onDisk.view()).bySlug.get(slug)!, (await inMemory.view()).bySlug.get(slug)!];
      expect(disk.body).toBe(memory.body);
      expect(disk.body).toContain('Last paragraph, é and 漢字.');
      expect(disk.bodyLine).toBe(memory.bodyLine);
      expect(Buffer.from(bodyBytesOf(disk)).toString('utf8')).toBe(memory.body);
    }
  });

  it('should find the closing fence in the first lines however it is written (BOM, CRLF, spaces, TOML, a `---x` line)', async () => {
    content = new TempContent();
    const long = `${'A line of the body, long enough to go past the first kilobyte. '.repeat(40)}\n`;
    const files: Record<string, string> = {
      'bom.md': `\ufeff---\ntitle: Bom\npublish_date: 2024-01-01\n---\n${long}`,
      'crlf.md': `---\r\ntitle: Crlf\r\npublish_date: 2024-01-02\r\n--- \t\r\n${long}`,
      'toml.md': `+++\ntitle = "Toml"\ndate = 2024-01-03\n+++\n${long}`,
      'dashes.md': `---\ntitle: Dashes\nnote: |\n  ---x is not a fence\npublish_date: 2024-01-04\n---\n${long}`,
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(content.dir, name), text);
    // Each file is parsed from its first lines alone (not the whole file): the fence was found there.
    const read = new Map<string, number>();
    const onDisk = new ContentStore({
      contentDir: content.dir,
      defaults: { author: 'X', timezone: 'UTC' },
      showDrafts: false,
      bodyMemoryBytes: 0,
      parse: (source, defaults) => {
        read.set(source.relPath, source.bytes.length);
        return parsePost(source, defaults);
      },
    });
    const inMemory = storeOn(content, Number.POSITIVE_INFINITY);
    for (const slug of ['bom', 'crlf', 'toml', 'dashes']) {
      const [disk, memory] = [(await onDisk.view()).bySlug.get(slug), (await inMemory.view()).bySlug.get(slug)];
      expect(disk?.title).toBe(memory?.title);
      expect(disk?.body).toBe(memory?.body);
      expect(disk?.bodyLine).toBe(memory?.bodyLine);
    }
    expect((await onDisk.view()).bySlug.get('dashes')?.extra.note).toBe('---x is not a fence\n');
    for (const [name, text] of Object.entries(files)) expect(read.get(name)).toBeLessThan(Buffer.byteLength(text) / 2);
  });

  it('should not read a body from a file that changed since it was parsed', async () => {
    content = new TempContent();
    const file = content.post('a.md', { title: 'A', publish_date: '2024-01-01' }, 'The first version.\n');
    const store = storeOn(content, 0);
    const post = (await store.view()).bySlug.get('a')!;
    writeFileSync(file, '---\ntitle: A\npublish_date: 2024-01-01\n---\nThe second version, longer.\n');
    expect(() => bodyBytesOf(post)).toThrow(BodyUnavailable);
    expect(post.body).toBe('');
    // The store reads the new version when asked for the post.
    expect((await store.getPost('a'))?.body).toContain('The second version');
  });

  it('should serve articles, show an edit on the next request, and parse each file once', async () => {
    content = new TempContent();
    content.post('a.md', { title: 'A', publish_date: '2024-01-01' }, 'Body of *A*.\n');
    content.post('b.md', { title: 'B', publish_date: '2024-01-02' }, 'Body of B.\n');
    const parser = countingParser();
    const app = testApp(content, { env: 'production' }, { bodyMemoryBytes: 0, parse: parser.parse });
    try {
      expect((await request(app).get('/posts/a')).text).toContain('Body of <em>A</em>.');
      expect((await request(app).get('/')).text).toContain('Body of B.');
      content.post('a.md', { title: 'A', publish_date: '2024-01-01' }, 'Body of A, edited.\n');
      expect((await request(app).get('/posts/a')).text).toContain('Body of A, edited.');
      expect(parser.count()).toBe(3);
    } finally {
      app.store.close();
    }
  });

  it('should report a body that is not UTF-8 as a content error naming the file, and serve the rest', async () => {
    content = new TempContent();
    content.post('good.md', { title: 'Good', publish_date: '2024-01-01' }, 'Fine.\n');
    content.write('latin.md', Buffer.concat([Buffer.from('---\ntitle: Latin\npublish_date: 2024-01-02\n---\nCaf'), Buffer.from([0xe9]), Buffer.from('.\n')]));
    const app = testApp(content, { env: 'production' }, { bodyMemoryBytes: 0 });
    try {
      expect((await request(app).get('/posts/latin')).status).toBe(404);
      expect((await request(app).get('/posts/good')).status).toBe(200);
      const errors = await app.store.errors();
      expect(errors.map((e) => `${e.file}: ${e.message}`)).toContain('latin.md: is not UTF-8 text; save it with UTF-8 encoding');
      expect((await request(app).get('/healthz')).body).toMatchObject({ errors: 1 });
    } finally {
      app.store.close();
    }
  });
});
