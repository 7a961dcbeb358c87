/**
 * Where an export may go. The export replaces its target folder whole, so
 * the target is judged by where it really is (symlinks followed), never by
 * what it holds: a marker file anyone can `touch` proves nothing about a
 * folder that holds the site's sources. A target that is, holds, or lies
 * inside the content folder, the project or the theme is refused, whatever
 * marker it has; any other non-empty folder must be an earlier export.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Marks a folder as a Lede export, so a later export may replace it. Holds no path: it may end up on a public host. */
export const MARKER = '.lede-export';
export const MARKER_TEXT = 'Exported by Lede (npm run export): a later export replaces this whole folder.\n';

/** A folder the export must never replace, hold, or sit inside. */
export interface GuardedFolder {
  /** What it is, for the message: "content", "project", "theme assets". */
  readonly role: string;
  readonly dir: string;
}

export class TargetError extends Error {
  override name = 'TargetError';
}

/**
 * The real folder an export to `outDir` replaces: `outDir` itself, or the
 * folder a symlink there points to (the link is kept, and then leads to the
 * new export). Throws a `TargetError` saying why when it may not be used.
 */
export async function exportTarget(outDir: string, guarded: readonly GuardedFolder[]): Promise<string> {
  const given = path.resolve(outDir);
  const real = await realTarget(given);
  const guards = await Promise.all(guarded.map(async ({ role, dir }) => ({ role, dir: await realpathOrSelf(dir) })));
  // The plainest relation first: `npm run export -- .` in the project "is" the project folder.
  for (const [relation, holds] of RELATIONS) {
    const guard = guards.find(({ dir }) => holds(dir, real));
    if (!guard) continue;
    const via = real === given ? '' : ` (${given} leads there)`;
    throw new TargetError(
      `refusing to export to ${real}${via}: it ${relation} the ${guard.role} folder ${guard.dir}, and an export replaces its whole folder; choose a folder outside it, such as ${outside(guards.map((g) => g.dir))}`,
    );
  }
  const entries = await fs.readdir(real).catch((err: NodeJS.ErrnoException): string[] => {
    if (err.code === 'ENOENT') return [];
    throw new TargetError(`cannot export to ${real}: ${err.message}`);
  });
  if (entries.length > 0 && !entries.includes(MARKER)) {
    throw new TargetError(`${real} is not empty and is not an earlier Lede export (no ${MARKER} file); choose another folder`);
  }
  await fs.mkdir(path.dirname(real), { recursive: true }).catch((err: Error) => {
    throw new TargetError(`cannot export to ${real}: ${err.message}`);
  });
  return real;
}

/** `given` with every symlink resolved, for a folder that may not exist yet (its nearest existing ancestor is resolved). */
async function realTarget(given: string): Promise<string> {
  const stats = await fs.lstat(given).catch(() => undefined);
  if (stats?.isSymbolicLink()) {
    const link = await fs.readlink(given);
    const resolved = await fs.realpath(given).catch(() => undefined);
    if (!resolved) throw new TargetError(`${given} is a symlink to ${link}, which does not exist; create that folder or remove the link`);
    if (!(await fs.stat(resolved)).isDirectory()) throw new TargetError(`${given} is a symlink to ${resolved}, which is not a folder`);
    return resolved;
  }
  if (stats && !stats.isDirectory()) throw new TargetError(`${given} is not a folder`);
  if (stats) return fs.realpath(given);
  // Not there yet: resolve the part that is, so `link-to-content/new-folder` is seen for what it is.
  const parent = path.dirname(given);
  if (parent === given) return given;
  return path.join(await realTarget(parent), path.basename(given));
}

const RELATIONS: readonly (readonly [string, (guard: string, target: string) => boolean])[] = [
  ['is', (guard, target) => guard === target],
  ['is inside', (guard, target) => isInside(guard, target)],
  ['holds', (guard, target) => isInside(target, guard)],
];

/** A folder beside the outermost guarded one, so the suggestion is itself allowed. */
function outside(guards: readonly string[]): string {
  const outermost = guards.reduce((a, b) => (isInside(b, a) ? b : a));
  return path.join(path.dirname(outermost), `${path.basename(outermost)}-site`);
}

async function realpathOrSelf(dir: string): Promise<string> {
  return fs.realpath(dir).catch(() => path.resolve(dir));
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}
