/**
 * Configuration, read once at start-up: defaults, then the environment, then
 * the site settings file inside the content folder. The result is validated,
 * frozen and passed in; nothing else in the code reads `process.env`.
 */
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { recogniseSite } from './site-config/recognise-site.js';
import { siteFieldsOf } from './site-config/site-fields.js';
import { LiveSettings, readSettingsFile, settingsSchema, type SiteSettings } from './settings.js';
import { describeIssue } from './validate/describe-issue.js';

export type { SiteSettings } from './settings.js';

/** The package root (one level above `src/` and `dist/`). */
export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

export type NodeEnv = 'production' | 'development' | 'test';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/**
 * Browsers revalidate every time (cheap: a 304); shared caches and CDNs may
 * keep a page 10 s and serve it stale for 30 s while they refetch it.
 */
export const DEFAULT_CACHE_CONTROL = 'public, max-age=0, s-maxage=10, stale-while-revalidate=30';

/**
 * The response cache's byte budget: about 2,000 article pages in all three
 * encodings, far more than the pages most read at any time.
 */
export const DEFAULT_CACHE_MAX_BYTES = 32 * 1024 * 1024;

/**
 * Image variants and social cards are kept on disk, outside the content
 * folder (the folder is the site: nothing generated goes into it). The
 * folder is a cache: safe to delete at any time, remade on demand.
 */
export const DEFAULT_IMAGE_CACHE_DIR = path.join(tmpdir(), 'lede-images');

/** The image cache's byte budget on disk: the oldest files go first past it. */
export const DEFAULT_IMAGE_CACHE_MAX_BYTES = 512 * 1024 * 1024;

/** Posts above this size are reported, not read: a 2 MB post is already a book. */
export const DEFAULT_MAX_POST_BYTES = 2 * 1024 * 1024;

/**
 * How long one post body may take to render on a render thread before it is
 * stopped and reported as too slow (a 2 MB post of ordinary prose takes
 * well under a second).
 */
export const DEFAULT_RENDER_TIMEOUT_MS = 5000;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).optional(),
  CONTENT_DIR: z.string().min(1).default('content'),
  SITE_URL: z.url({ protocol: /^https?$/ }).optional(),
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  LOG_LEVEL: z.enum(logLevels).optional(),
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  CACHE_CONTROL: z.string().min(1).default(DEFAULT_CACHE_CONTROL),
  CACHE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024 * 1024)
    .default(DEFAULT_CACHE_MAX_BYTES),
  PURGE_URL: z.url({ protocol: /^https?$/ }).optional(),
  MAX_POST_BYTES: z.coerce.number().int().min(1024).default(DEFAULT_MAX_POST_BYTES),
  CONTENT_WATCH: z.enum(['watch', 'poll']).default('watch'),
  THEME_DIR: z.string().min(1).optional(),
  RENDER_TIMEOUT_MS: z.coerce.number().int().min(50).default(DEFAULT_RENDER_TIMEOUT_MS),
  IMAGE_CACHE_DIR: z.string().min(1).optional(),
  IMAGE_CACHE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024 * 1024)
    .default(DEFAULT_IMAGE_CACHE_MAX_BYTES),
});

/** Parses the environment; throws a `ConfigError` naming the variable. */
export function readEnv(env: Env): z.infer<typeof envSchema> {
  const parsedEnv = envSchema.safeParse(env, { reportInput: true });
  if (!parsedEnv.success) {
    const issue = parsedEnv.error.issues[0]!;
    throw new ConfigError(`environment: ${describeIssue(issue)}`);
  }
  return parsedEnv.data;
}

export interface Config {
  readonly port: number;
  readonly host: string | undefined;
  /** Absolute path of the content folder. */
  readonly contentDir: string;
  /** Absolute base URL without a trailing slash. */
  readonly siteUrl: string;
  readonly env: NodeEnv;
  readonly logLevel: LogLevel;
  /** The built-in views (`views/`). */
  readonly viewsDir: string;
  /** The built-in assets (`public/`), served at `/_lede`. */
  readonly publicDir: string;
  /**
   * `THEME_DIR`: a folder with `views/` and `assets/` whose files replace
   * the built-in ones of the same relative path (docs/themes.md); absolute.
   */
  readonly themeDir: string | undefined;
  /** Worker processes (node:cluster); 1 means no cluster. */
  readonly workers: number;
  /** Cache-Control for pages. */
  readonly cacheControl: string;
  /** Byte budget of the response cache. */
  readonly cacheMaxBytes: number;
  /** Where to POST the surrogate keys of pages that changed (a CDN purge relay), if anywhere. */
  readonly purgeUrl: string | undefined;
  /** Post files above this size are reported as content errors, not read. */
  readonly maxPostBytes: number;
  /**
   * `watch`: the folder is watched for changes (inotify), and listed again
   * when one is reported. `poll`: it is listed every second, for file
   * systems that send no change events (NFS, SMB, some container mounts).
   */
  readonly contentWatch: 'watch' | 'poll';
  /** The time limit of one post body's render (src/render/render-pool.ts). */
  readonly renderTimeoutMs: number;
  /** Absolute path of the folder that keeps image variants and social cards (never inside the content folder). */
  readonly imageCacheDir: string;
  /** Byte budget of that folder; the oldest files are removed past it. */
  readonly imageCacheMaxBytes: number;
  /**
   * The site settings in force: read from `_site.yml` at start-up, and again
   * whenever the file changes (`settings.refresh()`, called by the content
   * store). Read it when a page is made, never keep a copy.
   */
  readonly site: Readonly<SiteSettings> & { readonly nav: readonly Readonly<{ label: string; url: string }>[] };
  /** Where `site` comes from: the last good `_site.yml`, and its problems now. */
  readonly settings: LiveSettings;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates the configuration; throws a `ConfigError` with one clear message. */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const e = readEnv(env);
  const contentDir = path.resolve(cwd, e.CONTENT_DIR);
  if (!existsSync(contentDir)) {
    throw new ConfigError(`CONTENT_DIR: ${contentDir} does not exist`);
  }
  const settings = new LiveSettings(contentDir, settingsOrThrow(contentDir));
  const themeDir = e.THEME_DIR === undefined ? undefined : path.resolve(cwd, e.THEME_DIR);
  if (themeDir !== undefined && !statSync(themeDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ConfigError(`THEME_DIR: ${themeDir} is not a folder; it should hold views/ and assets/`);
  }
  const imageCacheDir = path.resolve(cwd, e.IMAGE_CACHE_DIR ?? DEFAULT_IMAGE_CACHE_DIR);
  const relative = path.relative(contentDir, imageCacheDir);
  if (!relative || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
    throw new ConfigError(
      `IMAGE_CACHE_DIR: ${imageCacheDir} is inside the content folder; the cache must live outside it (it is generated, and safe to delete)`,
    );
  }
  // A whole blog repository's config names where it was published: its address until SITE_URL says otherwise.
  const siteUrl = (e.SITE_URL ?? siteFieldsOf(recogniseSite(contentDir)).baseUrl ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return freezeWithLiveSite(settings, {
    port: e.PORT,
    host: e.HOST,
    contentDir,
    siteUrl,
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    viewsDir: path.join(PACKAGE_ROOT, 'views'),
    publicDir: path.join(PACKAGE_ROOT, 'public'),
    themeDir,
    workers: e.WEB_CONCURRENCY,
    cacheControl: e.CACHE_CONTROL,
    cacheMaxBytes: e.CACHE_MAX_BYTES,
    purgeUrl: e.PURGE_URL,
    maxPostBytes: e.MAX_POST_BYTES,
    contentWatch: e.CONTENT_WATCH,
    renderTimeoutMs: e.RENDER_TIMEOUT_MS,
    imageCacheDir,
    imageCacheMaxBytes: e.IMAGE_CACHE_MAX_BYTES,
  });
}

/** Builds a config for tests and tools without touching the environment. */
export function makeConfig(overrides: Partial<Omit<Config, 'site' | 'settings'>> & { contentDir: string; site?: Partial<SiteSettings> }): Config {
  const { site, ...rest } = overrides;
  const settings = new LiveSettings(overrides.contentDir, settingsSchema.parse(site ?? {}));
  return freezeWithLiveSite(settings, {
    port: 0,
    host: undefined,
    siteUrl: 'http://localhost:3000',
    env: 'test',
    logLevel: 'silent',
    viewsDir: path.join(PACKAGE_ROOT, 'views'),
    publicDir: path.join(PACKAGE_ROOT, 'public'),
    themeDir: undefined,
    workers: 1,
    cacheControl: DEFAULT_CACHE_CONTROL,
    cacheMaxBytes: DEFAULT_CACHE_MAX_BYTES,
    purgeUrl: undefined,
    maxPostBytes: DEFAULT_MAX_POST_BYTES,
    contentWatch: 'watch',
    renderTimeoutMs: DEFAULT_RENDER_TIMEOUT_MS,
    imageCacheDir: DEFAULT_IMAGE_CACHE_DIR,
    imageCacheMaxBytes: DEFAULT_IMAGE_CACHE_MAX_BYTES,
    ...rest,
  });
}

/** The config, frozen, with `site` read from the live settings at each use. */
function freezeWithLiveSite(settings: LiveSettings, fields: Omit<Config, 'site' | 'settings'>): Config {
  const config = Object.defineProperty({ ...fields, settings }, 'site', { get: () => settings.current, enumerable: true }) as Config;
  return deepFreeze(config);
}

/**
 * The settings, or a `ConfigError` naming the file and the first problem:
 * the line of broken YAML, the field of a wrong value (`npm run check` lists
 * every problem with its line).
 */
function settingsOrThrow(contentDir: string): SiteSettings {
  const { settings, problems, unreadable } = readSettingsFile(contentDir);
  const first = problems[0];
  if (!first) return settings;
  const file = path.join(contentDir, first.file);
  const relative = path.relative(process.cwd(), file);
  const label = relative && !relative.startsWith('..') ? relative : file;
  const at = unreadable && first.line !== undefined ? `:${first.line}` : '';
  throw new ConfigError(`${label}${at}: ${first.message}`);
}

/** Freezes plain data all the way down; the live settings and accessors stay live. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof LiveSettings)) {
    for (const descriptor of Object.values(Object.getOwnPropertyDescriptors(value))) {
      if ('value' in descriptor) deepFreeze(descriptor.value);
    }
    Object.freeze(value);
  }
  return value;
}

/** The environment's schema, read by the generated reference in docs/configuration.md (`npm run docs:config`). */
export { envSchema };
