/**
 * `npm run check` names a brand colour that does not read well as given:
 * an `accent_color` under WCAG AA's 4.5:1 on the light page, or an
 * `accent_color_dark` under it on the dark one, with the colour pages show
 * instead (src/render/palette.ts moves its lightness until it reads well).
 * A notice, not a problem: the pages stay readable either way.
 */
import path from 'node:path';
import type { ContentError } from '../content/post.js';
import { readRegularFileSync } from '../files/read-regular.js';
import { derivePalette, describeShortfall } from '../render/palette.js';
import { MAX_SETTINGS_BYTES, SETTINGS_FILE, type SiteSettings } from '../settings.js';
import { readYaml } from '../validate/yaml.js';

export function colourNotices(contentDir: string, site: Pick<SiteSettings, 'accent_color' | 'accent_color_dark'>): ContentError[] {
  const { shortfalls } = derivePalette({ accent: site.accent_color, accentDark: site.accent_color_dark });
  if (!shortfalls.length) return [];
  const lineOf = settingLines(contentDir);
  return shortfalls.map((s) => ({ file: SETTINGS_FILE, line: lineOf(s.setting), message: describeShortfall(s) }));
}

/** The line of a top-level key of `_site.yml` (the settings were read already: this file is there and good). */
function settingLines(contentDir: string): (key: string) => number | undefined {
  try {
    const read = readYaml(readRegularFileSync(path.join(contentDir, SETTINGS_FILE), MAX_SETTINGS_BYTES).bytes.toString('utf8'));
    return read.ok ? (key) => read.lineOf([key]) : () => undefined;
  } catch {
    return () => undefined;
  }
}
