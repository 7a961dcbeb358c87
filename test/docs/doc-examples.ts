/**
 * The examples and links of the documentation, found and run.
 *
 * THE RULE (also in docs/README.md): a fenced block is an example when its
 * info string has the word `example`; every other block is prose. Examples:
 *
 *   ```markdown example              a post: written to a fresh content folder as
 *                                    example.md; `check` must find no problem, and
 *                                    the page must answer 200 with its title
 *   ```markdown example problems     the same, but `check` must find a problem
 *   ```markdown example path=pages/about.md   written at that path in content/
 *   ```yaml example site             a whole content/_site.yml: the settings reader
 *                                    must accept it, and the site must render
 *   ```yaml example frontmatter      some fields: put in a post (with a title if it
 *                                    has none), which must pass `check` and render
 *   ```sh example                    run by bash in the page's sandbox (below); must
 *                                    exit 0, or N with `exit=N`
 *   ```<any> example file=<path>     written at <path> in the page's sandbox, for the
 *                                    shell examples after it (a theme file, a post)
 *   ```http example                  one request line (`GET /search?q=x`) to the site
 *                                    made from the sandbox's content/; must answer 200,
 *                                    or N with `status=N`
 *
 * The sandbox of a page is a temporary project folder with a copy of the
 * bundled content/, and `public/` and `views/` beside it. Its blocks run in
 * the order of the page, so a file written by one is there for the next. In
 * it, `npm run check|new|export -- …` runs the built CLI (`node dist/cli/…`,
 * as `npm run` does after its build); any other npm command fails the example,
 * so every example stays safe to run.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import GithubSlugger from 'github-slugger';
import matter from 'gray-matter';
import supertest from 'supertest';
import { createApp } from '../../src/app.js';
import { DEFAULT_MAX_POST_BYTES, loadConfig, makeConfig } from '../../src/config.js';
import { checkContent } from '../../src/cli/check-content.js';
import { readSettingsFile, SETTINGS_FILE } from '../../src/settings.js';
import { ROOT } from '../helpers/site.js';

export { ROOT };

/** One fenced code block of a markdown file. */
export interface Fence {
  /** The first word of the info string (`markdown`, `sh`, …), or ''. */
  readonly lang: string;
  /** The other words of the info string. */
  readonly words: readonly string[];
  readonly body: string;
  /** The line of the opening fence (1-based). */
  readonly line: number;
  /** The lines the block covers, fences included (1-based, inclusive). */
  readonly end: number;
}

/** Every fenced block, ``` or ~~~, of any length (CommonMark: the closing fence is at least as long). */
export function fences(markdown: string): Fence[] {
  const lines = markdown.split('\n');
  const found: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const marker = open[1]!;
    const [lang = '', ...words] = open[2]!.trim().split(/\s+/).filter(Boolean);
    const body: string[] = [];
    let j = i + 1;
    const close = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
    while (j < lines.length && !close.test(lines[j]!)) body.push(lines[j++]!);
    found.push({ lang, words, body: body.length ? `${body.join('\n')}\n` : '', line: i + 1, end: j + 1 });
    i = j;
  }
  return found;
}

export type Example =
  | { readonly kind: 'post'; readonly fence: Fence; readonly path: string; readonly problems: boolean }
  | { readonly kind: 'site'; readonly fence: Fence }
  | { readonly kind: 'frontmatter'; readonly fence: Fence }
  | { readonly kind: 'shell'; readonly fence: Fence; readonly exit: number }
  | { readonly kind: 'file'; readonly fence: Fence; readonly path: string }
  | { readonly kind: 'request'; readonly fence: Fence; readonly status: number }
  /** A block marked `example` that matches no rule: a typo must not turn an example into prose. */
  | { readonly kind: 'unknown'; readonly fence: Fence };

/** The examples of a page, in its order (blocks without the word `example` are prose). */
export function examples(markdown: string): Example[] {
  return fences(markdown)
    .filter((fence) => fence.words[0] === 'example')
    .map((fence): Example => {
      const rest = fence.words.slice(1);
      const attrs = new Map(rest.filter((w) => w.includes('=')).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] as const));
      const flags = rest.filter((w) => !w.includes('='));
      const file = attrs.get('file');
      if (file !== undefined && flags.length === 0 && attrs.size === 1) return { kind: 'file', fence, path: file };
      if (fence.lang === 'markdown' && flags.every((f) => f === 'problems') && [...attrs.keys()].every((k) => k === 'path')) {
        return { kind: 'post', fence, path: attrs.get('path') ?? 'example.md', problems: flags.includes('problems') };
      }
      if (fence.lang === 'yaml' && attrs.size === 0 && flags.length === 1 && flags[0] === 'site') return { kind: 'site', fence };
      if (fence.lang === 'yaml' && attrs.size === 0 && flags.length === 1 && flags[0] === 'frontmatter') return { kind: 'frontmatter', fence };
      if ((fence.lang === 'sh' || fence.lang === 'bash') && flags.length === 0 && [...attrs.keys()].every((k) => k === 'exit')) {
        return { kind: 'shell', fence, exit: Number(attrs.get('exit') ?? 0) };
      }
      if (fence.lang === 'http' && flags.length === 0 && [...attrs.keys()].every((k) => k === 'status')) {
        return { kind: 'request', fence, status: Number(attrs.get('status') ?? 200) };
      }
      return { kind: 'unknown', fence };
    });
}

/** A temporary project folder for the examples of one page. */
export class Sandbox {
  private readonly top = mkdtempSync(path.join(tmpdir(), 'lede-docs-'));
  /** Where shell examples run: `../` is still inside the sandbox (an export to `../site` stays in it). */
  readonly project = path.join(this.top, 'blog');

  constructor() {
    mkdirSync(this.project);
    cpSync(path.join(ROOT, 'content'), path.join(this.project, 'content'), { recursive: true });
    for (const shared of ['public', 'views']) symlinkSync(path.join(ROOT, shared), path.join(this.project, shared));
  }

  cleanup(): void {
    rmSync(this.top, { recursive: true, force: true });
  }
}

/** `npm run <script>` in an example: the built CLIs that `npm run` would start; nothing else. */
const SHELL_PREAMBLE = `
npm() {
  if [ "$1" != run ]; then echo "docs test: 'npm $1' cannot run in an example" >&2; return 127; fi
  local script="$2"; shift 2; [ "$1" = -- ] && shift
  case "$script" in
    check) node "$LEDE_ROOT/dist/cli/check.js" "$@" ;;
    new) node "$LEDE_ROOT/dist/cli/new-post.js" "$@" ;;
    export) node "$LEDE_ROOT/dist/cli/export.js" "$@" ;;
    *) echo "docs test: 'npm run $script' cannot run in an example" >&2; return 127 ;;
  esac
}
set -e
`;

function runShell(script: string, cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', SHELL_PREAMBLE + script],
      // A clean environment, as a new user's shell: nothing of the test run's NODE_OPTIONS or CONTENT_DIR leaks in.
      { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, LEDE_ROOT: ROOT, INIT_CWD: cwd }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}`.trim() }),
    );
  });
}

/** Addresses that every site has; the sitemap's others are the example's own pages. */
const SITE_WIDE = /^\/(?:$|tags(?:\/|$)|authors\/|page\/|archive$|search$)/;

/**
 * Checks a content folder as `npm run check` does, then renders every page
 * of it that is not site-wide (from the sitemap): the problems, as text.
 */
async function checkAndRender(contentDir: string, expectProblems: boolean, title: string | undefined): Promise<string[]> {
  const failures: string[] = [];
  const report = await checkContent(contentDir, DEFAULT_MAX_POST_BYTES);
  const problems = report.problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
  if (expectProblems && problems.length === 0) failures.push('check found no problem, but the example says `problems`');
  if (!expectProblems) failures.push(...problems.map((p) => `check: ${p}`));
  // A page is rendered only when check is happy: a broken post's page says nothing more.
  if (failures.length > 0 || expectProblems) return failures;
  const app = createApp(makeConfig({ contentDir, env: 'development', siteUrl: 'http://localhost' }));
  try {
    const index = await supertest(app).get('/');
    if (index.status !== 200) failures.push(`GET / answered ${index.status}`);
    const sitemap = await supertest(app).get('/sitemap.xml');
    const own = [...sitemap.text.matchAll(/<loc>http:\/\/localhost([^<]*)<\/loc>/g)].map((m) => m[1]!).filter((p) => !SITE_WIDE.test(p));
    if (title !== undefined && own.length === 0) failures.push('the post is in no page of the sitemap (a draft, or dated in the future?)');
    for (const url of own) {
      const page = await supertest(app).get(url);
      if (page.status !== 200) failures.push(`GET ${url} answered ${page.status}`);
      else if (title !== undefined && !decodeEntities(page.text).includes(title)) failures.push(`GET ${url} does not show the title "${title}"`);
    }
  } finally {
    app.store.close();
    app.pages.close();
  }
  return failures;
}

function decodeEntities(html: string): string {
  return html.replace(
    /&(?:#(\d+)|#x([0-9a-f]+)|(amp|lt|gt|quot|apos));/gi,
    (_m, dec: string | undefined, hex: string | undefined, named: string | undefined) => {
      if (dec) return String.fromCodePoint(Number(dec));
      if (hex) return String.fromCodePoint(parseInt(hex, 16));
      return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[named!.toLowerCase() as 'amp'];
    },
  );
}

/** The title a YAML frontmatter gives, when the text has one. */
function titleOf(text: string): string | undefined {
  if (!text.startsWith('---')) return undefined;
  try {
    const title: unknown = matter(text).data.title;
    return typeof title === 'string' || typeof title === 'number' ? String(title) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs one example; returns what is wrong with it (empty: it works as the docs say). */
export async function runExample(example: Example, sandbox: Sandbox): Promise<string[]> {
  const { fence } = example;
  switch (example.kind) {
    case 'unknown':
      return [`\`${[fence.lang, ...fence.words].join(' ')}\` is marked as an example but matches no rule (see test/docs/doc-examples.ts)`];
    case 'file': {
      const file = path.resolve(sandbox.project, example.path);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, fence.body);
      return [];
    }
    case 'request':
      return request(example.fence.body, example.status, sandbox);
    case 'shell': {
      const { code, output } = await runShell(fence.body, sandbox.project);
      return code === example.exit ? [] : [`exited ${code}, expected ${example.exit}:\n${output}`];
    }
    case 'post':
    case 'frontmatter':
    case 'site': {
      const dir = mkdtempSync(path.join(tmpdir(), 'lede-docs-content-'));
      try {
        if (example.kind === 'site') {
          writeFileSync(path.join(dir, SETTINGS_FILE), fence.body);
          const { problems } = readSettingsFile(dir);
          if (problems.length) return problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
          return await checkAndRender(dir, false, undefined);
        }
        const text = example.kind === 'post' ? fence.body : `---\n${/^title:/m.test(fence.body) ? '' : 'title: An example\n'}${fence.body}---\n\nThe text.\n`;
        const file = path.join(dir, example.kind === 'post' ? example.path : 'example.md');
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, text);
        return await checkAndRender(dir, example.kind === 'post' && example.problems, titleOf(text));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
}

/** Sends the request line of an `http example` to the site made from the sandbox's content (its `_site.yml` too). */
async function request(body: string, status: number, sandbox: Sandbox): Promise<string[]> {
  const line = /^(GET|HEAD) (\/\S*)(?: HTTP\/1\.1)?$/.exec(body.split('\n')[0]!.trim());
  if (!line) return [`the first line should be a request such as \`GET /search?q=x\`, not "${body.split('\n')[0]}"`];
  const config = loadConfig({ CONTENT_DIR: 'content', NODE_ENV: 'development', LOG_LEVEL: 'silent' }, sandbox.project);
  const app = createApp(config);
  try {
    const answer = line[1] === 'HEAD' ? await supertest(app).head(line[2]!) : await supertest(app).get(line[2]!);
    return answer.status === status ? [] : [`${line[1]} ${line[2]} answered ${answer.status}, expected ${status}`];
  } finally {
    app.store.close();
    app.pages.close();
  }
}

/** A relative link of a page (`[text](target)`, `![alt](target)`, `[ref]: target`) and its line. */
export interface Link {
  readonly target: string;
  readonly line: number;
}

/** The relative links of a page, outside code blocks and code spans. */
export function relativeLinks(markdown: string): Link[] {
  const lines = markdown.split('\n');
  const inFence = new Set(fences(markdown).flatMap((f) => Array.from({ length: f.end - f.line + 1 }, (_, k) => f.line + k)));
  const links: Link[] = [];
  lines.forEach((raw, index) => {
    if (inFence.has(index + 1)) return;
    const line = raw.replace(/(`+)[\s\S]*?\1/g, '');
    const targets = [...line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g), ...line.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/g)].map(
      (m) => m[1]!,
    );
    for (const target of targets) {
      // Other sites, mail, and addresses of a running Lede (`/about`) are not files of this repository.
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('/')) continue;
      links.push({ target, line: index + 1 });
    }
  });
  return links;
}

/** The anchors of a page's headings, as GitHub makes them. */
export function headingAnchors(markdown: string): Set<string> {
  const slugger = new GithubSlugger();
  const inFence = new Set(fences(markdown).flatMap((f) => Array.from({ length: f.end - f.line + 1 }, (_, k) => f.line + k)));
  const anchors = new Set<string>();
  markdown.split('\n').forEach((line, index) => {
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading || inFence.has(index + 1)) return;
    const text = heading[1]!.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
    anchors.add(slugger.slug(text));
  });
  return anchors;
}

/** What is wrong with the relative links of `file` (a path under the repository): missing files and anchors. */
export function brokenLinks(file: string, markdown = readFileSync(file, 'utf8')): string[] {
  const broken: string[] = [];
  for (const { target, line } of relativeLinks(markdown)) {
    const [pathPart = '', anchor] = target.split('#') as [string, string | undefined];
    const resolved = pathPart === '' ? file : path.resolve(path.dirname(file), decodeURIComponent(pathPart));
    if (!existsSync(resolved)) {
      broken.push(`${path.relative(ROOT, file)}:${line}: ${target}: no such file`);
      continue;
    }
    if (anchor && resolved.endsWith('.md') && statSync(resolved).isFile()) {
      const text = resolved === file ? markdown : readFileSync(resolved, 'utf8');
      if (!headingAnchors(text).has(anchor)) broken.push(`${path.relative(ROOT, file)}:${line}: ${target}: no heading #${anchor} there`);
    }
  }
  return broken;
}

/** Every documentation page the tests cover: README.md, CHANGELOG.md and docs/*.md. */
export function documentationFiles(): string[] {
  const docs = path.join(ROOT, 'docs');
  const pages = existsSync(docs) ? readdirMarkdown(docs) : [];
  return [path.join(ROOT, 'README.md'), path.join(ROOT, 'CHANGELOG.md'), ...pages].filter((f) => existsSync(f));
}

function readdirMarkdown(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => path.join(dir, name));
}
