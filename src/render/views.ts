/**
 * EJS glue: finds each view in the theme first, then among the built-in
 * views, compiles it once and renders it into the shared layout.
 * `<%=` escapes; `<%-` is used only for HTML we produced ourselves.
 *
 * A theme (`THEME_DIR/views/`) replaces any built-in file of the same
 * relative path (`partials/footer.ejs`), includes too: a built-in layout
 * that includes `../partials/footer` gets the theme's footer when there is
 * one. Everything else falls back to the built-in file.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { isInside } from '../content/find-posts.js';

export type Locals = Record<string, unknown>;
type Template = (locals: Locals) => string;

export class Views {
  private readonly compiled = new Map<string, Template>();
  /** Folders of views, the first that has a file wins: the theme's, then the built-in ones. */
  private readonly dirs: readonly string[];

  constructor(dirs: string | readonly string[]) {
    this.dirs = (typeof dirs === 'string' ? [dirs] : dirs).map((d) => path.resolve(d));
  }

  /** Renders `<name>.ejs` inside `layouts/main.ejs`. */
  page(name: string, locals: Locals): string {
    const body = this.render(name, locals);
    return this.render('layouts/main', { ...locals, body });
  }

  render(name: string, locals: Locals): string {
    return this.template(name)(locals);
  }

  /**
   * The file of a view (`partials/footer.ejs` or `partials/footer`): the
   * theme's when it has one, else the built-in one; `undefined` when none has it.
   */
  lookup(name: string): string | undefined {
    const rel = name.endsWith('.ejs') ? name : `${name}.ejs`;
    for (const dir of this.dirs) {
      const file = path.join(dir, rel);
      if (isInside(dir, file) && existsSync(file)) return file;
    }
    return undefined;
  }

  /**
   * Forgets every compiled view, so the next render reads the files again:
   * what a change to a view or a theme calls in development (the live-reload
   * hub's `onChange`, through `LedeApp.reloadViews`).
   */
  forget(): void {
    this.compiled.clear();
  }

  private template(name: string): Template {
    let fn = this.compiled.get(name);
    if (!fn) {
      const filename = this.lookup(name);
      if (!filename) throw new Error(`no view ${name}.ejs in ${this.dirs.join(' or ')}`);
      fn = ejs.compile(readFileSync(filename, 'utf8'), {
        filename,
        views: [...this.dirs],
        strict: false,
        rmWhitespace: false,
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
  private include(original: string, resolved: string | undefined): { filename: string } {
    const rel = this.relativeName(resolved) ?? original.replace(/^(\.\.?\/)+/, '');
    // Not found anywhere: EJS then fails reading the name as written, which names it.
    return { filename: this.lookup(rel) ?? resolved ?? original };
  }

  /** `partials/footer.ejs` for a file inside one of the view folders. */
  private relativeName(file: string | undefined): string | undefined {
    if (!file) return undefined;
    for (const dir of this.dirs) if (isInside(dir, file)) return path.relative(dir, file);
    return undefined;
  }
}
