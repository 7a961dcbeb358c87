/**
 * One consistent picture of the content folder: every valid post by slug,
 * the problems, and the broken files by the slug their name would give.
 * Made from what the store knows of each post file (an `Entry`: its last
 * read, and its last good versions, served while it is broken, as
 * docs/authoring.md says), and compared with the snapshot before it for the
 * change feed (src/content/snapshot-feed.ts).
 */
import { MARKDOWN, type PostFile, type SkippedFile } from './find-posts.js';
import type { ParseResult } from './parse-post.js';
import type { ContentError, FileSignature, Post } from './post.js';
import { postAtSlug, secondSlug } from './second-slug.js';
import { parseName, parsePostName } from './slug.js';

/** One post file as the store knows it. */
export interface Entry {
  /** The file as last listed or looked at. */
  source: PostFile;
  signature: FileSignature;
  result: ParseResult;
  /** The last version of this file that parsed, served while it is broken. */
  lastGood: Post | undefined;
  /** The good version before `lastGood`: served instead if `lastGood` proves too slow to render. */
  previousGood: Post | undefined;
}

/** One consistent picture of the folder. */
export interface Snapshot {
  readonly version: number;
  /** Every valid post (drafts and future ones too), by slug. */
  readonly bySlug: ReadonlyMap<string, Post>;
  readonly errors: readonly ContentError[];
  /**
   * Files with no good version, by the slug their name would give: what the
   * URL of a broken post shows outside production.
   */
  readonly broken: ReadonlyMap<string, BrokenPost>;
  /** Files that look like posts and are not read, with why (for `check`; not errors). */
  readonly skipped: readonly SkippedFile[];
}

export interface BrokenPost {
  readonly error: ContentError;
  /** Absolute path, when the file is a post file the store read. */
  readonly file: string | undefined;
}

/**
 * What changed between two snapshots, by post identity: an edited post is
 * its old version removed and its new one added. Drafts and future posts are
 * in it too (the snapshot holds every valid post); what readers may see is
 * still decided by the site view.
 */
export interface SnapshotChange {
  readonly added: readonly Post[];
  readonly removed: readonly Post[];
}

export type ChangeListener = (change: SnapshotChange) => void;

/** The snapshot before the first read of the folder. */
export const EMPTY_SNAPSHOT: Snapshot = { version: 0, bySlug: new Map(), errors: [], broken: new Map(), skipped: [] };

/** What a listing found, as a snapshot is made of it. */
export interface ListedFiles {
  readonly files: readonly PostFile[];
  readonly errors: readonly ContentError[];
  readonly skipped: readonly SkippedFile[];
}

/**
 * Valid posts by slug, numbered `version`; on a clash the file whose path
 * sorts first keeps the slug, and the other is served at a second one
 * (src/content/second-slug.ts), unless its `slug` field chose it. `settingsProblems` come first among the errors.
 */
export function buildSnapshot(entries: ReadonlyMap<string, Entry>, listed: ListedFiles, settingsProblems: readonly ContentError[], version: number): Snapshot {
  const bySlug = new Map<string, Post>();
  const errors: ContentError[] = [...settingsProblems, ...listed.errors];
  const broken = new Map<string, BrokenPost>();
  const skipped: SkippedFile[] = [...listed.skipped];
  for (const error of listed.errors) {
    const slug = slugOfPath(error.file);
    if (slug && !broken.has(slug)) broken.set(slug, { error, file: undefined });
  }
  for (const file of listed.files) {
    const entry = entries.get(file.file)!;
    if (!entry.result.ok) errors.push(entry.result.error);
    const post = entry.result.ok ? entry.result.post : entry.lastGood;
    if (!post) {
      const slug = parsePostName(file.baseName, file.relPath).slug;
      if (!entry.result.ok && slug && !broken.has(slug)) broken.set(slug, { error: entry.result.error, file: file.file });
      continue;
    }
    const winner = bySlug.get(post.slug);
    if (winner) {
      // Served at an address of its own, and named; a slug its author chose is theirs to change.
      const second = post.fieldLines.slug === undefined ? secondSlug(post, winner, (slug) => bySlug.has(slug)) : undefined;
      if (second === undefined) {
        errors.push({
          file: post.relPath,
          line: undefined,
          field: 'slug',
          message: `has the slug "${post.slug}", already used by ${winner.relPath}; only ${winner.relPath} is served`,
        });
        continue;
      }
      bySlug.set(second, postAtSlug(post, second));
      skipped.push({
        file: post.relPath,
        message: `has the slug "${post.slug}", already used by ${winner.relPath}; it is served at /posts/${second} instead (set \`slug\` to choose its address)`,
      });
      continue;
    }
    bySlug.set(post.slug, post);
  }
  // A real post at a URL always wins over a broken file that would have had it.
  for (const slug of bySlug.keys()) broken.delete(slug);
  return { version, bySlug, errors, broken, skipped };
}

/** Posts in `next` and not in `previous`, and the reverse, by identity: a linear pass, run only when the snapshot changed. */
export function diffSnapshots(previous: Snapshot, next: Snapshot): SnapshotChange {
  const added: Post[] = [];
  const removed: Post[] = [];
  for (const [slug, post] of next.bySlug) if (previous.bySlug.get(slug) !== post) added.push(post);
  for (const [slug, post] of previous.bySlug) if (next.bySlug.get(slug) !== post) removed.push(post);
  return { added, removed };
}

/** The slug a content path would give: `a.md`, `a/index.md` and `2023/a.md` are all `a`. */
function slugOfPath(relPath: string): string {
  const base = relPath.replace(/\/index\.(md|markdown|mdx)$/i, '').replace(MARKDOWN, '');
  return parseName(base.split('/').pop() ?? base).slug;
}
