/**
 * Block markup of other tools in a copied post's body, line by line: the
 * admonitions, directives and tabs that wrap markdown. Each becomes an HTML
 * block around the markdown it holds (blank lines around it, so the
 * markdown inside is read as markdown), one shape for all of them:
 *
 * - a callout: `<aside class="callout callout-<type>" role="note">` with its title, or
 *   `<details class="callout …">` with a `<summary>` when it folds;
 * - a tab: `<section class="tab">` with its label, stacked (no script);
 * - any other directive: its content alone, without the markers.
 *
 * Forms read: Docusaurus, VuePress and VitePress containers (`:::tip Title`
 * … `:::`, nested with more colons, `:::tip[Title]`, `::: details`),
 * generic directives and Nuxt/MDC components (`::name{attrs}` with a `---`
 * props block, closed by `::`), MkDocs admonitions (`!!! note "Title"`,
 * `??? tip` folded, `???+` open) and content tabs (`=== "Tab"`) with their
 * 4-space indented content, Hugo's paired shortcodes (`{{% alert %}}`,
 * `{{< notice tip >}}`), Hexo's `{% note %}` and Docusaurus's MDX
 * `<Tabs>`/`<TabItem label="…">` on lines of their own. A directive Lede has no
 * meaning for is named for `npm run check`.
 *
 * Every pattern here is anchored to a line and bounded, and the indented
 * forms nest by translating their dedented content again, at most
 * `MAX_DEPTH` deep: the pass is linear in the body times that depth.
 */

/** What block markup reports, and how it translates an indented form's content. */
export interface BlockContext {
  notice(kind: string, line: number, message: string): void;
  /** The content of an indented form (dedented), translated as a body of its own starting at `firstLine`. */
  translate(body: string, firstLine: number, depth: number): string;
  readonly depth: number;
}

export interface BlockResult {
  /** Lines of the body this form took, from the one handed in. */
  readonly consumed: number;
  readonly out: string;
}

/** Indented forms inside indented forms, this deep: deeper ones are read as plain markdown. */
export const MAX_DEPTH = 12;

/** A props block after a directive's opening line is looked for this far, no further. */
const MAX_PROPS_LINES = 60;

/** The callout types, by every name the tools give them; the value is the colour family the theme styles. */
const CALLOUT_TYPES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    note: 'note',
    info: 'note',
    abstract: 'note',
    summary: 'note',
    tldr: 'note',
    todo: 'note',
    seealso: 'note',
    secondary: 'note',
    primary: 'note',
    tip: 'tip',
    hint: 'tip',
    success: 'tip',
    check: 'tip',
    done: 'tip',
    important: 'important',
    question: 'important',
    help: 'important',
    faq: 'important',
    example: 'important',
    warning: 'warning',
    warn: 'warning',
    caution: 'warning',
    attention: 'warning',
    danger: 'danger',
    error: 'danger',
    bug: 'danger',
    failure: 'danger',
    fail: 'danger',
    missing: 'danger',
    quote: 'quote',
    cite: 'quote',
  }),
);

/** Names that are callouts whatever type they are given (`::alert{type="info"}`, `{{% alert color="warning" %}}`). */
const CALLOUT_NAMES = new Set(['alert', 'callout', 'admonition', 'notice', 'aside', 'details']);

/** Directives whose content is shown as it is, no notice: they only group what they hold. */
const WRAPPERS = new Set(['tabs', 'code-group', 'codegroup', 'group', 'div', 'center', 'steps']);

/** Tab directives: their label over their content. */
const TAB_NAMES = new Set(['tab', 'tab-item', 'tabitem']);

/** The colour family of a callout type: an unknown type (Obsidian allows any) is a note. */
export function calloutFamily(type: string): string {
  return CALLOUT_TYPES.get(type.toLowerCase()) ?? 'note';
}

export function isCalloutType(type: string): boolean {
  return CALLOUT_TYPES.has(type.toLowerCase());
}

/** `title` as a reader sees it: the given one, else the type's name. */
function titleOf(type: string, title: string | undefined): string {
  const given = title?.trim();
  if (given !== undefined && given !== '') return given;
  return type.charAt(0).toUpperCase() + type.slice(1).toLowerCase();
}

/** The opening of a callout; `fold`: `closed` or `open` for one that folds (a `<details>`). */
export function calloutOpen(type: string, title: string | undefined, fold?: 'open' | 'closed'): string {
  const cls = `callout callout-${calloutFamily(type)}`;
  // An empty title given on purpose (`!!! note ""`): no title line.
  const heading = title !== undefined && title.trim() === '' && !fold ? undefined : titleOf(type, title);
  if (fold) return `\n<details class="${cls}"${fold === 'open' ? ' open' : ''}>\n<summary class="callout-title">${escapeText(heading ?? '')}</summary>\n\n`;
  return `\n<aside class="${cls}" role="note">\n${heading === undefined ? '' : `<p class="callout-title">${escapeText(heading)}</p>\n`}\n`;
}

export function calloutClose(fold: boolean): string {
  return fold ? '\n</details>\n' : '\n</aside>\n';
}

function tabOpen(label: string): string {
  return `\n<section class="tab">\n<p class="tab-label">${escapeText(label.trim())}</p>\n\n`;
}

const TAB_CLOSE = '\n</section>\n';

/** A container opening: colons, a name, and the rest (`[label]`, `{attrs}`, a title). */
/** Three colons or more may stand apart from the name (VuePress's `::: tip`); two may not (`:: text` is text). */
const CONTAINER_OPEN = /^ {0,3}(:{3,}[ \t]*|::)([A-Za-z][\w-]*)(.*)$/;
const CONTAINER_CLOSE = /^ {0,3}(:{2,})[ \t]*$/;
const TAB_COMPONENT = /^ {0,3}<(\/?)(Tabs|TabItem)\b([^<>\n]{0,1000})>[ \t]*$/;
const KRAMDOWN_TOC_ITEM = /^ {0,3}(?:[*+-]|1\.)[ \t]+[^\n]{1,100}$/;
const KRAMDOWN_TOC_MARK = /^[ \t]*\{:[ \t]*toc[ \t]*\}[ \t]*$/;
const TOC_LINE = /^ {0,3}\[(?:\[TOC\]|TOC)\][ \t]*$/i;
/** A list item's first line (`- x`, `* x`, `1. x`, `1) x`). */
const LIST_ITEM = /^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+\S/;

/** An opening line of MkDocs' indented forms, read: `!!! note "Title"` needs its type, `=== "Tab"` its label. */
function indentedHead(line: string): { marker: string; words: string[]; quoted: string | undefined } | undefined {
  const head = INDENTED_OPEN.exec(line);
  if (!head) return undefined;
  const marker = head[1]!;
  const rest = head[2]!;
  const quote = rest.indexOf('"');
  const last = rest.lastIndexOf('"');
  const words = (quote < 0 ? rest : rest.slice(0, quote)).trim().split(/\s+/).filter(Boolean);
  const quoted = quote >= 0 && last > quote ? rest.slice(quote + 1, last) : undefined;
  if (marker.startsWith('=') ? quoted === undefined : !/^[A-Za-z][\w-]*$/.test(words[0] ?? '')) return undefined;
  return { marker, words, quoted };
}

/** Per line: whether the lines above it, blank or indented, lead up to a list item. One pass per body, kept with its lines. */
const listItemAboveOf = new WeakMap<readonly string[], Uint8Array>();

function listItemAbove(lines: readonly string[]): Uint8Array {
  let above = listItemAboveOf.get(lines);
  if (above) return above;
  above = new Uint8Array(lines.length);
  let inItem = false;
  for (let i = 0; i < lines.length; i++) {
    above[i] = inItem ? 1 : 0;
    const line = lines[i]!;
    if (LIST_ITEM.test(line)) inItem = true;
    else if (line.trim() && !/^[ \t]/.test(line)) inItem = false;
  }
  listItemAboveOf.set(lines, above);
  return above;
}
const INDENTED_OPEN = /^(!!!|\?\?\?\+?|===[+!]?)[ \t]+(\S.*)$/;
const PAIRED_SHORTCODE_OPEN = /^\s*\{\{([<%])\s*([\w-]+)([^\n]{0,1000}?)[%>]\}\}\s*$/;
const PAIRED_SHORTCODE_CLOSE = /^\s*\{\{[<%]\s*\/\s*([\w-]+)\s*[%>]\}\}\s*$/;
const HEXO_NOTE_OPEN = /^\s*\{%-?\s*note\b([^%\n]{0,1000})-?%\}\s*$/;
const HEXO_NOTE_CLOSE = /^\s*\{%-?\s*endnote\s*-?%\}\s*$/;
/** Hugo shortcodes that wrap a callout (Docsy's `alert`, hugo-notice's `notice`, the Learn theme's). */
const CALLOUT_SHORTCODES = new Set([...CALLOUT_NAMES, ...CALLOUT_TYPES.keys()]);

interface Open {
  /** What closes it: a colon run, `endnote`, `hugo:<name>`. */
  readonly marker: string;
  readonly close: string;
}

/** The containers open at a point of the body, and what each line does to them. */
export class BlockMarkup {
  private readonly open: Open[] = [];

  constructor(private readonly context: BlockContext) {}

  /** Handles `lines[i]` (1-based line `lineNo`) when it is block markup; undefined when it is not. */
  take(lines: readonly string[], i: number, lineNo: number): BlockResult | undefined {
    const line = lines[i]!;
    const first = line.trimStart().charAt(0);
    if (first === ':') return this.container(lines, i, lineNo);
    if (first === '!' || first === '?' || first === '=') return /^[ \t]/.test(line) ? this.inListItem(lines, i, lineNo) : this.indented(lines, i, lineNo);
    if (first === '{') return this.shortcode(line);
    if (first === '<') return this.tabComponent(line);
    // Blank lines around it: the renderer reads it as a block of its own (src/render/toc-marker.ts).
    if (first === '[' && TOC_LINE.test(line)) return { consumed: 1, out: '\n[[TOC]]\n' };
    // kramdown's (Jekyll's): a one-item list `* TOC` marked `{:toc}`.
    if (KRAMDOWN_TOC_ITEM.test(line) && KRAMDOWN_TOC_MARK.test(lines[i + 1] ?? '')) return { consumed: 2, out: '\n[[TOC]]\n' };
    return undefined;
  }

  /** The closings of containers left open at the end of the body. */
  finish(): string {
    let out = '';
    while (this.open.length) out += this.open.pop()!.close;
    return out;
  }

  private container(lines: readonly string[], i: number, lineNo: number): BlockResult | undefined {
    const line = lines[i]!;
    const close = CONTAINER_CLOSE.exec(line);
    if (close) {
      const at = this.findOpen(close[1]!);
      // A stray `:::` is a marker all the same; a stray `::` may be text.
      if (at < 0) return close[1]!.length >= 3 ? { consumed: 1, out: '' } : undefined;
      return { consumed: 1, out: this.closeFrom(at) };
    }
    const open = CONTAINER_OPEN.exec(line);
    if (!open) return undefined;
    const colons = open[1]!.trimEnd();
    const name = open[2]!;
    const { label, attrs, title } = splitRest(open[3]!);
    const props = propsBlock(lines, i + 1);
    const values = new Map([...attrs, ...(props?.values ?? [])]);
    const consumed = 1 + (props?.lines ?? 0);
    const lower = name.toLowerCase();
    const heading = values.get('title') ?? label ?? (title || undefined);
    if (isCalloutType(lower) || CALLOUT_NAMES.has(lower)) {
      // `:::tip` is of its name's type; `::alert{type="info"}` of the type it is given.
      const type = CALLOUT_TYPES.has(lower) ? lower : (values.get('type') ?? values.get('color') ?? 'note');
      const folds = lower === 'details' || values.has('collapsible') || values.has('collapse');
      this.open.push({ marker: colons, close: calloutClose(folds) });
      // Untitled, it is titled by its type (`Tip`, `Info`); `::: details` by `Details`.
      const shown = heading ?? (lower === 'details' ? 'Details' : undefined);
      return { consumed, out: calloutOpen(type, shown, folds ? (values.has('open') ? 'open' : 'closed') : undefined) };
    }
    if (TAB_NAMES.has(lower)) {
      this.open.push({ marker: colons, close: TAB_CLOSE });
      return { consumed, out: tabOpen(heading ?? values.get('label') ?? values.get('name') ?? '') };
    }
    this.open.push({ marker: colons, close: '\n' });
    if (lower === 'read-more' || lower === 'readmore') {
      const to = values.get('to') ?? values.get('href') ?? values.get('link');
      if (to && isPlainRef(to)) return { consumed, out: `\n[${escapeMarkdown(heading ?? 'Read more')}](${to})\n` };
    }
    if (!WRAPPERS.has(lower)) {
      this.context.notice(
        `directive:${lower}`,
        lineNo,
        `directive ${colons}${name} is shown as its content, without its markers (Lede has no such component); replace it with markdown`,
      );
    }
    // Its label or title, when it has one, is its text (`::badge[New]`, `:::spoiler Click`).
    const shown = label ?? (title || undefined);
    return { consumed, out: shown ? `\n${shown}\n` : '\n' };
  }

  /**
   * MkDocs' `!!!`, `???` and `===` indented inside a list item (`1. Step` then
   * `    !!! note`): read as at the top, then indented back, so it stays in
   * the item. Only where the lines above lead up to a list item: an indented
   * code block that shows the syntax stays code.
   */
  private inListItem(lines: readonly string[], i: number, lineNo: number): BlockResult | undefined {
    const indent = /^(?: {1,4}|\t)/.exec(lines[i]!)?.[0];
    // The opening line is judged before anything else is read: a body of many lines that only look like one costs a line each.
    if (indent === undefined || !indentedHead(lines[i]!.slice(indent.length))) return undefined;
    if (!listItemAbove(lines)[i]) return undefined;
    // Its extent: the lines indented under it (blank ones between), and no further.
    let end = i + 1;
    while (end < lines.length && (!lines[end]!.trim() || /^(?: {4}|\t)/.test(lines[end]!.slice(indent.length)))) end++;
    const dedented = lines.slice(i, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l));
    const read = this.indented(dedented, 0, lineNo);
    if (!read) return undefined;
    const out = read.out
      .split('\n')
      .map((l) => (l ? indent + l : l))
      .join('\n');
    return { consumed: read.consumed, out };
  }

  /** MkDocs' `!!!`, `???`, `???+` and `===`: a form over the lines indented under it. */
  private indented(lines: readonly string[], i: number, lineNo: number): BlockResult | undefined {
    if (this.context.depth >= MAX_DEPTH) return undefined;
    const head = indentedHead(lines[i]!);
    if (!head) return undefined;
    const { marker, words, quoted } = head;
    let end = i + 1;
    let lastContent = i;
    for (; end < lines.length; end++) {
      const next = lines[end]!;
      if (!next.trim()) continue;
      if (!/^(?: {4}|\t)/.test(next)) break;
      lastContent = end;
    }
    const inner = lines
      .slice(i + 1, lastContent + 1)
      .map((l) => l.replace(/^(?: {4}|\t)/, ''))
      .join('\n');
    const body = this.context.translate(inner, lineNo + 1, this.context.depth + 1);
    const consumed = lastContent + 1 - i;
    if (marker.startsWith('=')) return { consumed, out: `${tabOpen(quoted!)}${body}\n${TAB_CLOSE}` };
    const type = words[0]!.toLowerCase();
    const fold = marker === '???' ? 'closed' : marker === '???+' ? 'open' : undefined;
    return { consumed, out: `${calloutOpen(type, quoted, fold)}${body}\n${calloutClose(fold !== undefined)}` };
  }

  /** Hugo's paired callout shortcodes and Hexo's `{% note %}`, on lines of their own. */
  private shortcode(line: string): BlockResult | undefined {
    const hexo = HEXO_NOTE_OPEN.exec(line);
    if (hexo) {
      const type = hexo[1]!.trim().split(/\s+/)[0] || 'note';
      this.open.push({ marker: 'endnote', close: calloutClose(false) });
      return { consumed: 1, out: calloutOpen(type, undefined) };
    }
    if (HEXO_NOTE_CLOSE.test(line)) {
      const at = this.findOpen('endnote');
      return at < 0 ? undefined : { consumed: 1, out: this.closeFrom(at) };
    }
    const closing = PAIRED_SHORTCODE_CLOSE.exec(line);
    if (closing) {
      const at = this.findOpen(`hugo:${closing[1]!.toLowerCase()}`);
      return at < 0 ? undefined : { consumed: 1, out: this.closeFrom(at) };
    }
    const open = PAIRED_SHORTCODE_OPEN.exec(line);
    if (!open || !CALLOUT_SHORTCODES.has(open[2]!.toLowerCase())) return undefined;
    const name = open[2]!.toLowerCase();
    const args = open[3]!;
    const named = namedArgs(args);
    const positional = [...args.replace(/\w+\s*=\s*(?:"[^"]*"|'[^']*'|\S+)/g, '').matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
    const typed = named.get('type') ?? named.get('color') ?? positional.find((w) => isCalloutType(w));
    const type = isCalloutType(name) ? name : (typed ?? 'note');
    const title = named.get('title') ?? positional.find((w) => w !== typed);
    const folds = name === 'details';
    this.open.push({ marker: `hugo:${name}`, close: calloutClose(folds) });
    return { consumed: 1, out: calloutOpen(type, title ?? (folds ? 'Details' : undefined), folds ? 'closed' : undefined) };
  }

  /** Docusaurus's `<Tabs>` and `<TabItem value="x" label="X">`, each on a line of its own: stacked tabs. */
  private tabComponent(line: string): BlockResult | undefined {
    const tag = TAB_COMPONENT.exec(line);
    if (!tag) return undefined;
    const [, closing, name, attrs] = tag;
    if (name === 'Tabs') return { consumed: 1, out: '' };
    if (closing) {
      const at = this.findOpen('TabItem');
      return at < 0 ? { consumed: 1, out: TAB_CLOSE } : { consumed: 1, out: this.closeFrom(at) };
    }
    const values = namedArgs(attrs ?? '');
    this.open.push({ marker: 'TabItem', close: TAB_CLOSE });
    return { consumed: 1, out: tabOpen(values.get('label') ?? values.get('value') ?? '') };
  }

  /** The innermost open container `marker` closes, or -1. */
  private findOpen(marker: string): number {
    for (let at = this.open.length - 1; at >= 0; at--) if (this.open[at]!.marker === marker) return at;
    return -1;
  }

  /** Closes the container at `at` and any left open inside it. */
  private closeFrom(at: number): string {
    let out = '';
    while (this.open.length > at) out += this.open.pop()!.close;
    return out;
  }
}

/** After a container's name: `[label]`, `{attrs}` and a title, in any order the tools write them. */
function splitRest(rest: string): { label: string | undefined; attrs: Map<string, string>; title: string } {
  let text = rest;
  let label: string | undefined;
  let attrs = new Map<string, string>();
  const labelAt = /^\s*\[([^\]]*)\]/.exec(text);
  if (labelAt) {
    label = labelAt[1]!.trim() || undefined;
    text = text.slice(labelAt[0].length);
  }
  const attrsAt = /^\s*\{([^}]*)\}/.exec(text);
  if (attrsAt) {
    attrs = namedArgs(attrsAt[1]!);
    text = text.slice(attrsAt[0].length);
  }
  return { label, attrs, title: text.trim() };
}

/** A Nuxt/MDC props block (`---`, `key: value` lines, `---`) right after an opening line. */
function propsBlock(lines: readonly string[], from: number): { lines: number; values: Map<string, string> } | undefined {
  if (lines[from]?.trim() !== '---') return undefined;
  const values = new Map<string, string>();
  for (let at = from + 1; at < lines.length && at <= from + MAX_PROPS_LINES; at++) {
    const line = lines[at]!;
    if (line.trim() === '---') return { lines: at - from + 1, values };
    const pair = /^\s*([\w-]+)\s*:\s*(.*)$/.exec(line);
    if (pair) values.set(pair[1]!, unquote(pair[2]!.trim()));
  }
  return undefined;
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/** `key=value`, `key="a b"`, `key='a'`, a bare `key`, `.class` and `#id` (kept out). */
function namedArgs(args: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of args.matchAll(/([\w-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'}]+)))?/g)) {
    const before = m.index === 0 ? '' : args.charAt(m.index - 1);
    if (before === '.' || before === '#') continue;
    map.set(m[1]!.toLowerCase(), m[2] ?? m[3] ?? m[4] ?? '');
  }
  return map;
}

/** A link target markdown can hold as written: no spaces, no brackets, no scheme that runs. */
function isPlainRef(ref: string): boolean {
  return /^[^\s()<>]+$/.test(ref) && !/^(?:javascript|data|vbscript):/i.test(ref);
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\[\]])/g, '\\$1');
}
