/**
 * An article whose new version renders slowly (a post saved in a form that
 * takes its render seconds, up to `RENDER_TIMEOUT_MS` twice) is answered in
 * the version shown before, after a moment's wait, instead of keeping its
 * readers waiting for the render (docs/security.md, "Churn under load"),
 * once its file is known to be slow: a version of it ran over the wait, or
 * could not be rendered. Until then a reader waits for the new version, so an
 * edit shows on the next request, however busy the machine, unless its render
 * runs over the render thread's first limit (a hostile save, not a busy
 * machine: src/render/post-bodies.ts tries it again for twice as long). The
 * page made so is `pending` on the new version's render: when that lands (or
 * fails, and the store's last good version stands), the next reader gets the
 * page made again. A post with no earlier version shown waits for its render,
 * as a new post's first reader must. In production only: in development an
 * author who saves and looks waits for the render.
 */
import { RecentKeys } from '../content/memo.js';
import type { Post } from '../content/post.js';
import type { Rendered } from '../render/markdown.js';

/** How long a reader waits for a new version's render before the page shows the version before it. */
export const ARTICLE_WAIT_MS = 250;
/**
 * Bodies of the versions shown last kept at most (the most recently shown):
 * the render threads may be busy with the slow version itself, so the one
 * before is shown from here, not rendered again behind it.
 */
const KEPT_BODIES = 128;
/** Files known to render slowly kept at most (the most recent). */
const KEPT_SLOW_FILES = 1024;

/** The body an article is made with: the post's own, or the version before it while the post's renders. */
export interface ChosenBody {
  readonly post: Post;
  readonly body: Rendered | undefined;
  /** When the body is an earlier version's: settles when the post's own render has. */
  readonly pending?: Promise<void>;
}

export class ArticleVersions {
  /** The version of each slug whose page was made last. */
  private readonly shown = new Map<string, Post>();
  /**
   * The bodies of the last versions shown, least recently shown first, with
   * the site their links were resolved among (`undefined` when they link no
   * other post or file): a body made among another site's files is not reused.
   */
  private readonly bodies = new Map<Post, { readonly body: Rendered; readonly site: object | undefined }>();
  /** Files a version of which ran over the wait or could not be rendered, least recent first. */
  private readonly slow = new RecentKeys<string>(KEPT_SLOW_FILES);
  /** Renders a reader stopped waiting for: the next reader of that version takes their result. */
  private readonly raced = new WeakMap<Post, Promise<Rendered | undefined>>();

  constructor(
    private readonly render: (post: Post) => Promise<Rendered | undefined>,
    private readonly waitMs: number = ARTICLE_WAIT_MS,
    /** Settles after `ms` (a timer that keeps no process alive); tests give their own. */
    private readonly delay: (ms: number) => Promise<void> = afterMs,
    /** Settles if a render of this version runs over its first time limit (`PostBodies.overLimit`). */
    private readonly overLimit: (post: Post) => Promise<void> = never,
  ) {}

  /** `site`: the site links resolve among now (a kept body resolved among another is not reused). */
  async bodyFor(post: Post, site?: object): Promise<ChosenBody> {
    // A version already shown (the last good one, again, after the one after it failed) is not rendered again.
    const kept = this.keptBody(post, site);
    if (kept !== undefined) return { post, body: kept };
    const own = this.raced.get(post) ?? this.render(post);
    this.raced.delete(post);
    const previous = this.shown.get(post.slug);
    if (previous === undefined || previous === post || previous.file !== post.file || this.waitMs <= 0) return { post, body: await this.noting(post, own) };
    const first = await Promise.race([own.then((body) => ({ body })), this.delay(this.waitMs).then(() => undefined)]);
    if (first) return { post, body: await this.noting(post, Promise.resolve(first.body)) };
    if (!this.slow.has(post.file)) {
      // The first time this file is slow: this reader waits for it, unless it runs over the render's
      // first limit; its next version is not waited for.
      this.slow.note(post.file);
      const landed = await Promise.race([own.then((body) => ({ body })), this.overLimit(post).then(() => undefined)]);
      if (landed) return { post, body: await this.noting(post, Promise.resolve(landed.body)) };
    }
    this.raced.set(post, own);
    const before = this.keptBody(previous, site) ?? (await this.render(previous));
    // The version before cannot be shown either (its body left the file): wait for this one.
    if (!before) return { post, body: await own };
    return { post: previous, body: before, pending: own.then(noop, noop) };
  }

  /** The body kept for `post`, when its links were resolved among `site` (or link nothing). */
  private keptBody(post: Post, site: object | undefined): Rendered | undefined {
    const kept = this.bodies.get(post);
    return kept !== undefined && (kept.site === undefined || kept.site === site) ? kept.body : undefined;
  }

  /** `own`, noting the file as slow when it cannot be rendered. */
  private async noting(post: Post, own: Promise<Rendered | undefined>): Promise<Rendered | undefined> {
    const body = await own;
    if (body === undefined) this.slow.note(post.file);
    return body;
  }

  /** `post`'s page was made with `body`, its links resolved among `site`: it is what readers see of its slug now. */
  shownNow(post: Post, body: Rendered, site?: object): void {
    const before = this.shown.get(post.slug);
    if (before !== undefined && before !== post) this.bodies.delete(before);
    this.shown.set(post.slug, post);
    this.bodies.delete(post);
    this.bodies.set(post, { body, site });
    if (this.bodies.size > KEPT_BODIES) this.bodies.delete(this.bodies.keys().next().value!);
  }

  /** The slug answers 404 now: nothing of it is kept. */
  forget(slug: string): void {
    const before = this.shown.get(slug);
    if (before !== undefined) this.bodies.delete(before);
    this.shown.delete(slug);
  }
}

function noop(): void {}

function never(): Promise<void> {
  return new Promise(noop);
}

function afterMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
