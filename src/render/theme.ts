/**
 * Where the theme's files come from: `THEME_DIR/views/` and
 * `THEME_DIR/assets/` first, then the built-in `views/` and `public/`.
 * A file in the theme replaces the built-in file of the same relative path;
 * everything else falls back (DESIGN.md, "Site settings and themes").
 */
import path from 'node:path';
import type { Config } from '../config.js';

type ThemeConfig = Pick<Config, 'themeDir' | 'viewsDir' | 'publicDir'>;

/** The folders views are looked up in, the theme's first. */
export function viewFolders(config: ThemeConfig): string[] {
  return config.themeDir ? [path.join(config.themeDir, 'views'), config.viewsDir] : [config.viewsDir];
}

/** The folders `/assets/…` is served from, the theme's first. */
export function assetFolders(config: ThemeConfig): string[] {
  return config.themeDir ? [path.join(config.themeDir, 'assets'), config.publicDir] : [config.publicDir];
}

/** Every folder whose changes call for the views to be read again (the live-reload hub watches these). */
export function themeFolders(config: ThemeConfig): string[] {
  return [...viewFolders(config), ...assetFolders(config)];
}
