/**
 * The render pool: post bodies render on worker threads with a time limit,
 * so a hostile body never holds the event loop, and fails alone.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { RenderFailed, RenderPool, RenderTimeout } from '../../src/render/render-pool.js';

describe('RenderPool', () => {
  const pool = new RenderPool({ threads: 2 });
  afterAll(() => pool.close());

  it('should render a page and its outline on a worker', async () => {
    const page = await pool.run({ kind: 'page', markdown: '## Hello *there*\n\ntext', rawHtml: false }, 10_000);
    expect(page.html).toContain('<h2 id="hello-there">');
    expect(page.outline).toEqual([expect.objectContaining({ level: 2, id: 'hello-there' })]);
  });

  it('should render a 2 MB body (the largest post) in a thread with the small young generation', async () => {
    const paragraph = 'A sentence of *prose* with a [link](https://example.com) and `code`, long enough to be a paragraph of a real post.\n\n';
    const markdown = paragraph.repeat(Math.floor((2 * 1024 * 1024) / paragraph.length));
    const page = await pool.run({ kind: 'page', markdown, rawHtml: false }, 20_000);
    expect(page.html.length).toBeGreaterThan(2 * 1024 * 1024);
  });

  it('should make a summary', async () => {
    const summary = await pool.run({ kind: 'summary', markdown: 'One two three. Four.' }, 10_000);
    expect(summary).toEqual({ wordCount: 4, excerpt: 'One two three. Four.' });
  });

  it('should report a body that throws as the post’s failure (100,000 levels of nesting)', async () => {
    await expect(pool.run({ kind: 'page', markdown: `${'>'.repeat(100_000)} deep`, rawHtml: false }, 10_000)).rejects.toBeInstanceOf(RenderFailed);
  });

  it('should stop a job over its time limit, keep the event loop free meanwhile, and go on rendering', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const slow = pool.run({ kind: 'page', markdown: '_a'.repeat(40_000), rawHtml: false }, 300);
    await expect(slow).rejects.toBeInstanceOf(RenderTimeout);
    clearInterval(ticker);
    // The loop ran while the job did: timers fired.
    expect(ticks).toBeGreaterThan(5);
    const after = await pool.run({ kind: 'summary', markdown: 'still here' }, 10_000);
    expect(after.wordCount).toBe(2);
  });
});
