/**
 * Template syntax of other generators in a copied post's body: rendered
 * where it has a plain meaning, otherwise left visible (as code text, so no
 * autolinker pulls `">}}` into a link) and named for `npm run check`.
 *
 * Rendered:
 * - Liquid `{% highlight ruby %}…{% endhighlight %}`, Hexo
 *   `{% codeblock lang:js %}…{% endcodeblock %}`, Hugo `{{< highlight go >}}`:
 *   a fenced code block.
 * - `{% link _posts/2017-01-18-x.md %}`, `{% post_url 2013-05-06-x %}`, Hexo
 *   `{% post_link x [title] %}`, Hugo `{{< ref "x" >}}`: the post's address;
 *   Jekyll's `{{ site.baseurl }}` and `{{ "/x" | relative_url }}`: the path.
 * - Hugo `{{< figure src="x" caption="y" >}}`, `{{< youtube id >}}`,
 *   `{{< gist user id >}}`, Hexo `{% asset_img x title %}`: an image or a link.
 * - Admonitions, callouts, directives and tabs of other tools (`:::tip`,
 *   `!!! note`, `=== "Tab"`, `{{% alert %}}`, `{% note %}`, `::name{…}`):
 *   src/content/foreign-blocks.ts.
 * - Attribute lists (`{: .class }`, `{ loading=lazy }`, `## A {#id}`) go;
 *   an inline directive `:name[text]` is its text.
 * - `{% raw %}` markers go (their content is kept as written), `{% comment %}`
 *   blocks and MDX `{/* … *\/}` comments go; in an `.mdx` file MDX
 *   `import`/`export` lines go (named), in markdown they are text.
 *
 * Liquid runs before markdown, so `{% raw %}` markers go even inside code;
 * every other tag inside code is the author showing the syntax, and stays.
 *
 * Pure and synchronous; bodies with none of this syntax are returned as they are.
 */
import { BlockMarkup } from './foreign-blocks.js';
import { lineAt } from './line-at.js';

export interface MarkupNotice {
  /** 1-based line in the body. */
  readonly line: number;
  readonly message: string;
}

export interface TranslatedMarkup {
  readonly markdown: string;
  /** One per kind of leftover, at its first line. */
  readonly notices: readonly MarkupNotice[];
}

export interface MarkupOptions {
  /** The address of the post whose file or slug is `name` (`2013-05-06-x`, `x`). */
  postPath: (name: string) => string;
  /** The file is MDX (`.mdx`): its `import`/`export` lines are code, not text. */
  mdx?: boolean | undefined;
}

/** A cheap test: none of the syntax below can occur without one of these. */
const MAYBE_FOREIGN =
  /\{[%{:#.]|\{[ \t]*[.#]|\{[ \t]*[\w-]+=|\{\/\*|^ {0,3}::|^(?:import|export)\s|<[A-Z]|^[ \t]{0,4}(?:!!!|\?\?\?|===)|(?:^|[\s(])::?[a-z][\w-]*\[|\[\[?(?:TOC|toc)\]|:(?:material|fontawesome|octicons|simple)-[a-z]/m;

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const CODE_OPEN = /^\s*(?:\{%-?\s*(highlight|codeblock|code)\b([^%]*)-?%\}|\{\{<\s*(highlight)\s+([^>]*?)\s*>\}\})\s*$/;
const CODE_CLOSE = /^\s*(?:\{%-?\s*end(?:highlight|codeblock|code)\s*-?%\}|\{\{<\s*\/\s*highlight\s*>\}\})\s*$/;
const COMMENT_OPEN = /^\s*\{%-?\s*comment\s*-?%\}/;
const COMMENT_CLOSE = /\{%-?\s*endcomment\s*-?%\}\s*$/;
const MDX_IMPORT = /^import\s+(?:[\w*{}\s,$]+\s+from\s+)?['"][^'"]+['"];?\s*$/;
const MDX_EXPORT =
  /^export\s+(?:default\s+(?:function|class|async|\{|[\w.]+;?\s*$)|const\s|let\s|var\s|function[\s*]|class\s|async\s+function|interface\s|type\s+\w+\s*=|\{)/;
/**
 * Tags, shortcodes and MDX comments. What may sit inside one is bounded, and
 * never holds the opening of another: a post of 2 MB of `{%` with no `%}` is
 * scanned in linear time, not quadratic (a hostile post must not stall the
 * start-up scan).
 */
const LIQUID_TAG = /\{%-?\s*(\w+)\s*((?:[^%{]|%(?!\})|\{(?!%)){0,1000}?)\s*-?%\}/g;
const HUGO_SHORTCODE =
  /\{\{<\s*(\/?)\s*([\w.-]+)((?:[^>{]|>(?!\}\})|\{(?!\{)){0,1000}?)>\}\}|\{\{%\s*(\/?)\s*([\w.-]+)((?:[^%{]|%(?!\}\})|\{(?!\{)){0,1000}?)%\}\}/g;
const MDX_COMMENT = /\{\/\*((?:[^*{]|\*(?!\/\})|\{(?!\/\*)){0,5000})\*\/\}/g;
const RAW_OPEN = /\{%-?\s*raw\s*-?%\}/g;
const RAW_CLOSE = /\{%-?\s*endraw\s*-?%\}/g;
const RAW_MARKER = /\{%-?\s*(?:end)?raw\s*-?%\}/g;
const INLINE_CODE = /(`+)[^`]*?[^`]\1(?!`)|(`+)[^`]\2(?!`)/g;
/**
 * Attribute lists (Python-Markdown, kramdown, Pandoc): `{: .class }`,
 * `{ loading=lazy }`, `{#id .class}`, each item an id, a class or a
 * `key=value`, after an image or link, or ending a line or alone on it.
 */
const ATTR_ITEM = String.raw`(?:[#.][\w-]+|[\w-]+=(?:"[^"\n]{0,200}"|'[^'\n]{0,200}'|[^\s"'}]{1,200}))`;
const ATTR_LIST = new RegExp(
  String.raw`(?<=\))[ \t]?\{:?[ \t]*${ATTR_ITEM}(?:[ \t]+${ATTR_ITEM}){0,20}[ \t]*\}|(?<![ \t\\])[ \t]*\{:?[ \t]*${ATTR_ITEM}(?:[ \t]+${ATTR_ITEM}){0,20}[ \t]*\}[ \t]*(?=\n|$)`,
  'g',
);
/** MkDocs Material's icon shortcodes, with the attribute list one may carry. */
const ICON = /:(?:material|fontawesome|octicons|simple)-[a-z0-9-]{1,100}:(?:\{[^}\n]{0,200}\})?/g;
/** An emoji code's attribute list (`:one:{style="..."}`, pymdownx). */
const EMOJI_ATTRS = /(:[a-z0-9_+-]{1,50}:)\{[^}\n]{0,200}\}/g;
/** Kramdown's attribute list alone on its line (`{: .note}`), which may name no item (`{:toc}`). */
const ATTR_LINE = /^[ \t]*\{:[^}\n]{0,200}\}[ \t]*$/gm;
/** `:abbr[HTML]`, `::badge[New]{…}`: a directive inside a line, written with its label; its label is its text. */
const INLINE_DIRECTIVE = /(^|[\s(])::?([a-z][\w-]{0,40})\[([^\]\n]{0,300})\](?:\{[^}\n]{0,300}\})?/g;

/** False when the body cannot hold any of the syntax: `indexOf` rules most bodies out before any regex runs. */
export function mayHoldForeignMarkup(body: string): boolean {
  if (
    !body.includes('{') &&
    !body.includes('::') &&
    !body.includes('port') &&
    !body.includes('<') &&
    !body.includes('!!!') &&
    !body.includes('???') &&
    !body.includes('===') &&
    !(body.includes(':') && body.includes('[')) &&
    !body.includes('TOC]') &&
    !body.includes('toc]')
  )
    return false;
  return MAYBE_FOREIGN.test(body);
}

export function translateMarkup(body: string, options: MarkupOptions): TranslatedMarkup {
  if (!mayHoldForeignMarkup(body)) return { markdown: body, notices: [] };
  const notices = new Notices();
  // Lines as a Windows editor saves them (`:::\r\n`) are read as any others; a line stays a line, so
  // every notice keeps its line number.
  const markdown = translateLines(body.includes('\r') ? body.replace(/\r\n?/g, '\n') : body, 1, 0, options, notices);
  return { markdown, notices: notices.list() };
}

/** `body` from its line `firstLine`; `depth`: how deep inside indented forms (src/content/foreign-blocks.ts) it is. */
function translateLines(body: string, firstLine: number, depth: number, options: MarkupOptions, notices: Notices): string {
  const lines = body.split('\n');
  const out: string[] = [];
  /** Lines of prose waiting for the inline pass, with the line number of the first. */
  let prose: string[] = [];
  let proseStart = 1;
  const flushProse = (): void => {
    if (prose.length) out.push(translateInline(prose.join('\n'), proseStart, options, notices));
    prose = [];
  };
  const emit = (line: string): void => {
    flushProse();
    out.push(line);
  };

  let fence: string | undefined;
  /** Inside a `{% highlight %}`-style block: its lines are code. */
  let liquidCode = false;
  let inComment = false;
  let inExport = false;
  const blocks = new BlockMarkup({
    depth,
    notice: (kind, line, message) => notices.add(kind, line, message),
    translate: (inner, innerFirstLine, innerDepth) => translateLines(inner, innerFirstLine, innerDepth, options, notices),
  });

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineNo = firstLine + i;
    if (fence !== undefined) {
      emit(line.replace(RAW_MARKER, ''));
      const close = FENCE.exec(line);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length && !line.slice(close[0].length).trim()) fence = undefined;
      continue;
    }
    if (liquidCode) {
      if (CODE_CLOSE.test(line)) {
        emit('```');
        liquidCode = false;
      } else emit(line.replace(RAW_MARKER, ''));
      continue;
    }
    if (inComment) {
      if (COMMENT_CLOSE.test(line)) inComment = false;
      flushProse();
      continue;
    }
    if (inExport) {
      if (!line.trim()) inExport = false;
      flushProse();
      continue;
    }
    const fenceOpen = FENCE.exec(line);
    if (fenceOpen) {
      fence = fenceOpen[1]!;
      emit(line);
      continue;
    }
    const code = CODE_OPEN.exec(line);
    if (code) {
      emit(`\`\`\`${codeLanguage(code[1] ? code[2]! : code[4]!)}`);
      liquidCode = true;
      continue;
    }
    if (COMMENT_OPEN.test(line)) {
      if (!COMMENT_CLOSE.test(line)) inComment = true;
      flushProse();
      continue;
    }
    if (options.mdx && (MDX_IMPORT.test(line) || MDX_EXPORT.test(line))) {
      notices.add('mdx', lineNo, 'MDX import/export lines are left out (Lede renders .mdx as markdown and runs no components)');
      if (MDX_EXPORT.test(line) && !/[;}]\s*$/.test(line)) inExport = true;
      flushProse();
      continue;
    }
    const block = blocks.take(lines, i, lineNo);
    if (block) {
      emit(block.out);
      i += block.consumed - 1;
      continue;
    }
    if (!prose.length) proseStart = lineNo;
    prose.push(line);
  }
  flushProse();
  // A container left open would leave its HTML open: closed at the end of the post.
  const unclosed = blocks.finish();
  if (unclosed) out.push(unclosed);
  return out.join('\n');
}

/** `ruby`, `ruby linenos`, `[title] lang:js`, `go "linenos=table"` → the language. */
function codeLanguage(args: string): string {
  const lang = /\blang:([\w+#.-]+)/.exec(args);
  if (lang) return lang[1]!;
  const first = args.trim().split(/\s+/)[0] ?? '';
  return /^[\w+#.-]+$/.test(first) ? first : '';
}

/** The inline pass over prose (never fenced code): tags, shortcodes and components. */
function translateInline(text: string, firstLine: number, options: MarkupOptions, notices: Notices): string {
  const lineOfIndex = (index: number): number => firstLine - 1 + lineAt(text, index);
  // Held aside while the rest is rewritten: `{% raw %}` content, and code spans.
  const held: string[] = [];
  const hold = (value: string): string => `\u0000${held.push(value) - 1}\u0000`;
  // A `{% raw %}` whose `{% endraw %}` is past a code block (the block is in another pass): the marker goes alone.
  let work = holdRaw(text, hold).replace(RAW_MARKER, '');
  work = work.replace(INLINE_CODE, (span) => hold(span.replace(RAW_MARKER, '')));
  // Positions in `work` no longer match `text` once something is held: notices
  // look their line up by the tag's own text, first occurrence.
  const lineOf = (raw: string): number => {
    const at = text.indexOf(raw);
    return at < 0 ? firstLine : lineOfIndex(at);
  };

  // MDX comments go; Docusaurus's `{/* truncate */}` stays an excerpt separator, in the markdown way.
  work = work.replace(MDX_COMMENT, (_m, inner: string) => (/^\s*truncate\s*$/i.test(inner) ? '<!-- truncate -->' : ''));
  work = work.replace(HUGO_SHORTCODE, (raw, ...groups: (string | undefined)[]) => {
    const [closingA, nameA, argsA, closingB, nameB, argsB] = groups as (string | undefined)[];
    const closing = closingA ?? closingB ?? '';
    const name = (nameA ?? nameB)!;
    const rendered = closing ? undefined : hugoShortcode(name, argsA ?? argsB ?? '', options);
    if (rendered !== undefined) return rendered;
    const [open, close] = closingB !== undefined ? ['{{%', '%}}'] : ['{{<', '>}}'];
    notices.add(
      `hugo:${name}`,
      lineOf(raw),
      `Hugo shortcode ${open} ${name} ${close} is shown as text (Lede has no shortcodes); remove it or replace it with markdown`,
    );
    return hold(leftover(raw));
  });
  // After Hugo's shortcodes: `{{% alert %}}` holds a `{% alert %}`.
  work = work.replace(LIQUID_TAG, (raw, name: string, args: string) => {
    const rendered = liquidTag(name, args, options);
    if (rendered !== undefined) return rendered;
    notices.add(`liquid:${name}`, lineOf(raw), `Liquid tag {% ${name} %} is shown as text (Lede runs no templates); remove it or replace it with markdown`);
    return hold(leftover(raw));
  });
  work = work.replace(ATTR_LINE, '').replace(ATTR_LIST, '');
  // MkDocs Material's icons (`:fontawesome-brands-github:`, `:material-clock:`) draw an SVG Lede does not
  // have: left out, with the attribute list they carry; an emoji code keeps its text without its list.
  work = work.replace(ICON, (raw) => {
    notices.add('icon', lineOf(raw), `icon ${raw.replace(/\{.*$/, '')} is left out (MkDocs Material's icons are its own)`);
    return '';
  });
  work = work.replace(EMOJI_ATTRS, '$1');
  work = work.replace(INLINE_DIRECTIVE, (raw, before: string, name: string, label: string) => {
    notices.add(`directive:${name}`, lineOf(raw.trimStart()), `directive :${name}[…] is shown as its text (Lede has no such component)`);
    return before + label;
  });
  // Not `style={{ ... }}`: a JSX attribute in a tag, which the sanitizer judges with its tag.
  work = work.replace(/(?<!=)\{\{-?\s*([^{}\n]{1,200}?)\s*-?\}\}/g, (raw, expression: string) => {
    const address = siteAddress(expression);
    if (address !== undefined) return address;
    notices.add('liquid-output', lineOf(raw), `template output ${raw.length > 40 ? `${raw.slice(0, 37)}…` : raw} is shown as text (Lede runs no templates)`);
    return hold(leftover(raw));
  });
  for (const match of work.matchAll(/<([A-Z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*)[\s/>]/g)) {
    const name = match[1]!;
    notices.add(
      `component:${name}`,
      lineOf(`<${name}`),
      `component <${name}> is shown as its text (Lede runs no components); replace it with markdown or HTML`,
    );
  }
  // Held values may hold others (`{% raw %}` inside a code span): restore until none is left.
  while (work.includes('\u0000')) work = work.replace(/\u0000(\d+)\u0000/g, (_m, n: string) => held[Number(n)]!);
  return work;
}

/** `{% raw %}…{% endraw %}` pairs held aside, found with one forward scan (linear whatever the input). */
function holdRaw(text: string, hold: (value: string) => string): string {
  let out = '';
  let at = 0;
  for (;;) {
    RAW_OPEN.lastIndex = at;
    const open = RAW_OPEN.exec(text);
    if (!open) break;
    RAW_CLOSE.lastIndex = open.index + open[0].length;
    const close = RAW_CLOSE.exec(text);
    // No `{% endraw %}` after this one: none after any later one either.
    if (!close) break;
    out += text.slice(at, open.index) + hold(text.slice(open.index + open[0].length, close.index));
    at = close.index + close[0].length;
  }
  return out + text.slice(at);
}

function liquidTag(name: string, args: string, options: MarkupOptions): string | undefined {
  const words = splitArgs(args);
  switch (name) {
    case 'link':
    case 'post_url':
      return words[0] ? options.postPath(fileStem(words[0])) : undefined;
    case 'post_link': {
      if (!words[0]) return undefined;
      const title = words.slice(1).join(' ') || words[0];
      return `[${escapeMarkdown(title)}](${options.postPath(fileStem(words[0]))})`;
    }
    case 'asset_img':
    case 'asset_image': {
      if (!words[0]) return undefined;
      return `![${escapeMarkdown(words.slice(1).join(' '))}](${words[0]})`;
    }
    default:
      return undefined;
  }
}

function hugoShortcode(name: string, args: string, options: MarkupOptions): string | undefined {
  const named = namedArgs(args);
  const words = splitArgs(args);
  switch (name) {
    case 'ref':
    case 'relref':
      return words[0] ? options.postPath(fileStem(words[0].replace(/#.*$/, ''))) : undefined;
    case 'figure': {
      const src = named.get('src');
      if (!src) return undefined;
      const alt = named.get('alt') ?? named.get('caption') ?? named.get('title') ?? '';
      return `![${escapeMarkdown(alt)}](${src})`;
    }
    case 'youtube': {
      const id = named.get('id') ?? words.find((w) => !w.includes('='));
      return id && /^[\w-]+$/.test(id) ? `[YouTube video ${id}](https://www.youtube.com/watch?v=${id})` : undefined;
    }
    case 'vimeo': {
      const id = named.get('id') ?? words.find((w) => !w.includes('='));
      return id && /^\d+$/.test(id) ? `[Vimeo video ${id}](https://vimeo.com/${id})` : undefined;
    }
    case 'gist': {
      const [user, id] = words;
      return user && id && /^[\w-]+$/.test(user) && /^\w+$/.test(id) ? `[Gist ${id}](https://gist.github.com/${user}/${id})` : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Jekyll's ways of writing an address on the site, which mean the address
 * itself on a site served at its root: `{{ site.baseurl }}` and
 * `{{ site.url }}` (nothing before a path), `{{ "/img/a.png" | relative_url }}`
 * (and `absolute_url`, `prepend: site.baseurl`) the path.
 */
function siteAddress(expression: string): string | undefined {
  const text = expression.trim();
  if (/^site\.(baseurl|url)$/.test(text)) return '';
  const filtered = /^(["'])([^"'\s]*)\1\s*\|\s*(?:relative_url|absolute_url|prepend:\s*site\.(?:baseurl|url))\s*$/.exec(text);
  return filtered ? filtered[2] : undefined;
}

/**
 * Left visible, as code text. Markdown still reads the text inside inline
 * HTML, so every character that could start a link, an autolink or emphasis
 * is written as a character reference: the reader sees the tag as written.
 */
function leftover(raw: string): string {
  const inert = escapeText(raw).replace(/[:.@*_~`[\]\\]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<code class="leftover">${inert}</code>`;
}

/** `_posts/2017-01-18-x.markdown` → `2017-01-18-x`; `x.md#part` → `x`. */
function fileStem(ref: string): string {
  const base = ref.split('/').pop() ?? ref;
  return base.replace(/#.*$/, '').replace(/\.(md|markdown|mdx|html)$/i, '');
}

function splitArgs(args: string): string[] {
  return [...args.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

function namedArgs(args: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of args.matchAll(/(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))/g)) map.set(m[1]!, m[2] ?? m[3] ?? m[4]!);
  return map;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\[\]])/g, '\\$1');
}

/** The first notice of each kind. */
class Notices {
  private readonly byKind = new Map<string, MarkupNotice>();

  add(kind: string, line: number, message: string): void {
    if (!this.byKind.has(kind)) this.byKind.set(kind, { line, message });
  }

  list(): MarkupNotice[] {
    return [...this.byKind.values()].sort((a, b) => a.line - b.line);
  }
}
