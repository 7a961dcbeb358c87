/**
 * Key marks of pymdownx.keys (MkDocs): `++ctrl+alt+del++` is the keys
 * `<kbd>Ctrl</kbd>+<kbd>Alt</kbd>+<kbd>Del</kbd>`. Only names of letters,
 * digits, `_` and `-` joined by `+` are read, so `C++` and `i++ + ++j`
 * stay text; code spans are never looked into (marked reads them first).
 */
import type { MarkedExtension, Tokens } from 'marked';
import { escapeHtml } from '../html/escape.js';

/**
 * How far ahead a key mark is looked for from where marked stands. Past it,
 * text runs on to the next character marked stops at anyway (a bracket,
 * emphasis, a backtick, a tag), where the look starts again.
 */
const START_WINDOW = 1024;

/**
 * A key mark, never run on into a word, a `+` or a dotted name after it
 * (`++a++.++a++`): marked's e-mail autolink scans such a run from every
 * step, so marks chained by them would make the line quadratic.
 */
const KEYS_SOURCE = String.raw`\+\+([A-Za-z0-9][\w-]{0,30}(?:\+[A-Za-z0-9][\w-]{0,30}){0,9})\+\+(?![\w+-]|\.[\w.+-])`;
const KEYS = new RegExp(`^${KEYS_SOURCE}`);
const KEYS_AHEAD = new RegExp(KEYS_SOURCE);

/** How pymdownx.keys names the common keys. */
const NAMES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    ctrl: 'Ctrl',
    control: 'Ctrl',
    alt: 'Alt',
    option: 'Option',
    shift: 'Shift',
    cmd: 'Cmd',
    command: 'Cmd',
    meta: 'Meta',
    win: 'Win',
    windows: 'Win',
    super: 'Super',
    fn: 'Fn',
    del: 'Del',
    delete: 'Del',
    backspace: 'Backspace',
    enter: 'Enter',
    return: 'Return',
    esc: 'Esc',
    escape: 'Esc',
    tab: 'Tab',
    space: 'Space',
    insert: 'Ins',
    ins: 'Ins',
    home: 'Home',
    end: 'End',
    'page-up': 'Page Up',
    'page-down': 'Page Down',
    up: '↑',
    'arrow-up': '↑',
    down: '↓',
    'arrow-down': '↓',
    left: '←',
    'arrow-left': '←',
    right: '→',
    'arrow-right': '→',
  }),
);

function keyName(key: string): string {
  const known = NAMES.get(key.toLowerCase());
  if (known) return known;
  if (key.length === 1) return key.toUpperCase();
  return key.charAt(0).toUpperCase() + key.slice(1);
}

interface KeysToken extends Tokens.Generic {
  type: 'keys';
  keys: string[];
}

export function keyMarks(): MarkedExtension {
  return {
    extensions: [
      {
        name: 'keys',
        level: 'inline',
        // Looked for this far ahead only: marked asks at every step of a line, and a scan to the end each time is quadratic.
        start(src: string) {
          // Only where a mark is, so text is never cut (and scanned again) at a `++` that is none.
          const window = src.length > START_WINDOW ? src.slice(0, START_WINDOW) : src;
          const first = window.indexOf('++');
          if (first < 0) return undefined;
          const at = window.slice(first).search(KEYS_AHEAD);
          return at < 0 ? undefined : first + at;
        },
        tokenizer(src: string) {
          const match = KEYS.exec(src);
          if (!match) return undefined;
          return { type: 'keys', raw: match[0], keys: match[1]!.split('+') } satisfies KeysToken;
        },
        renderer(token) {
          return (token as KeysToken).keys.map((key) => `<kbd>${escapeHtml(keyName(key))}</kbd>`).join('+');
        },
      },
    ],
  };
}
