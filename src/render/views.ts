/**
 * EJS glue: compiles each view once and renders it into the shared layout.
 * `<%=` escapes; `<%-` is used only for HTML we produced ourselves.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';

export type Locals = Record<string, unknown>;
type Template = (locals: Locals) => string;

export class Views {
  private readonly compiled = new Map<string, Template>();

  constructor(private readonly dir: string) {}

  /** Renders `views/<name>.ejs` inside `views/layouts/main.ejs`. */
  page(name: string, locals: Locals): string {
    const body = this.render(name, locals);
    return this.render('layouts/main', { ...locals, body });
  }

  /** Forgets every compiled view, so the next render reads the files again (a view changed). */
  forget(): void {
    this.compiled.clear();
  }

  render(name: string, locals: Locals): string {
    return this.template(name)(locals);
  }

  private template(name: string): Template {
    let fn = this.compiled.get(name);
    if (!fn) {
      const filename = path.join(this.dir, `${name}.ejs`);
      fn = ejs.compile(readFileSync(filename, 'utf8'), { filename, views: [this.dir], strict: false, rmWhitespace: false }) as Template;
      this.compiled.set(name, fn);
    }
    return fn;
  }
}
