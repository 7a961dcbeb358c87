/**
 * A listing of an unchanged folder keeps the store's own description of each
 * file, not a new one: with 100,000 posts the store held both after the first
 * safety listing (26 MB; bench/store-scan.ts --rescan).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { PostFile } from '../../src/content/find-posts.js';
import { ContentStore } from '../../src/content/store.js';
import { eventually, TempContent } from '../helpers/site.js';

interface Internals {
  lastFound: { files: PostFile[] };
  entries: Map<string, { source: PostFile }>;
}

describe('ContentStore listing again', () => {
  let content: TempContent;
  afterEach(() => content.cleanup());

  it('should keep one description of each unchanged file, and take the new one of a changed file', async () => {
    content = new TempContent();
    content.post('a.md', { title: 'A', publish_date: '2024-01-01' }, 'A.\n');
    content.post('b.md', { title: 'B', publish_date: '2024-01-02' }, 'B.\n');
    const store = new ContentStore({ contentDir: content.dir, defaults: { author: 'X', timezone: 'UTC' }, showDrafts: false });
    await store.view();
    const internals = store as unknown as Internals;
    const before = new Map([...internals.entries].map(([file, entry]) => [file, entry.source]));
    content.post('b.md', { title: 'B, edited', publish_date: '2024-01-02' }, 'B, longer now.\n');
    await store.refresh(true);
    const [a, b] = internals.lastFound.files;
    expect(a).toBe(before.get(a!.file));
    expect(b).not.toBe(before.get(b!.file));
    for (const file of internals.lastFound.files) expect(internals.entries.get(file.file)!.source).toBe(file);
    // Listed once its write has settled (src/content/store.ts, SETTLE_MS).
    await eventually(async () => expect((await store.view()).bySlug.get('b')?.title).toBe('B, edited'));
    store.close();
  });
});
