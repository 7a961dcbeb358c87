/**
 * Post bodies as pages and summaries, made on the render pool and never on
 * the event loop. The content store stays the one owner of posts: this
 * module only keeps what a post's body gave (its summary, or why it could
 * not be rendered), keyed by the post object, which the store replaces when
 * its file changes.
 *
 * Pages that show several posts ask for them together (`usable`) and get the
 * ones that rendered: a post that throws or runs over its time limit is left
 * out of that page, reported once to the store (a content error, counted by
 * `/healthz`, logged with the file) and never tried again until it changes.
 *
 * Such pages never wait for a render they did not ask for
 * (docs/urls-and-feeds.md, "When a new post shows in listings"): a post
 * whose summary is still being made is waited for `LISTING_WAIT_MS` at most
 * (the render budget while the threads are still starting), then left out of
 * that page, which says when to make it again (`Listing.pending`).
 */
import type { ContentError, Post } from '../content/post.js';
import { BodyUnavailable } from '../content/body-file.js';
import { linkFromOf, type SharedLinkSite } from '../content/link-site.js';
import { RecentKeys } from '../content/memo.js';
import { adoptSummary, bodyBytesOf, bodyTranslationOf } from '../content/parse-post.js';
import type { PageBody, Summary } from './body-job.js';
import { RenderFailed, RenderTimeout, type RenderLane, type RenderPool } from './render-pool.js';

export interface PostBodiesOptions {
  pool: RenderPool;
  /** The time limit of one job (`RENDER_TIMEOUT_MS`). */
  timeoutMs: number;
  /** Told once per post that cannot be rendered (the store's `markUnrenderable`). */
  onFailure: (post: Post, error: ContentError) => void;
  /** The site's posts, pages and media as links resolve in them now (src/content/link-site.ts); none: paths only. */
  linkSite?: (() => SharedLinkSite | undefined) | undefined;
  /**
   * How long a listing waits in all for the summary of a post saved while
   * the server runs, from when it asks (`PRODUCTION_LISTING_WAIT_MS` in
   * production). Unset, and for the posts found at start: each for
   * `LISTING_WAIT_MS` of its render, within the render budget.
   */
  listingWaitMs?: number | undefined;
  /**
   * The version of a post's file shown before it (the store's
   * `previousVersion`): a listing shows it, if its summary is made, while the
   * new version's is still being made.
   */
  previousVersion?: ((post: Post) => Post | undefined) | undefined;
}

/** Thrown for a post that cannot be rendered; carries the content error. */
export class UnrenderablePost extends Error {
  constructor(readonly problem: ContentError) {
    super(`${problem.file}: ${problem.message}`);
    this.name = 'UnrenderablePost';
  }
}

/** Posts waiting for a background render at most; more are checked when first rendered. */
export const MAX_BACKGROUND_CHECKS = 200;

/** Files remembered as slow to render at most (the oldest is forgotten first). */
export const MAX_SLOW_FILES = 1000;

/** How often a background render looks again whether the threads are free. */
const BACKGROUND_WAIT_MS = 50;

/**
 * How long a page that lists posts waits for a summary (or a feed item's
 * HTML) still being made, counted from the job's start on its thread. A
 * benign post's summary takes a few milliseconds there (its page some tens;
 * hundreds on a machine busy with other work, as CI is), so it is in the page
 * that asked; a slow one (a post of megabytes, hostile markup) is left out of
 * that page and added by the first request after it lands
 * (docs/urls-and-feeds.md). The wait for a free thread is not counted, so a
 * listing that asked for twenty feed items waits for them all; but never
 * longer than the render budget in all, which bounds a fresh start too (the
 * threads load their modules first).
 */
export const LISTING_WAIT_MS = 1000;

/**
 * The same wait in production, counted from when the listing asks: readers
 * of a live site never wait long for a post someone else saved. An edited
 * post is shown meanwhile in its version before (`previousVersion`), a new
 * one from the first request after its summary lands, which for a benign
 * post is milliseconds later (docs/urls-and-feeds.md).
 */
export const PRODUCTION_LISTING_WAIT_MS = 100;

/** What a page that lists posts may show now. */
export interface Listing {
  /**
   * The posts, in order, whose summary is made: without those that cannot be
   * rendered, and one still rendering in its version before it (or left out).
   */
  readonly posts: Post[];
  /**
   * Settles when every post left out because it was still rendering has
   * landed or failed: the page made without them is stale from then on.
   * `undefined` when none was left out for that reason.
   */
  readonly pending: Promise<void> | undefined;
}

/** Bodies ready for a listing that shows them whole (the feeds), and when the rest land. */
export interface ListedPages {
  readonly pages: ReadonlyMap<Post, PageBody>;
  readonly pending: Promise<void> | undefined;
}

/** A job's promise, with its outcome readable at once and how long listings wait for it. */
class Tracked<T> {
  state: 'pending' | 'done' | 'failed' = 'pending';
  value: T | undefined;
  error: unknown;
  /** `performance.now()` past which a listing no longer waits for it: the budget at first, then `LISTING_WAIT_MS` after its start. */
  waitUntil: number;
  /** Resolved when the job starts or settles: a listing waiting for it looks again. */
  changed: Promise<void>;
  private wake!: () => void;

  constructor(
    readonly promise: Promise<T>,
    budgetMs: number,
  ) {
    this.waitUntil = performance.now() + budgetMs;
    this.changed = this.nextChange();
    promise.then(
      (value) => this.settle('done', value, undefined),
      (error: unknown) => this.settle('failed', undefined, error),
    );
  }

  /** The job started on its thread at `startedAt`: listings wait `LISTING_WAIT_MS` from then at most. */
  started(startedAt: number): void {
    this.waitUntil = Math.min(this.waitUntil, startedAt + LISTING_WAIT_MS);
    this.fire();
  }

  private settle(state: 'done' | 'failed', value: T | undefined, error: unknown): void {
    this.state = state;
    this.value = value;
    this.error = error;
    this.fire();
  }

  private fire(): void {
    const wake = this.wake;
    this.changed = this.nextChange();
    wake();
  }

  private nextChange(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }
}

/** Settles when every one of them has: what a page made without them waits for to be stale. */
function allLanded(tracked: readonly Tracked<unknown>[]): Promise<void> | undefined {
  if (!tracked.length) return undefined;
  return Promise.allSettled(tracked.map((t) => t.promise)).then(() => undefined);
}

/**
 * Waits until each job has settled or passed its own `waitUntil` or its
 * `deadlines` entry (`performance.now()` times), looking again when one starts or settles.
 */
async function waitBriefly(tracked: readonly Tracked<unknown>[], deadlines: readonly number[]): Promise<void> {
  for (;;) {
    const now = performance.now();
    // Past when each is no longer waited for (already past: settled, or waited for long enough).
    const until = tracked.map((t, i) => (t.state === 'pending' ? Math.min(t.waitUntil, deadlines[i]!) : now));
    const open = tracked.filter((_, i) => until[i]! > now);
    if (!open.length) return;
    let timer: NodeJS.Timeout | undefined;
    const next = Math.min(...until.filter((u) => u > now));
    const timeUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, next - now)));
    await Promise.race([timeUp, ...open.map((t) => t.changed)]);
    clearTimeout(timer);
  }
}

/** Passes a job's start (`RenderPool.run`'s `onStart`) to what tracks it, made once the job is under way. */
class StartListener {
  listener: Tracked<unknown> | undefined;
  /** A summary made by the same job (a page with its summary). */
  also: Tracked<unknown> | undefined;
  readonly tell = (startedAt: number): void => {
    this.listener?.started(startedAt);
    this.also?.started(startedAt);
  };
}

export class PostBodies {
  private readonly summaries = new WeakMap<Post, Tracked<Summary>>();
  private readonly failures = new WeakMap<Post, ContentError>();
  /** Pages being rendered now, so two readers of a new post share one job. */
  private readonly inFlight = new WeakMap<Post, Map<string, Tracked<PageBody>>>();

  constructor(private readonly options: PostBodiesOptions) {}

  /** The post's word count and excerpt, also given to the post itself (its `description`, `readTime`). */
  summary(post: Post): Promise<Summary> {
    return this.trackedSummary(post).promise;
  }

  private trackedSummary(post: Post): Tracked<Summary> {
    const known = this.summaries.get(post);
    if (known) return known;
    const started = new StartListener();
    const tracked = this.keepSummary(
      post,
      this.job(post, (limitMs, lane) =>
        this.options.pool.run({ kind: 'summary', markdown: bodyBytesOf(post), translation: bodyTranslationOf(post) }, limitMs, started.tell, lane),
      ),
    );
    started.listener = tracked;
    return tracked;
  }

  /** Keeps the summary a job will give as the post's, for every later `summary` of it. */
  private keepSummary(post: Post, made: Promise<Summary>): Tracked<Summary> {
    const summary = made.then(
      (s) => {
        adoptSummary(post, s.wordCount, s.excerpt);
        return s;
      },
      (err: unknown) => {
        // Only the post's own failure is kept; a pool that could not start is tried again.
        if (!(err instanceof UnrenderablePost)) this.summaries.delete(post);
        throw err;
      },
    );
    // Read by whoever asks for the summary; tracking it must not make a failure unhandled.
    summary.catch(() => undefined);
    const tracked = new Tracked(summary, this.options.timeoutMs);
    this.summaries.set(post, tracked);
    return tracked;
  }

  /**
   * The body as HTML, with its outline. `rawHtml` lets the author's HTML
   * through (the `raw_html` setting). Feeds make the links absolute
   * themselves, after sizing the images (src/render/feeds.ts).
   */
  page(post: Post, rawHtml: boolean, options: { bundleFiles?: boolean } = {}): Promise<PageBody> {
    // Standalone pages serve no bundle files: their relative references name files at their place.
    const bundleFiles = options.bundleFiles ?? true;
    return this.trackedPage(post, rawHtml, bundleFiles).promise;
  }

  private trackedPage(post: Post, rawHtml: boolean, bundleFiles: boolean): Tracked<PageBody> {
    const mode = `${rawHtml}:${bundleFiles}`;
    let byMode = this.inFlight.get(post);
    const running = byMode?.get(mode);
    if (running) return running;
    const links = { from: linkFromOf(post, bundleFiles), site: this.options.linkSite?.() };
    // The summary comes with the page when it is not known yet: one job, one trip to a thread (an article asks for both).
    const withSummary = !this.summaries.has(post);
    const started = new StartListener();
    const job = this.job(post, (limitMs, lane) =>
      this.options.pool.run(
        { kind: 'page', markdown: bodyBytesOf(post), translation: bodyTranslationOf(post), links, rawHtml, withSummary },
        limitMs,
        started.tell,
        lane,
      ),
    ).finally(() => {
      byMode?.delete(mode);
      // An empty map kept for every post ever rendered was 270 bytes each (10,000 articles: 2.7 MB).
      if (byMode?.size === 0 && this.inFlight.get(post) === byMode) this.inFlight.delete(post);
    });
    if (withSummary) {
      // Read by whoever asks for the summary; a failure is the page's to report (`keepSummary` catches it).
      started.also = this.keepSummary(
        post,
        job.then(({ summary }) => summary ?? Promise.reject(new Error('the page job gave no summary'))),
      );
    }
    const tracked = new Tracked(job, this.options.timeoutMs);
    started.listener = tracked;
    if (!byMode) this.inFlight.set(post, (byMode = new Map()));
    byMode.set(mode, tracked);
    return tracked;
  }

  /** Starts a render thread ahead of the first page (src/render/render-pool.ts). */
  warm(): void {
    this.options.pool.warm();
  }

  /**
   * These posts, in order, without those whose summary cannot be made; one
   * still being made after the listing's wait (`listingWaitMs`) is shown in
   * its version before when that one's summary is made, else left out. Every
   * listed post's summary is ready. Starts the summaries not asked for yet.
   */
  async usable(posts: readonly Post[]): Promise<Listing> {
    const tracked = posts.map((p) => this.trackedSummary(p));
    await waitBriefly(tracked, this.listingDeadlines(posts));
    const out: Post[] = [];
    const open: Tracked<Summary>[] = [];
    tracked.forEach((t, i) => {
      const post = posts[i]!;
      if (t.state === 'done') out.push(post);
      else if (t.state === 'pending') {
        open.push(t);
        const before = this.versionBefore(post);
        if (before && this.summaries.get(before)?.state === 'done') out.push(before);
      } else if (!(t.error instanceof UnrenderablePost)) throw t.error;
    });
    return { posts: out, pending: allLanded(open) };
  }

  /**
   * Past when a listing asking now answers without each of these posts if it
   * is still being made (besides its job's own `waitUntil`): soon for a post
   * saved while the server runs (`listingWaitMs`), never sooner for one of the
   * folder as the server found it, so the first readers after a start get
   * every post.
   */
  private listingDeadlines(posts: readonly Post[]): number[] {
    const wait = this.options.listingWaitMs;
    const soon = wait === undefined ? Number.POSITIVE_INFINITY : performance.now() + wait;
    return posts.map((post) => (this.savedWhileRunning.has(post) ? soon : Number.POSITIVE_INFINITY));
  }

  /** Posts saved while the server runs (`checkInBackground`): what a writer's save makes. */
  private readonly savedWhileRunning = new WeakSet<Post>();

  /** The version of `post`'s file before it, at the same address: what a listing shows while `post`'s summary or page is made. */
  versionBefore(post: Post): Post | undefined {
    const before = this.options.previousVersion?.(post);
    return before !== undefined && before.slug === post.slug && before.draft === post.draft ? before : undefined;
  }

  /**
   * The sanitized bodies of these posts for a listing that shows them whole
   * (the feeds), with the same wait as `usable`: a post whose body cannot be
   * rendered, or is still rendering after it, is not in `pages`.
   */
  async listedPages(posts: readonly Post[]): Promise<ListedPages> {
    const tracked = posts.map((p) => this.trackedPage(p, false, true));
    await waitBriefly(tracked, this.listingDeadlines(posts));
    const pages = new Map<Post, PageBody>();
    const open: Tracked<PageBody>[] = [];
    tracked.forEach((t, i) => {
      if (t.state === 'done') pages.set(posts[i]!, t.value!);
      else if (t.state === 'pending') open.push(t);
      else if (!(t.error instanceof UnrenderablePost)) throw t.error;
    });
    return { pages, pending: allLanded(open) };
  }

  /**
   * Renders these posts once in the background, one at a time, so a post too
   * slow to render is reported when it is saved rather than when first read.
   * The backlog keeps the newest version of each file only (a file saved
   * again while waiting replaces its older version, which is let go), and at
   * most `MAX_BACKGROUND_CHECKS` files: a deploy that changes every file
   * leaves the rest to be found when first rendered.
   */
  checkInBackground(posts: readonly Post[], rawHtml: boolean): void {
    for (const post of posts) {
      this.savedWhileRunning.add(post);
      if (this.backlog.size >= MAX_BACKGROUND_CHECKS && !this.backlog.has(post.file)) break;
      // Its summary at once, apart from the page (which may take the whole budget, twice): listings
      // wait a moment for it (`LISTING_WAIT_MS`), then answer without it until it lands.
      this.trackedSummary(post);
      this.backlog.delete(post.file);
      this.backlog.set(post.file, post);
    }
    if (this.checking || !this.backlog.size) return;
    this.checking = true;
    void (async () => {
      while (this.backlog.size) {
        // Readers first: while their renders wait for a thread, so does this one.
        while (this.options.pool.saturated) await new Promise((resolve) => setTimeout(resolve, BACKGROUND_WAIT_MS).unref());
        const [file, post] = this.backlog.entries().next().value!;
        this.backlog.delete(file);
        // A failure is reported through `onFailure`; nothing else to do with it here.
        await this.page(post, rawHtml).catch(() => undefined);
      }
      this.checking = false;
    })();
  }

  /** Posts waiting for a background render, by file. */
  private readonly backlog = new Map<string, Post>();
  private checking = false;

  /** Why the post cannot be rendered, if it was found so. */
  failureOf(post: Post): ContentError | undefined {
    return this.failures.get(post);
  }

  /**
   * Files whose job ran over its limit, in the order they did: their jobs,
   * this version's retry and every later version's, take the pool's slow
   * lane until one finishes within the limit, so a writer saving a hostile
   * post again and again never holds every thread (src/render/render-pool.ts).
   */
  private readonly slowFiles = new RecentKeys<string>(MAX_SLOW_FILES);

  /** Versions a reader waits to hear of running over their first limit (`overLimit`). */
  private readonly overLimitWaits = new WeakMap<Post, { readonly promise: Promise<void>; readonly tell: () => void }>();

  /**
   * Settles when a job of this version runs over its first time limit (it is
   * then tried again in the slow lane), or at once if it could not be
   * rendered; never for a version that renders in time.
   */
  overLimit(post: Post): Promise<void> {
    if (this.failures.has(post)) return Promise.resolve();
    let wait = this.overLimitWaits.get(post);
    if (!wait) {
      let tell!: () => void;
      const promise = new Promise<void>((resolve) => (tell = resolve));
      this.overLimitWaits.set(post, (wait = { promise, tell }));
    }
    return wait.promise;
  }

  /**
   * Runs a job for the post. A job over the time limit is tried once more
   * with twice the time before the post is condemned: a machine busy for a
   * moment must not take a benign post off the site until its next edit.
   */
  private async job<T>(post: Post, run: (limitMs: number, lane: RenderLane) => Promise<T>): Promise<T> {
    const known = this.failures.get(post);
    if (known) throw new UnrenderablePost(known);
    try {
      try {
        const value = await run(this.options.timeoutMs, this.slowFiles.has(post.file) ? 'slow' : 'reader');
        this.slowFiles.forget(post.file);
        return value;
      } catch (err) {
        if (!(err instanceof RenderTimeout)) throw err;
        this.slowFiles.note(post.file);
        this.overLimitWaits.get(post)?.tell();
        return await run(this.options.timeoutMs * 2, 'slow');
      }
    } catch (err) {
      if (!(err instanceof RenderTimeout || err instanceof RenderFailed || err instanceof BodyUnavailable)) throw err;
      const problem: ContentError = {
        file: post.relPath,
        line: undefined,
        message:
          // A body kept in its file that is no longer this version (or is not UTF-8): said as it is.
          err instanceof BodyUnavailable
            ? err.message
            : err instanceof RenderTimeout
              ? `is too slow to render: it ran over the ${this.options.timeoutMs} ms limit (RENDER_TIMEOUT_MS), and over twice that when tried again; it is left out until it changes. Look for very deep nesting or long runs of markup characters`
              : `cannot be rendered (${err.message}); it is left out until it changes. Look for very deep nesting`,
      };
      if (!this.failures.has(post)) {
        this.failures.set(post, problem);
        this.options.onFailure(post, problem);
      }
      throw new UnrenderablePost(problem);
    }
  }
}
