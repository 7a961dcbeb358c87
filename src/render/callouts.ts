/**
 * GitHub's alerts and Obsidian's callouts: a blockquote whose first line is
 * `[!TYPE]`, with a title after it (`> [!WARNING] Mind the gap`) and, in
 * Obsidian, a fold mark (`> [!info]- Folded`, `> [!tip]+ Open`). Each
 * becomes the callout other tools' admonitions become
 * (src/content/foreign-blocks.ts): `<aside class="callout callout-<type>">`
 * with its title, or `<details>` with a `<summary>` when it folds. Any
 * type is read (Obsidian allows any); an unknown one looks like a note.
 *
 * `calloutQuotes` runs on the lexed tokens (before the outline, so
 * headings inside keep their ids); only the first paragraph's inline
 * tokens are lexed again, never the quote's whole content, so nested
 * callouts cost what nested quotes cost.
 */
import type { MarkedExtension, Token, Tokens } from 'marked';
import { calloutFamily } from '../content/foreign-blocks.js';
import { escapeHtml } from '../html/escape.js';

/** `[!type]`, an optional fold mark, the title: the first line of the quote's first paragraph. */
const MARKER = /^\[!([A-Za-z][\w-]{0,40})\]([+-]?)[ \t]*([^\n]*)(?:\n|$)/;

interface CalloutToken extends Tokens.Generic {
  type: 'callout';
  kind: string;
  fold: '' | '+' | '-';
  titleTokens: Token[];
  tokens: Token[];
}

/** Turns each callout blockquote in `tokens` into a callout token; `inline` lexes a line of inline markdown. */
export function calloutQuotes(tokens: Token[], inline: (text: string) => Token[]): void {
  for (const token of tokens) {
    const nested = token as { tokens?: unknown; items?: readonly { tokens?: unknown }[] };
    if (Array.isArray(nested.tokens)) calloutQuotes(nested.tokens as Token[], inline);
    if (Array.isArray(nested.items)) for (const item of nested.items) if (Array.isArray(item.tokens)) calloutQuotes(item.tokens as Token[], inline);
    if (token.type === 'blockquote') toCallout(token as Tokens.Blockquote, inline);
  }
}

function toCallout(quote: Tokens.Blockquote, inline: (text: string) => Token[]): void {
  const first = quote.tokens[0];
  if (first?.type !== 'paragraph') return;
  const paragraph = first as Tokens.Paragraph;
  const marker = MARKER.exec(paragraph.text);
  if (!marker) return;
  const rest = paragraph.text.slice(marker[0].length);
  const body = quote.tokens.slice(1);
  if (rest.trim()) body.unshift({ ...paragraph, raw: rest, text: rest, tokens: inline(rest) });
  const kind = marker[1]!.toLowerCase();
  const title = marker[3]!.trim() || kind.charAt(0).toUpperCase() + kind.slice(1);
  const callout: CalloutToken = { type: 'callout', raw: quote.raw, kind, fold: marker[2] as CalloutToken['fold'], titleTokens: inline(title), tokens: body };
  // The quote token becomes the callout in place: its parent's list keeps its order.
  for (const key of Object.keys(quote)) delete (quote as unknown as Record<string, unknown>)[key];
  Object.assign(quote, callout);
}

/** The marked extension that writes callout tokens. */
export function callouts(): MarkedExtension {
  return {
    extensions: [
      {
        name: 'callout',
        level: 'block',
        childTokens: ['titleTokens', 'tokens'],
        renderer(token) {
          const t = token as CalloutToken;
          const cls = `callout callout-${escapeHtml(calloutFamily(t.kind))}`;
          const title = this.parser.parseInline(t.titleTokens);
          const body = this.parser.parse(t.tokens);
          if (t.fold) return `<details class="${cls}"${t.fold === '+' ? ' open' : ''}>\n<summary class="callout-title">${title}</summary>\n${body}</details>\n`;
          return `<aside class="${cls}" role="note">\n<p class="callout-title">${title}</p>\n${body}</aside>\n`;
        },
      },
    ],
  };
}
