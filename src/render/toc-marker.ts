/**
 * `[[TOC]]` and `[TOC]` alone on a line (GitLab, Typora, Python-Markdown,
 * many blog tools): the post's table of contents at that place, built from
 * the outline of its headings (src/render/toc.ts) once `placeTocs` has
 * handed it to the markers.
 */
import type { MarkedExtension, Token, Tokens } from 'marked';
import { escapeHtml } from '../html/escape.js';
import type { OutlineEntry } from './headings.js';
import { tocTree, type TocEntry } from './toc.js';

/** The marker on a line of its own, at most 3 spaces in. No `start`: it stands after a blank line (src/content/foreign-markup.ts puts one). */
const MARKER = /^ {0,3}\[(?:\[TOC\]|TOC)\][ \t]*(?:\n+|$)/i;

interface TocMarkerToken extends Tokens.Generic {
  type: 'tocMarker';
  entries?: readonly TocEntry[];
}

/** Gives every marker in `tokens` the table of contents of `outline`. */
export function placeTocs(tokens: Token[], outline: readonly OutlineEntry[]): void {
  let entries: readonly TocEntry[] | undefined;
  const visit = (list: readonly Token[]): void => {
    for (const token of list) {
      if (token.type === 'tocMarker') (token as TocMarkerToken).entries = entries ??= tocTree(outline);
      const nested = token as { tokens?: unknown; items?: readonly { tokens?: unknown }[] };
      if (Array.isArray(nested.tokens)) visit(nested.tokens as Token[]);
      if (Array.isArray(nested.items)) for (const item of nested.items) if (Array.isArray(item.tokens)) visit(item.tokens as Token[]);
    }
  };
  visit(tokens);
}

function list(entries: readonly TocEntry[]): string {
  return `<ul>${entries.map((e) => `<li><a href="#${escapeHtml(e.id)}">${escapeHtml(e.text)}</a>${e.children.length ? list(e.children) : ''}</li>`).join('')}</ul>`;
}

export function tocMarkers(): MarkedExtension {
  return {
    extensions: [
      {
        name: 'tocMarker',
        level: 'block',
        tokenizer(src: string) {
          const match = MARKER.exec(src);
          return match ? ({ type: 'tocMarker', raw: match[0] } satisfies TocMarkerToken) : undefined;
        },
        renderer(token) {
          const entries = (token as TocMarkerToken).entries;
          if (!entries?.length) return '';
          return `<nav class="toc-inline" aria-label="Contents">${list(entries)}</nav>\n`;
        },
      },
    ],
  };
}
