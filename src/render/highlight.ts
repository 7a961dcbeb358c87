/**
 * Syntax highlighting for fenced code blocks, done once at render time (the
 * rendered page is cached), so readers get coloured code with no client
 * script. The output is plain `<span class="hljs-…">` elements: no inline
 * styles, so a strict Content-Security-Policy and the HTML sanitiser keep it.
 * The colours live in public/style.css, for the light and the dark scheme.
 */
import { createRequire } from 'node:module';
import type { HLJSApi, LanguageFn } from 'highlight.js';
import type { MarkedExtension } from 'marked';
import { markedHighlight } from 'marked-highlight';

// highlight.js's common set (about 35 languages: JS/TS, Python, Go, Rust,
// shell, SQL, YAML …) plus the ones technical posts often show beside them.
// Loading all 190 would cost start-up time for languages nobody writes here.
const EXTRA_LANGUAGES = ['dockerfile', 'elixir', 'haskell', 'nginx', 'powershell', 'protobuf', 'scala'] as const;

const require = createRequire(import.meta.url);
let loaded: HLJSApi | undefined;

/**
 * highlight.js with its languages, loaded by the first code block (its
 * CommonJS build, so synchronously, inside a render): about 130 ms that the
 * server's main thread, which renders only inline markdown, never spends.
 * Render threads load it when they start (`loadHighlighting` in
 * src/render/render-worker.ts), so no render pays it.
 */
export function loadHighlighting(): HLJSApi {
  if (loaded) return loaded;
  const hljs = require('highlight.js/lib/common') as HLJSApi;
  for (const name of EXTRA_LANGUAGES) {
    if (!hljs.getLanguage(name)) hljs.registerLanguage(name, require(`highlight.js/lib/languages/${name}`) as LanguageFn);
  }
  loaded = hljs;
  return hljs;
}

/**
 * The longest code block that is highlighted; a longer one is shown as plain
 * code. Some highlight.js grammars are quadratic on hostile input (java on a
 * run of `$`: 8,000 characters took 300 ms, 30,000 took 8 s; ini, scss and
 * haskell have such paths too), so the size is what bounds the time.
 * Code this long is a listing to scroll, not to read in colour.
 */
export const HIGHLIGHT_MAX_CHARS = 10_000;

/**
 * Highlights code whose fence names a language highlight.js knows
 * (```ts, ```python, ```sh …). A fence with no language, or one it does not
 * know, is left as escaped plain text: guessing would colour prose and
 * console output wrongly.
 */
export function highlightCode(code: string, lang: string): string {
  const language = lang.toLowerCase();
  if (!language || code.length > HIGHLIGHT_MAX_CHARS) return code;
  const hljs = loadHighlighting();
  if (!hljs.getLanguage(language)) return code;
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}

/** The marked extension: `<pre><code class="hljs language-ts">…</code></pre>`. */
export function codeHighlighting(): MarkedExtension {
  return markedHighlight({
    langPrefix: 'hljs language-',
    emptyLangClass: 'hljs',
    highlight: highlightCode,
  });
}
