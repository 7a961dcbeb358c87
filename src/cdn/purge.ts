/**
 * The purge hook: when posts change, tell a CDN which pages to drop.
 *
 * Every `intervalMs` it looks at the site as readers see it and compares it
 * with the last look: a post that appeared (new, or a future-dated one that
 * went live), changed or went away purges its own key, the keys of its
 * neighbours (their pages link to it by title), its tags' and author's keys,
 * `index`, `feed` and `tags`. The keys are POSTed to the configured URL as
 * `{"keys": [...]}` with the same keys in a `Surrogate-Key` header; a relay
 * (or the CDN itself) turns that into a purge by key. Keys that could not be
 * delivered are sent again with the next batch, so an outage loses nothing.
 *
 * Looking on a timer, not only when a request comes in, matters: behind a
 * CDN that keeps pages for long, no request may reach Lede after an edit.
 */
import type { Logger } from 'pino';
import { slugify } from '../content/slug.js';
import type { ContentStore, SiteView } from '../content/store.js';
import type { Post } from '../content/post.js';
import { authorKey, FEED_KEY, INDEX_KEY, postKey, tagKey, TAGS_KEY } from './surrogate-keys.js';

export interface PurgeOptions {
  /** Where the keys go (`PURGE_URL`). */
  url: string;
  store: Pick<ContentStore, 'view'>;
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** How often to look for changes. */
  intervalMs?: number;
  /** How long one POST may take. */
  timeoutMs?: number;
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

function neighbours(posts: readonly Post[], post: Post): Post[] {
  const index = posts.indexOf(post);
  return [posts[index - 1], posts[index + 1]].filter((p): p is Post => p !== undefined);
}

export class PurgeHook {
  private last: SiteView | undefined;
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly options: PurgeOptions) {}

  /** Takes the current site as the baseline (nothing is purged for it), then looks every `intervalMs`. */
  async start(): Promise<void> {
    this.last = await this.options.store.view();
    this.timer = setInterval(() => void this.check(), this.options.intervalMs ?? 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One look: compares the site with the last look and sends what changed (and what failed before). */
  check(): Promise<void> {
    // One look at a time: a slow CDN must not pile up requests.
    this.running ??= this.look().finally(() => (this.running = undefined));
    return this.running;
  }

  private async look(): Promise<void> {
    const view = await this.options.store.view();
    if (this.last && view !== this.last) for (const key of keysToPurge(this.last, view)) this.pending.add(key);
    this.last = view;
    if (this.pending.size === 0) return;
    const keys = [...this.pending];
    try {
      const res = await fetch(this.options.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Surrogate-Key': keys.join(' ') },
        body: JSON.stringify({ keys }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
      for (const key of keys) this.pending.delete(key);
      this.options.logger?.info({ keys }, 'purged');
    } catch (err) {
      this.options.logger?.warn({ keys, err: (err as Error).message }, 'purge failed; will retry');
    }
  }
}
