/**
 * The store's current snapshot, its change feed and the site view made of
 * it. Every new snapshot is put in place through `set`, which tells the
 * feed's listeners what changed (the search index follows it: docs/search.md),
 * so none can be missed; after an edit of a few named files the snapshot and
 * the view are patched instead of made again (src/content/patched-map.ts,
 * src/content/site-view.ts).
 */
import { PatchedMap } from './patched-map.js';
import type { Post } from './post.js';
import { buildSiteView, patchSiteView, type PostSwap, type SiteView } from './site-view.js';
import { notePatchedView } from './taxonomy.js';
import { diffSnapshots, EMPTY_SNAPSHOT, type ChangeListener, type Snapshot, type SnapshotChange } from './snapshot.js';

export class SnapshotFeed {
  private current: Snapshot = EMPTY_SNAPSHOT;
  private readonly listeners = new Set<ChangeListener>();
  private cachedView: SiteView | undefined;
  /** The snapshot version `cachedView` was built from. */
  private cachedViewVersion = -1;

  constructor(
    private readonly showDrafts: boolean,
    private readonly now: () => number,
  ) {}

  get snapshot(): Snapshot {
    return this.current;
  }

  /**
   * The change feed: `listener` is told, synchronously, of every post that
   * enters or leaves the snapshot from now on. It first gets the posts
   * already there as added. Returns the unsubscribe function.
   */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    const current = [...this.current.bySlug.values()];
    if (current.length) listener({ added: current, removed: [] });
    return () => this.listeners.delete(listener);
  }

  /**
   * Puts `next` in place and tells the listeners what it changed. `known` is
   * the change when the caller knows it (a few named files), else the
   * snapshots are compared.
   */
  set(next: Snapshot, known?: SnapshotChange): void {
    const previous = this.current;
    this.current = next;
    if (this.listeners.size === 0) return;
    const change = known ?? diffSnapshots(previous, next);
    if (!change.added.length && !change.removed.length) return;
    for (const listener of this.listeners) listener(change);
  }

  /** The site view of `snapshot` at `now`: the one made last while it holds, else a new one. */
  viewOf(snapshot: Snapshot, now: number): SiteView {
    const cached = this.cachedView;
    if (cached && this.cachedViewVersion === snapshot.version && now < cached.validUntil) return cached;
    this.cachedViewVersion = snapshot.version;
    return (this.cachedView = buildSiteView(snapshot, now, this.showDrafts));
  }

  /** The key of the view made last, or `undefined` when it is not of the current snapshot or a future post went live by `now`. */
  viewKey(now: number): string | undefined {
    const view = this.cachedView;
    if (!view || this.cachedViewVersion !== this.current.version || now >= view.validUntil) return undefined;
    return view.key;
  }

  /**
   * The snapshot with these posts swapped, and the view patched to match,
   * sharing the posts by slug of the one before rather than sorting or
   * copying every post; false, having changed nothing, when a slug is
   * contested (a whole build decides).
   */
  patch(swaps: readonly PostSwap[]): boolean {
    const old = this.current;
    const deleted: string[] = [];
    for (const { before } of swaps) {
      if (before && old.bySlug.get(before.slug) !== before) return false;
      if (before) deleted.push(before.slug);
    }
    const set = new Map<string, Post>();
    for (const { after } of swaps) {
      if (!after) continue;
      if ((old.bySlug.has(after.slug) && !deleted.includes(after.slug)) || set.has(after.slug) || old.broken.has(after.slug)) return false;
      set.set(after.slug, after);
    }
    const bySlug = PatchedMap.of(old.bySlug, set, deleted);
    const next: Snapshot = { version: old.version + 1, bySlug, errors: old.errors, broken: old.broken, skipped: old.skipped };
    const view = this.cachedView && this.cachedViewVersion === old.version ? this.cachedView : undefined;
    const change: SnapshotChange = { added: swaps.flatMap((s) => (s.after ? [s.after] : [])), removed: swaps.flatMap((s) => (s.before ? [s.before] : [])) };
    this.set(next, change);
    const patched = view && patchSiteView(view, swaps, next, this.now(), this.showDrafts);
    if (patched) {
      // The posts that left the view and came into it, for the grouping by tag and author to follow.
      const left = swaps.flatMap(({ before }) => (before && view.bySlug.get(before.slug) === before ? [before] : []));
      const came = swaps.flatMap(({ after }) => (after && patched.bySlug.get(after.slug) === after ? [after] : []));
      notePatchedView(view, patched, left, came);
      this.cachedView = patched;
      this.cachedViewVersion = next.version;
    }
    return true;
  }
}
