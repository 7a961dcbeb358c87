/**
 * The configuration reference in docs/configuration.md, made from the zod
 * schemas that the server itself validates with (`envSchema` in
 * src/config.ts, `settingsSchema` in src/settings.ts).
 *
 * Names, value types, bounds and defaults come from the schemas; only the
 * meaning of each field is written here, in maps keyed by the schemas' own
 * keys, so a variable or setting added to a schema without a line here fails
 * `tsc` (and so `npm test`), and one removed from the schema leaves an extra
 * key that fails it too. `npm run docs:config` writes the tables between the
 * markers of the page; test/docs/configuration.test.ts fails when the page
 * is not what this module would write.
 */
import { z } from 'zod';
import { envSchema } from '../../src/config.js';
import { settingsSchema } from '../../src/settings.js';

/** What the schema cannot say about a field. */
export interface FieldDoc {
  /** What it does, in one line of markdown. */
  readonly meaning: string;
  /**
   * What happens when it is not set, for a field without a schema default
   * (or whose schema default is not what a reader should see, e.g. a value
   * derived from another field). Written as markdown.
   */
  readonly unset?: string;
}

type EnvKey = keyof typeof envSchema.shape;
type SettingKey = keyof typeof settingsSchema.shape;

export const ENV_DOCS: { readonly [K in EnvKey]: FieldDoc } = {
  PORT: { meaning: 'port to listen on' },
  HOST: {
    meaning:
      'address to listen on; outside production the unset default serves this machine only, as development shows drafts (`HOST=0.0.0.0` to reach it from elsewhere)',
    unset: 'all interfaces in production, `127.0.0.1` otherwise',
  },
  CONTENT_DIR: {
    meaning:
      'the folder of posts, relative to where the server starts; or the root of a whole blog repository (Jekyll, Hugo, Hexo, Zola, Eleventy, Astro, …), read by its own layout (see [A whole blog repository](moving-from-another-generator.md#a-whole-blog-repository))',
  },
  SITE_URL: {
    meaning: 'absolute base for canonical links, feeds, the sitemap, link previews and the static export',
    unset: "the base URL of a whole blog repository's config (`url`, `baseURL`, `base_url`), else `http://localhost:$PORT`",
  },
  NODE_ENV: { meaning: '`production` hides drafts and error details, and turns live reload off' },
  LOG_LEVEL: { meaning: 'pino level; `info` writes one access line per request, `warn` keeps only problems', unset: '`info` (`silent` when `NODE_ENV=test`)' },
  WEB_CONCURRENCY: { meaning: 'worker processes (`node:cluster`) sharing the port; each checks the files itself' },
  CACHE_CONTROL: { meaning: '`Cache-Control` of pages (see [Deploying](deploying.md#behind-a-cdn))' },
  CACHE_MAX_BYTES: { meaning: 'byte budget of the in-memory page cache, bodies and prepared headers (32 MiB: about 1,100 articles in all three encodings)' },
  PURGE_URL: { meaning: 'where the surrogate keys of changed pages are POSTed (see [Behind a CDN](deploying.md#behind-a-cdn))', unset: 'no purging' },
  MAX_POST_BYTES: { meaning: 'a post file above this size (2 MiB) is reported as a problem, not read' },
  CONTENT_WATCH: {
    meaning:
      '`watch`: the content folder is watched for changes; `poll`: listed every second, for file systems without change events (NFS, SMB, some container mounts)',
  },
  IMAGE_CACHE_DIR: {
    meaning:
      'where image variants and social cards are kept (see [Images](rich-content.md#images)); must be outside the content folder; safe to delete at any time',
    unset: '`$TMPDIR/lede-images`',
  },
  IMAGE_CACHE_MAX_BYTES: { meaning: 'byte budget of that folder (512 MiB): past it, the oldest files are removed first' },
  THEME_DIR: {
    meaning: 'a folder with `views/` and `assets/` whose files replace the built-in ones (see [Themes](themes.md)); start-up stops when it is not a folder',
    unset: 'the built-in theme',
  },
  RENDER_TIMEOUT_MS: {
    meaning:
      "time limit of one post body's render on a render thread; a post over it (twice) is a content error, left out and named (see [the render budget](security.md#the-render-budget))",
  },
};

export const SETTING_DOCS: { readonly [K in SettingKey]: FieldDoc } = {
  title: { meaning: 'site name, in the header and page titles' },
  description: { meaning: 'shown under the index heading and in the footer' },
  author: { meaning: 'author of posts that name none' },
  cta: { meaning: 'default call-to-action after each article (inline markdown)' },
  nav: { meaning: 'header links, e.g. `- { label: About, url: /about }`; the current page is marked' },
  timezone: { meaning: 'IANA zone in which date-only posts go live at midnight' },
  locale: { meaning: 'how dates are written (`9 February 2024`)' },
  posts_per_page: { meaning: 'posts on each index, tag and author page' },
  raw_html: { meaning: 'let raw HTML in posts through unsanitized: only if every author is trusted (see [Security](security.md))' },
  logo: { meaning: 'an image before the title in the header: a site path (`/img/logo.svg`, from `content/static/`) or an http(s) URL', unset: 'none' },
  accent_color: {
    meaning:
      "the colour of links, rules and focus rings; the dark scheme's accent, the call-to-action panel and the diagrams are derived from it, each readable at WCAG AA (see [Colour that holds](themes.md#colour-that-holds))",
    unset: "the theme's (`#a4262c`)",
  },
  accent_color_dark: { meaning: 'the accent of the dark colour scheme, instead of the one derived from `accent_color`', unset: 'derived from `accent_color`' },
  fonts: {
    meaning:
      "`bundled`: Source Serif 4 and Source Sans 3, served by Lede (about 93 KB, Latin); `system`: the reader's own fonts, nothing to download (see [Type](themes.md#type))",
  },
  footer_text: { meaning: "the footer's line (inline markdown: links allowed)", unset: '`© <year> <title> · <description>`' },
};

/** The subset of JSON Schema that `z.toJSONSchema` writes for our fields. */
interface JsonSchemaField {
  readonly type?: string;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly format?: string;
  readonly pattern?: string;
  readonly items?: JsonSchemaField;
  readonly properties?: Readonly<Record<string, JsonSchemaField>>;
  readonly anyOf?: readonly JsonSchemaField[];
}

/** Larger than any bound a person would write: zod's "no maximum" for integers. */
const NO_BOUND = Number.MAX_SAFE_INTEGER;

const code = (value: unknown): string => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;

/** "an integer from 0 to 65535", "one of `a`, `b`": what the schema accepts, in words. */
export function describeValue(field: JsonSchemaField): string {
  if (field.enum) return `one of ${field.enum.map(code).join(', ')}`;
  if (field.anyOf) return field.anyOf.map(describeValue).join(', or ');
  switch (field.type) {
    case 'integer':
    case 'number': {
      const noun = field.type === 'integer' ? 'an integer' : 'a number';
      const { minimum: min, maximum: max } = field;
      if (min !== undefined && max !== undefined && max < NO_BOUND) return `${noun} from ${min} to ${max}`;
      if (min !== undefined) return `${noun}, at least ${min}`;
      if (max !== undefined && max < NO_BOUND) return `${noun}, at most ${max}`;
      return noun;
    }
    case 'boolean':
      return '`true` or `false`';
    case 'array':
      return field.items ? `a list, each ${describeValue(field.items)}` : 'a list';
    case 'object':
      return field.properties ? `\`{ ${Object.keys(field.properties).join(', ')} }\`` : 'a mapping';
    case 'string':
      if (field.format === 'uri') return 'an http(s) URL';
      if (field.pattern?.startsWith('^#')) return 'a CSS hex colour (`#1e6fd9`, `#0a7`)';
      return 'text';
    default:
      return 'any value';
  }
}

function describeDefault(field: JsonSchemaField, doc: FieldDoc): string {
  if (doc.unset !== undefined) return doc.unset;
  if (field.default === undefined) return 'none';
  if (field.default === '') return 'empty';
  return code(field.default);
}

/** A markdown table of one schema's fields, in the schema's order. */
function table(schema: z.ZodObject, docs: Readonly<Record<string, FieldDoc>>, heading: string): string {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, JsonSchemaField> };
  const rows = Object.entries(json.properties ?? {}).map(([name, field]) => {
    const doc = docs[name];
    // The maps are typed by the schemas' keys, so this only happens if the types are bypassed.
    if (!doc) throw new Error(`${name}: no entry in scripts/docs/config-reference.ts`);
    return `| \`${name}\` | ${describeValue(field)} | ${describeDefault(field, doc)} | ${doc.meaning} |`;
  });
  return [`| ${heading} | value | default | meaning |`, '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** The environment table (`envSchema`). */
export function environmentTable(): string {
  return table(envSchema, ENV_DOCS, 'variable');
}

/** The `_site.yml` table (`settingsSchema`). */
export function settingsTable(): string {
  return table(settingsSchema, SETTING_DOCS, 'setting');
}

/** The generated regions of docs/configuration.md, by marker name. */
export const GENERATED: Readonly<Record<string, () => string>> = {
  environment: environmentTable,
  settings: settingsTable,
};

const NOTE = '<!-- generated by `npm run docs:config` from the zod schemas; edit scripts/docs/config-reference.ts, not this table -->';

/**
 * The page with every generated region replaced by what the schemas say now.
 * A region is `<!-- generated:NAME -->` … `<!-- /generated:NAME -->`; a page
 * without one of them is an error, so a marker deleted by hand is noticed.
 */
export function regenerate(page: string): string {
  let text = page;
  for (const [name, make] of Object.entries(GENERATED)) {
    const start = `<!-- generated:${name} -->`;
    const end = `<!-- /generated:${name} -->`;
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`docs/configuration.md: the markers ${start} … ${end} are missing`);
    text = `${text.slice(0, from + start.length)}\n${NOTE}\n\n${make()}\n${text.slice(to)}`;
  }
  return text;
}
