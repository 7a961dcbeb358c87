/**
 * The site settings file, `content/_site.yml`: what authors may put in it,
 * and the one reader that yields its values and every problem in it, each
 * with its line, from a single parse.
 *
 * Start-up stops at the first problem (src/config.ts); `npm run check` lists
 * them all. While the server runs, `LiveSettings` reads the file again when
 * it changes: a good edit applies at once, a broken one keeps the last good
 * settings and is reported like a broken post.
 */
import { statSync } from 'node:fs';
import { readRegularFileSync, UnreadableFile } from './files/read-regular.js';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { describeIssue } from './validate/describe-issue.js';
import { checkMarkdownLinks, checkUrl } from './validate/safe-url.js';
import { readYaml } from './validate/yaml.js';
import { readRenamed, type RenamedSetting } from './settings-renames.js';
import { recogniseSite } from './site-config/recognise-site.js';
import { siteFieldsOf } from './site-config/site-fields.js';
import { isTimeZone } from './validate/time-zone.js';

/** The site settings file, relative to the content folder. */
export const SETTINGS_FILE = '_site.yml';

const navLinkSchema = z.strictObject({
  label: z.string().trim().min(1),
  url: z.string().trim().min(1).check(checkUrl),
});

const timeZoneSchema = z.string().refine(isTimeZone, { message: 'is not an IANA time zone such as Europe/London' });

const hexColour = z
  .string()
  .trim()
  .regex(/^#(?:[0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i, { message: 'must be a CSS hex colour such as #1e6fd9 or #0a7' });

/** What authors may put in `content/_site.yml`. */
export const settingsSchema = z.strictObject({
  title: z.string().trim().min(1).default('Lede'),
  description: z.string().default(''),
  author: z.string().trim().min(1).default('Anonymous'),
  cta: z.string().check(checkMarkdownLinks).default(''),
  nav: z.array(navLinkSchema).default([]),
  timezone: timeZoneSchema.default('UTC'),
  locale: z.string().default('en-GB'),
  posts_per_page: z.number().int().min(1).max(100).default(10),
  /**
   * Let raw HTML in posts through unsanitized. Off by default: anyone who can
   * write a post could then run script in readers' browsers (docs/security.md).
   */
  raw_html: z.boolean().default(false),
  /**
   * Branding without a theme (docs/themes.md). `logo`: an image shown before
   * the title in the header (a path such as `/img/logo.svg` from
   * `content/static/`, or an http(s) URL).
   */
  logo: z.string().trim().min(1).check(checkUrl).optional(),
  /**
   * The accent colour of links, buttons and rules, as CSS hex (`#0a7`,
   * `#1e6fd9`). The dark scheme's accent, the call-to-action panel and the
   * diagrams' colours are derived from it, each readable on its ground
   * (src/render/palette.ts).
   */
  accent_color: hexColour.optional(),
  /** The dark scheme's accent instead of the one derived from `accent_color`. */
  accent_color_dark: hexColour.optional(),
  /**
   * The type: `bundled` (Source Serif 4 for the text, Source Sans 3 for the
   * interface, served by Lede) or `system` (the reader's own fonts, nothing
   * to download).
   */
  fonts: z.enum(['bundled', 'system']).default('bundled'),
  /** The footer's line instead of the title and description (inline markdown, links allowed). */
  footer_text: z.string().trim().min(1).check(checkMarkdownLinks).optional(),
});

export type SiteSettings = z.infer<typeof settingsSchema>;

/** One problem in the settings file; the shape of a content error. */
export interface SettingsProblem {
  /** `_site.yml`, relative to the content folder. */
  readonly file: string;
  readonly line: number | undefined;
  readonly message: string;
}

export interface SettingsRead {
  /** The settings, or every default when there is a problem (or no file). */
  readonly settings: SiteSettings;
  /** Every problem, in the order of the file; empty when the settings are good. */
  readonly problems: readonly SettingsProblem[];
  /**
   * True when the file itself could not be read (not UTF-8, broken YAML),
   * false when it was read and a value in it is wrong (the message names
   * the field).
   */
  readonly unreadable: boolean;
  /** What is read but should be written otherwise (a renamed setting), each with its line: `check` prints them. */
  readonly notices: readonly SettingsProblem[];
}

/** `_site.yml` larger than this is refused: a settings file is a few KB (docs/security.md). */
export const MAX_SETTINGS_BYTES = 256 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads `_site.yml` from the content folder; a missing file means all defaults. Never throws. */
export function readSettingsFile(contentDir: string, renames?: readonly RenamedSetting[]): SettingsRead {
  // A whole blog repository's own config gives the defaults (docs/moving-from-another-generator.md); `_site.yml` wins.
  const fromRepo = repositoryDefaults(contentDir);
  const defaults = (problems: SettingsProblem[], unreadable = problems.length > 0, notices: SettingsProblem[] = []): SettingsRead => ({
    settings: settingsSchema.parse(fromRepo),
    problems,
    unreadable,
    notices,
  });
  const problem = (message: string, line?: number): SettingsProblem => ({ file: SETTINGS_FILE, line, message });
  let bytes: Buffer;
  try {
    // Opened, then judged (src/files/read-regular.ts): a FIFO, a device or a huge file is a problem, never a hang.
    bytes = readRegularFileSync(path.join(contentDir, SETTINGS_FILE), MAX_SETTINGS_BYTES, 'the limit for the settings file').bytes;
  } catch (err) {
    if (err instanceof UnreadableFile && err.code === 'ENOENT') return defaults([]);
    return defaults([problem(err instanceof UnreadableFile ? err.message : `cannot be read: ${(err as Error).message}`)]);
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return defaults([problem('is not UTF-8 text; save it with UTF-8 encoding')]);
  }
  const read = readYaml(text);
  if (!read.ok) return defaults([problem(read.message, read.line)]);
  const renamed = readRenamed(read.data ?? {}, renames);
  const notices = renamed.notices.map(({ key, message }) => problem(message, read.lineOf([key])));
  const own = renamed.data;
  const result = settingsSchema.safeParse(isPlainObject(own) ? { ...fromRepo, ...own } : own, { reportInput: true });
  if (result.success) return { settings: result.data, problems: [], unreadable: false, notices };
  const problems = result.error.issues
    .map((issue) => {
      const keyPath = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
      return problem(describeIssue(issue), read.lineOf(keyPath));
    })
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return defaults(problems, false, notices);
}

/** The title, description, author and time zone a generator's config at the root gives, under Lede's names. */
function repositoryDefaults(contentDir: string): Partial<Pick<SiteSettings, 'title' | 'description' | 'author' | 'timezone'>> {
  const { title, description, author, timezone } = siteFieldsOf(recogniseSite(contentDir));
  return {
    ...(title !== undefined ? { title } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(author !== undefined ? { author } : {}),
    ...(timezone !== undefined ? { timezone } : {}),
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every problem in the settings file, for `npm run check`. */
export function settingsProblems(contentDir: string): SettingsProblem[] {
  return [...readSettingsFile(contentDir).problems];
}

/** Size, time and inode of the settings file; `missing` when there is none. */
function fileSignature(file: string): string {
  const stats = statSync(file, { throwIfNoEntry: false });
  return stats ? `${stats.size}:${stats.mtimeMs}:${stats.ino}` : 'missing';
}

/**
 * The settings in force while the server runs. `refresh()` reads
 * `_site.yml` again when its size, time or inode moved (one `stat`; the
 * content store calls it whenever it looks at the folder). A good file
 * replaces the settings; a broken one keeps the last good settings and
 * leaves its problems in `problems` until it is fixed.
 */
export class LiveSettings {
  private settings: SiteSettings;
  private problemsNow: readonly SettingsProblem[] = [];
  private signature: string;
  private readonly file: string;

  constructor(
    private readonly contentDir: string,
    initial: SiteSettings,
  ) {
    this.file = path.join(contentDir, SETTINGS_FILE);
    this.settings = frozen(initial);
    this.signature = fileSignature(this.file);
  }

  /** The last good settings. */
  get current(): SiteSettings {
    return this.settings;
  }

  /** The problems of the file as it is now; empty when it is good. */
  get problems(): readonly SettingsProblem[] {
    return this.problemsNow;
  }

  /** Whether the file moved since it was last read (one `stat`; nothing is read). */
  changedOnDisk(): boolean {
    return fileSignature(this.file) !== this.signature;
  }

  /** Reads the file again if it changed; true when the settings or the problems changed. */
  refresh(): boolean {
    const signature = fileSignature(this.file);
    if (signature === this.signature) return false;
    this.signature = signature;
    const read = readSettingsFile(this.contentDir);
    const problemsBefore = this.problemsNow;
    this.problemsNow = read.problems;
    if (read.problems.length > 0) return !isDeepStrictEqual(read.problems, problemsBefore);
    if (isDeepStrictEqual(read.settings, this.settings)) return problemsBefore.length > 0;
    this.settings = frozen(read.settings);
    return true;
  }
}

/** Settings are shared by every page being made: nothing may change them in place. */
function frozen(settings: SiteSettings): SiteSettings {
  for (const link of settings.nav) Object.freeze(link);
  Object.freeze(settings.nav);
  return Object.freeze(settings);
}
