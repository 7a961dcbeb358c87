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
 */
import type { ContentError, Post } from '../content/post.js';
import { BodyUnavailable } from '../content/body-file.js';
import { adoptSummary, bodyBytesOf } from '../content/parse-post.js';
import type { PageBody, Summary } from './body-job.js';
import { RenderFailed, RenderTimeout, type RenderPool } from './render-pool.js';

export interface PostBodiesOptions {
  pool: RenderPool;
  /** The time limit of one job (`RENDER_TIMEOUT_MS`). */
  timeoutMs: number;
  /** Told once per post that cannot be rendered (the store's `markUnrenderable`). */
  onFailure: (post: Post, error: ContentError) => void;
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

/** How often a background render looks again whether the threads are free. */
const BACKGROUND_WAIT_MS = 50;

export class PostBodies {
  private readonly summaries = new WeakMap<Post, Promise<Summary>>();
  private readonly failures = new WeakMap<Post, ContentError>();
  /** Pages being rendered now, so two readers of a new post share one job. */
  private readonly inFlight = new WeakMap<Post, Map<string, Promise<PageBody>>>();

  constructor(private readonly options: PostBodiesOptions) {}

  /** The post's word count and excerpt, also given to the post itself (its `description`, `readTime`). */
  summary(post: Post): Promise<Summary> {
    const known = this.summaries.get(post);
    if (known) return known;
    return this.keepSummary(
      post,
      this.job(post, (limitMs) => this.options.pool.run({ kind: 'summary', markdown: bodyBytesOf(post) }, limitMs)),
    );
  }

  /** Keeps the summary a job will give as the post's, for every later `summary` of it. */
  private keepSummary(post: Post, made: Promise<Summary>): Promise<Summary> {
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
    this.summaries.set(post, summary);
    return summary;
  }

  /**
   * The body as HTML, with its outline. `rawHtml` lets the author's HTML
   * through (the `raw_html` setting). Feeds make the links absolute
   * themselves, after sizing the images (src/render/feeds.ts).
   */
  page(post: Post, rawHtml: boolean, options: { bundleFiles?: boolean } = {}): Promise<PageBody> {
    // Standalone pages serve no bundle files: their relative references stay as written.
    const bundleFiles = options.bundleFiles ?? true;
    const mode = `${rawHtml}:${bundleFiles}`;
    let byMode = this.inFlight.get(post);
    const running = byMode?.get(mode);
    if (running) return running;
    const bundleSlug = bundleFiles && post.bundleDir ? post.slug : undefined;
    // The summary comes with the page when it is not known yet: one job, one trip to a thread (an article asks for both).
    const withSummary = !this.summaries.has(post);
    const job = this.job(post, (limitMs) => this.options.pool.run({ kind: 'page', markdown: bodyBytesOf(post), bundleSlug, rawHtml, withSummary }, limitMs)).finally(() => {
      byMode?.delete(mode);
      // An empty map kept for every post ever rendered was 270 bytes each (10,000 articles: 2.7 MB).
      if (byMode?.size === 0 && this.inFlight.get(post) === byMode) this.inFlight.delete(post);
    });
    if (withSummary) {
      const summary = this.keepSummary(
        post,
        job.then(({ summary }) => summary ?? Promise.reject(new Error('the page job gave no summary'))),
      );
      // Read by whoever asks for the summary; a failure is the page's to report.
      summary.catch(() => undefined);
    }
    if (!byMode) this.inFlight.set(post, (byMode = new Map()));
    byMode.set(mode, job);
    return job;
  }

  /** Starts a render thread ahead of the first page (src/render/render-pool.ts). */
  warm(): void {
    this.options.pool.warm();
  }

  /** These posts, in order, without those whose summary cannot be made; every summary is ready after it. */
  async usable(posts: readonly Post[]): Promise<Post[]> {
    const settled = await Promise.allSettled(posts.map((p) => this.summary(p)));
    const out: Post[] = [];
    settled.forEach((result, i) => {
      if (result.status === 'fulfilled') out.push(posts[i]!);
      else if (!(result.reason instanceof UnrenderablePost)) throw result.reason;
    });
    return out;
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
      if (this.backlog.size >= MAX_BACKGROUND_CHECKS && !this.backlog.has(post.file)) break;
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
   * Runs a job for the post. A job over the time limit is tried once more
   * with twice the time before the post is condemned: a machine busy for a
   * moment must not take a benign post off the site until its next edit.
   */
  private async job<T>(post: Post, run: (limitMs: number) => Promise<T>): Promise<T> {
    const known = this.failures.get(post);
    if (known) throw new UnrenderablePost(known);
    try {
      try {
        return await run(this.options.timeoutMs);
      } catch (err) {
        if (!(err instanceof RenderTimeout)) throw err;
        return await run(this.options.timeoutMs * 2);
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
