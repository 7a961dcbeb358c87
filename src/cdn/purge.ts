/**
 * The purge hook: when posts change, tell a CDN which pages to drop.
 *
 * Every `intervalMs` it looks at the site as readers see it and compares it
 * with the last look: a post that appeared (new, or a future-dated one that
 * went live), changed or went away purges its own key, the keys of its
 * neighbours (their pages link to it by title), its tags' and author's keys,
 * `index`, `feed` and `tags`; a standalone page that appeared, changed or
 * went away purges its own key and `feed` (the sitemap lists it). The keys are POSTed to the configured URL as
 * `{"keys": [...]}` with the same keys in a `Surrogate-Key` header; a relay
 * (or the CDN itself) turns that into a purge by key.
 *
 * The keys of one look are split into batches whose `Surrogate-Key` header
 * stays under `PURGE_BATCH_BYTES` (8 KiB: receivers refuse big headers; a
 * post with 2,000 tags once made 22 KB). A batch that fails is sent again on
 * its own, after 1 s, 2 s, 4 s ... (at most a minute apart, `MAX_ATTEMPTS`
 * times), and never merged into later batches: one batch the receiver
 * refuses must not stop every purge after it.
 *
 * The batches that are due go out `PURGE_CONCURRENCY` (4) at a time, each
 * with its own time limit (`timeoutMs`, 5 s): a receiver that hangs on one
 * batch holds one slot for at most that long, never the batches behind it
 * (docs/deploying.md, "Behind a CDN").
 *
 * Looking on a timer, not only when a request comes in, matters: behind a
 * CDN that keeps pages for long, no request may reach Lede after an edit.
 */
import type { Logger } from 'pino';
import { slugify } from '../content/slug.js';
import type { PageStore, PageView } from '../content/page-store.js';
import type { ContentStore, SiteView } from '../content/store.js';
import type { Post } from '../content/post.js';
import { authorKey, FEED_KEY, INDEX_KEY, pageKey, postKey, tagKey, TAGS_KEY } from './surrogate-keys.js';

export interface PurgeOptions {
  /** Where the keys go (`PURGE_URL`). */
  url: string;
  store: Pick<ContentStore, 'view'>;
  /** The standalone pages, when their changes should be purged too. */
  pages?: Pick<PageStore, 'view'> | undefined;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** How often to look for changes. */
  intervalMs?: number;
  /** How long one POST may take. */
  timeoutMs?: number;
  /** The wait before the first retry of a failed batch; it doubles on each failure. */
  retryBaseMs?: number;
  /** Requests in flight at once (`PURGE_CONCURRENCY`). */
  concurrency?: number;
  /** The largest `Surrogate-Key` header of one batch (`PURGE_BATCH_BYTES`). */
  batchBytes?: number;
  /** The clock retries are timed by. */
  now?: () => number;
}

/** The largest `Surrogate-Key` header of one purge request, in bytes. */
export const PURGE_BATCH_BYTES = 8 * 1024;
/** Purge requests in flight at once. */
export const PURGE_CONCURRENCY = 4;
/** How long one purge request may take before it is cut and retried. */
export const PURGE_TIMEOUT_MS = 5000;
/** How many times a batch is sent before it is given up (and logged as an error). */
export const MAX_ATTEMPTS = 8;
const MAX_RETRY_DELAY_MS = 60_000;

interface Batch {
  readonly keys: readonly string[];
  attempts: number;
  /** Not sent again before this moment. */
  notBefore: number;
}

/** Keys in batches whose space-joined form is at most `maxBytes` (keys are ASCII, at most 256 bytes). */
export function batchKeys(keys: readonly string[], maxBytes = PURGE_BATCH_BYTES): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const key of keys) {
    const size = (current.length ? 1 : 0) + key.length;
    if (current.length && bytes + size > maxBytes) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    bytes += current.length ? key.length + 1 : key.length;
    current.push(key);
  }
  if (current.length) batches.push(current);
  return batches;
}

/** The surrogate keys of every page that differs between two views of the site. */
export function keysToPurge(before: SiteView, after: SiteView): string[] {
  const changed = new Set<string>();
  for (const [slug, post] of after.bySlug) if (before.bySlug.get(slug) !== post) changed.add(slug);
  for (const slug of before.bySlug.keys()) if (!after.bySlug.has(slug)) changed.add(slug);
  if (changed.size === 0) return [];

  const keys = new Set<string>();
  for (const slug of changed) {
    keys.add(postKey(slug));
    for (const view of [before, after]) {
      const post = view.bySlug.get(slug);
      if (!post) continue;
      for (const tag of post.tags) keys.add(tagKey(slugify(tag)));
      keys.add(authorKey(slugify(post.author)));
      for (const neighbour of neighbours(view.posts, post)) keys.add(postKey(neighbour.slug));
    }
  }
  keys.add(INDEX_KEY);
  keys.add(FEED_KEY);
  keys.add(TAGS_KEY);
  return [...keys].filter((key) => !/:$/.test(key));
}

/** The surrogate keys of the pages that differ between two views of `content/pages/`, and the sitemap's. */
export function pageKeysToPurge(before: PageView, after: PageView): string[] {
  const keys: string[] = [];
  for (const [slug, page] of after.bySlug) if (before.bySlug.get(slug) !== page) keys.push(pageKey(slug));
  for (const slug of before.bySlug.keys()) if (!after.bySlug.has(slug)) keys.push(pageKey(slug));
  return keys.length ? [...keys, FEED_KEY] : [];
}

function neighbours(posts: readonly Post[], post: Post): Post[] {
  const index = posts.indexOf(post);
  return [posts[index - 1], posts[index + 1]].filter((p): p is Post => p !== undefined);
}

export class PurgeHook {
  private last: SiteView | undefined;
  private lastPages: PageView | undefined;
  private readonly pending: Batch[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly options: PurgeOptions) {}

  /** Takes the current site as the baseline (nothing is purged for it), then looks every `intervalMs`. */
  async start(): Promise<void> {
    this.last = await this.options.store.view();
    this.lastPages = await this.options.pages?.view();
    this.timer = setInterval(() => void this.check(), this.options.intervalMs ?? 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One look: compares the site with the last look and sends what changed (and the failed batches that are due). */
  check(): Promise<void> {
    // One look at a time: a slow CDN must not pile up requests.
    this.running ??= this.look().finally(() => (this.running = undefined));
    return this.running;
  }

  private async look(): Promise<void> {
    const view = await this.options.store.view();
    const pages = await this.options.pages?.view();
    const keys = new Set<string>();
    if (this.last && view !== this.last) for (const key of keysToPurge(this.last, view)) keys.add(key);
    if (this.lastPages && pages && pages.key !== this.lastPages.key) for (const key of pageKeysToPurge(this.lastPages, pages)) keys.add(key);
    for (const batch of batchKeys([...keys], this.options.batchBytes)) this.pending.push({ keys: batch, attempts: 0, notBefore: 0 });
    this.last = view;
    this.lastPages = pages;
    const now = this.now();
    const due = this.pending.filter((b) => b.notBefore <= now);
    await eachBounded(due, this.options.concurrency ?? PURGE_CONCURRENCY, (batch) => this.send(batch));
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Sends one batch; on failure it waits for its own next turn, leaving the others alone. */
  private async send(batch: Batch): Promise<void> {
    const { keys } = batch;
    try {
      const res = await fetch(this.options.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Surrogate-Key': keys.join(' ') },
        body: JSON.stringify({ keys }),
        // Covers the answer's body too: a receiver that sends headers and then hangs is cut as well.
        signal: AbortSignal.timeout(this.options.timeoutMs ?? PURGE_TIMEOUT_MS),
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
      this.drop(batch);
      this.options.logger?.info({ keys }, 'purged');
    } catch (err) {
      batch.attempts++;
      if (batch.attempts >= MAX_ATTEMPTS) {
        this.drop(batch);
        this.options.logger?.error({ keys, err: (err as Error).message, attempts: batch.attempts }, 'purge failed; giving these keys up');
        return;
      }
      const delay = Math.min(MAX_RETRY_DELAY_MS, (this.options.retryBaseMs ?? 1000) * 2 ** (batch.attempts - 1));
      batch.notBefore = this.now() + delay;
      this.options.logger?.warn({ keys, err: (err as Error).message, retryInMs: delay }, 'purge failed; will retry');
    }
  }

  private drop(batch: Batch): void {
    const i = this.pending.indexOf(batch);
    if (i >= 0) this.pending.splice(i, 1);
  }
}

/** Runs `work` on every item, at most `limit` at a time; `work` handles its own failures. */
async function eachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
