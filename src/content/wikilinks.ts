/**
 * Obsidian's and other wikis' links and embeds as a marked extension:
 * `[[Note]]`, `[[Note|label]]`, `[[Note#Heading]]`, `![[image.png]]`,
 * `![[image.png|300]]`. The tokenizer only reads the syntax; the render's
 * link pass (src/render/link-pass.ts) sets the address it resolves to
 * (src/content/link-resolver.ts, `findWikiTarget`), and one left without
 * an address is shown as its label, without brackets (`npm run check` names it).
 * Here, not in src/render/, so `check`'s lexer reads the same syntax.
 */
import type { MarkedExtension, Tokens } from 'marked';
import { escapeHtml } from '../html/escape.js';
import { parseWikilink, type Wikilink } from './link-resolver.js';

export interface WikilinkToken extends Tokens.Generic {
  readonly type: 'wikilink';
  readonly raw: string;
  /** `![[…]]`: an image (or a note, shown as a link to it). */
  readonly embed: boolean;
  readonly link: Wikilink;
  /** Set by the link pass: the address, when it resolves. */
  href?: string;
  /** Set by the link pass: the target is an image to show. */
  image?: boolean;
}

/** `[[…]]` with no bracket or line break inside. */
const WIKILINK = /^(!?)\[\[([^[\]\n]+)\]\]/;
/** How far ahead `start` looks for `[[`. */
const START_WINDOW = 64;
/** An embed's size: `300` or `300x200`. */
const SIZE = /^(\d{1,5})(?:x(\d{1,5}))?$/;

/** The label shown for a link: its alias, else the note's name (with `> Heading`). */
export function wikilinkLabel({ target, heading, alias }: Wikilink): string {
  if (alias) return alias;
  if (!heading) return target;
  return target ? `${target} > ${heading}` : heading;
}

export function wikilinks(): MarkedExtension {
  return {
    extensions: [
      {
        name: 'wikilink',
        level: 'inline',
        // Looked for this far ahead only: marked asks at every step of a line, and a scan to the
        // end each time was quadratic (a 50 KB line of `[!` took 3.6 s). Text past the window is
        // not lost: marked's own text stops at every `[`, and asks again from there.
        start(src: string) {
          const at = (src.length > START_WINDOW ? src.slice(0, START_WINDOW) : src).indexOf('[[');
          if (at < 0) return undefined;
          return at > 0 && src[at - 1] === '!' ? at - 1 : at;
        },
        tokenizer(src: string): WikilinkToken | undefined {
          const match = WIKILINK.exec(src);
          if (!match) return undefined;
          const link = parseWikilink(match[2]!);
          // `[[TOC]]` is a table of contents, not a note; `[[]]` and `[[|x]]` name nothing.
          if ((!link.target && !link.heading) || /^toc$/i.test(match[2]!.trim())) return undefined;
          return { type: 'wikilink', raw: match[0], embed: match[1] === '!', link };
        },
        renderer(token: Tokens.Generic): string {
          const t = token as WikilinkToken;
          const label = wikilinkLabel(t.link);
          if (t.href === undefined) return escapeHtml(label);
          if (t.image) {
            const size = t.link.alias ? SIZE.exec(t.link.alias) : null;
            const alt = size ? t.link.target.replace(/\.[^.]+$/, '') : (t.link.alias ?? t.link.target.replace(/\.[^.]+$/, ''));
            const dims = size ? ` width="${size[1]}"${size[2] ? ` height="${size[2]}"` : ''}` : '';
            return `<img src="${escapeHtml(t.href)}" alt="${escapeHtml(alt)}"${dims} loading="lazy" decoding="async">`;
          }
          return `<a href="${escapeHtml(t.href)}">${escapeHtml(label)}</a>`;
        },
      },
    ],
  };
}
