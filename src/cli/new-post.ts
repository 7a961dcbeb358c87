/**
 * `lede new "My title" [--bundle]` (`npm run new -- "My title"` here): starts a post. Writes
 * `content/<slug>.md` (or `content/<slug>/index.md` with `--bundle`) with a
 * frontmatter template dated today in the site's time zone, as a draft, and
 * prints its path and the URL it will have. Never overwrites: it refuses when
 * any post (under any file name) already has that slug.
 */
import { lstatSync, mkdirSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { isEntry } from '../main-module.js';
import { CommandError, EXIT, UsageError, type ExitCode } from '../command-exit.js';
import { loadConfig, type Config } from '../config.js';
import { findPosts } from '../content/find-posts.js';
import { ContentStore } from '../content/store.js';
import { parsePostName, slugify, slugProblem } from '../content/slug.js';
import { postUrl, siteLink } from '../content/urls.js';
import { asTyped, type CommandArgs, type CommandSpec, runCli } from './command-args.js';

const COMMAND = {
  options: { bundle: { type: 'boolean' } },
  usage: 'usage: lede new "Title of the post" [--bundle]   (in this repository: npm run new -- "Title")',
  help: ['  --bundle     a page bundle: <slug>/index.md, with its images beside it'],
  positionals: { min: 0, max: Number.POSITIVE_INFINITY },
} as const satisfies CommandSpec<{ bundle: { type: 'boolean' } }>;

async function main(args: CommandArgs<(typeof COMMAND)['options']>): Promise<ExitCode> {
  const bundle = args.values.bundle === true;
  // The title's words may come as one argument or several (unquoted).
  const title = args.positionals.join(' ').trim();
  if (!title) throw new UsageError('', COMMAND.usage);
  const config = loadConfig();
  const slug = slugify(title);
  // The server's own rule: `new` never creates a post whose URL would not answer.
  const problem = slugProblem(slug, 'the title');
  if (problem)
    throw new CommandError(
      `${problem}; choose ${slug ? 'a shorter' : 'another'} title (you can change the title in the file afterwards, the URL stays)`,
      EXIT.problems,
    );

  const owner = await slugOwner(config, slug);
  if (owner)
    throw new CommandError(
      `${path.join(asTyped(config.contentDir), owner)} already has the slug "${slug}"; choose another title, or edit that post`,
      EXIT.problems,
    );

  const relPath = bundle ? path.join(slug, 'index.md') : `${slug}.md`;
  const file = path.join(config.contentDir, relPath);
  const today = DateTime.now().setZone(config.site.timezone).toISODate()!;
  try {
    // A folder the author made first (to put the images in) is used; a symlink planted at that
    // name is refused, never written through: it may lead anywhere, outside the content folder too.
    if (bundle && !isRealFolder(path.dirname(file))) mkdirSync(path.dirname(file));
    // `wx` (O_CREAT | O_EXCL): fail rather than overwrite, even if a file appeared since the
    // check above, and never follow a symlink at the file's own name.
    writeFileSync(file, template(title, today, config.site.author), { flag: 'wx' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const taken = bundle && code === 'EEXIST' ? path.dirname(relPath) : relPath;
    throw new CommandError(
      code === 'EEXIST'
        ? `${path.join(asTyped(config.contentDir), taken)} already exists${describeEntry(path.join(config.contentDir, taken))}; choose another title, or edit or remove it`
        : (err as Error).message,
      EXIT.problems,
    );
  }
  console.log(`Created ${path.join(asTyped(config.contentDir), relPath)}`);
  console.log(`URL: ${siteLink(config.siteUrl, postUrl({ slug }))} (a draft: visible outside production until you set draft: false)`);
  return EXIT.ok;
}

/**
 * The file that already claims `slug`: a post that parses (its slug may come
 * from its `slug` field), or any file whose name gives that slug, even a
 * broken one (it is someone's post being written).
 */
async function slugOwner(config: Config, slug: string): Promise<string | undefined> {
  const store = new ContentStore({
    contentDir: config.contentDir,
    defaults: { author: config.site.author, timezone: config.site.timezone },
    showDrafts: true,
    maxFileBytes: config.maxPostBytes,
    maxAgeMs: Number.POSITIVE_INFINITY,
  });
  const snapshot = await store.refresh(true);
  const post = snapshot.bySlug.get(slug);
  if (post) return post.relPath;
  const { files } = findPosts(config.contentDir);
  return files.find((f) => parsePostName(f.baseName, f.relPath).slug === slug)?.relPath;
}

/** YAML double-quoted strings accept JSON strings, so titles with quotes or colons stay one value. */
function template(title: string, date: string, author: string): string {
  return [
    '---',
    `title: ${JSON.stringify(title)}`,
    'subtitle: ""',
    'description: ""',
    `author: ${JSON.stringify(author)}`,
    `publish_date: "${date}"`,
    'tags: []',
    '# heroImage: cover.jpg  (a full URL, or a file beside index.md in a page bundle)',
    'draft: true',
    '---',
    '',
    'Write the post here, in markdown. Remove `draft: true` above to publish it.',
    '',
  ].join('\n');
}

function isRealFolder(dir: string): boolean {
  return lstatSync(dir, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** " (a symlink to …)" when `file` is a symlink: the author should know why a name they do not see as a post is taken. */
function describeEntry(file: string): string {
  try {
    return lstatSync(file).isSymbolicLink() ? ` (a symlink to ${readlinkSync(file)}, which is never written through)` : '';
  } catch {
    return '';
  }
}

/** `lede new "Title"`. */
export function runNew(argv: readonly string[]): Promise<void> {
  return runCli('lede new', COMMAND, main, argv);
}

if (isEntry(import.meta.url)) await runNew(process.argv.slice(2));
