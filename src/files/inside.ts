import path from 'node:path';

/**
 * Whether `target` is `root` or inside it, by their paths alone (resolve
 * symlinks first, with `realpath`, when a link must not lead out).
 */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}
