/**
 * EJS glue: finds each view in the theme first, then among the built-in
 * views, compiles it once and renders it into the shared layout.
 * `<%=` escapes; `<%-` is used only for HTML we produced ourselves.
 *
 * A theme (`THEME_DIR/views/`) replaces any built-in file of the same
 * relative path (`partials/footer.ejs`), includes too: a built-in layout
 * that includes `../partials/footer` gets the theme's footer when there is
 * one. Everything else falls back to the built-in file.
 *
 * Every view file is judged by its real target and read through a handle
 * opened without blocking (src/render/theme.ts, docs/themes.md): a view
 * that links out of its folder, or a FIFO, is an error naming the file.
 */
import path from 'node:path';
import ejs from 'ejs';
import { isInside } from '../files/inside.js';
import { findThemeFileSync, readThemeFileSync } from './theme.js';

export type Locals = Record<string, unknown>;
type Template = (locals: Locals) => string;

/** Compiled partials by file, in EJS's cache interface. */
class PartialCache implements ejs.Cache {
  private readonly byFile = new Map<string, ejs.TemplateFunction>();
  set(key: string, value: ejs.TemplateFunction): void {
    this.byFile.set(key, value);
  }
  get(key: string): ejs.TemplateFunction | undefined {
    return this.byFile.get(key);
  }
  remove(key: string): void {
    this.byFile.delete(key);
  }
  reset(): void {
    this.byFile.clear();
  }
}

export class Views {
  private readonly compiled = new Map<string, Template>();
  /**
   * The partials the views include, compiled once (EJS's `cache`): without
   * it EJS read and compiled every partial again on every render (1.12 ms
   * against 0.80 ms for the sample article). This app's own: a partial
   * compiled for one theme must not serve another app's.
   */
  private readonly partials = new PartialCache();
  /** Folders of views, the first that has a file wins: the theme's, then the built-in ones. */
  private readonly dirs: readonly string[];
  /** Each view's file as found, until `forget`: an include is looked up on every render. */
  private readonly found = new Map<string, string | undefined>();

  constructor(dirs: string | readonly string[]) {
    this.dirs = (typeof dirs === 'string' ? [dirs] : dirs).map((d) => path.resolve(d));
  }

  /** Renders `<name>.ejs` inside `layouts/main.ejs`. */
  page(name: string, locals: Locals): string {
    const body = this.render(name, locals);
    return this.render('layouts/main', { ...locals, body });
  }

  render(name: string, locals: Locals): string {
    const template = this.template(name);
    // EJS looks partials up in `ejs.cache`, one for the process: this app's is put there
    // for the render, which is synchronous, so no other app's render can come between.
    const previous = ejs.cache;
    ejs.cache = this.partials;
    try {
      return template(locals);
    } finally {
      ejs.cache = previous;
    }
  }

  /**
   * The file of a view (`partials/footer.ejs` or `partials/footer`): the
   * theme's when it has one, else the built-in one; `undefined` when none has it.
   */
  lookup(name: string): string | undefined {
    const rel = name.endsWith('.ejs') ? name : `${name}.ejs`;
    if (this.found.has(rel)) return this.found.get(rel);
    let file: string | undefined;
    for (const dir of this.dirs) {
      file = findThemeFileSync(dir, rel);
      if (file) break;
    }
    this.found.set(rel, file);
    return file;
  }

  /**
   * Forgets every compiled view, so the next render reads the files again:
   * what a change to a view or a theme calls in development (the live-reload
   * hub's `onChange`, through `LedeApp.reloadViews`).
   */
  forget(): void {
    this.compiled.clear();
    this.partials.reset();
    this.found.clear();
  }

  private template(name: string): Template {
    let fn = this.compiled.get(name);
    if (!fn) {
      const filename = this.lookup(name);
      if (!filename) throw new Error(`no view ${name}.ejs in ${this.dirs.join(' or ')}`);
      fn = ejs.compile(readThemeFileSync(filename), {
        filename,
        views: [...this.dirs],
        strict: false,
        rmWhitespace: false,
        cache: true,
        includer: (original: string, resolved: string | undefined) => this.include(original, resolved),
      }) as Template;
      this.compiled.set(name, fn);
    }
    return fn;
  }

  /**
   * Where an `include()` reads from: EJS resolved it relative to the file
   * that includes it (a built-in one, maybe); the same relative path in the
   * theme wins.
   */
  private include(original: string, resolved: string | undefined): ejs.IncluderResult {
    const rel = this.relativeName(resolved) ?? original.replace(/^(\.\.?\/)+/, '');
    const filename = this.lookup(rel);
    // Not found anywhere: EJS then fails reading the name as written, which names it.
    if (!filename) return { filename: resolved ?? original };
    // Compiled already: EJS takes it from the cache. Else the text, read as every view is, not by EJS.
    // EJS takes both (it caches the template under the file name); its typings allow one or the other.
    return this.partials.get(filename) ? { filename } : ({ filename, template: readThemeFileSync(filename) } as unknown as ejs.IncluderResult);
  }

  /** `partials/footer.ejs` for a file inside one of the view folders. */
  private relativeName(file: string | undefined): string | undefined {
    if (!file) return undefined;
    for (const dir of this.dirs) if (isInside(dir, file)) return path.relative(dir, file);
    return undefined;
  }
}
