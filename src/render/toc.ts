/**
 * The table of contents of a long post: its sections and their subsections,
 * built from the outline of the rendered body.
 */
import type { OutlineEntry } from './headings.js';

export interface TocEntry {
  readonly id: string;
  readonly text: string;
  readonly children: readonly TocEntry[];
}

/** A post gets a table of contents from this many top-level sections. */
export const MIN_SECTIONS = 3;

/**
 * `setting` is the frontmatter `toc`: `false` never shows one, `true` shows one
 * whenever there are two sections or more, unset shows one for posts with
 * `MIN_SECTIONS` sections or more. Returns undefined when there is none.
 */
export function tableOfContents(outline: readonly OutlineEntry[], setting: boolean | undefined): TocEntry[] | undefined {
  if (setting === false || outline.length === 0) return undefined;
  const entries = tocTree(outline);
  const needed = setting === true ? 2 : MIN_SECTIONS;
  return entries.length >= needed ? entries : undefined;
}

/** The sections of `outline` (its top level) and their subsections, however few: what a `[[TOC]]` in the body shows. */
export function tocTree(outline: readonly OutlineEntry[]): TocEntry[] {
  // A loop, not Math.min(...levels): a post may hold more headings than the stack has room for arguments.
  let top = 6;
  for (const h of outline) if (h.level < top) top = h.level;
  const entries: { id: string; text: string; children: TocEntry[] }[] = [];
  for (const h of outline) {
    if (h.level === top) entries.push({ id: h.id, text: h.text, children: [] });
    else if (h.level === top + 1 && entries.length > 0) entries.at(-1)?.children.push({ id: h.id, text: h.text, children: [] });
  }
  return entries;
}
