/**
 * Whether a module is the script Node was started with (`node dist/cli/check.js`,
 * `node dist/server.js`, or the `lede` link that npm puts in
 * `node_modules/.bin`, which names it through a symlink), or was imported by
 * `lede` to run one of its commands (src/commands.ts).
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function isEntry(moduleUrl: string): boolean {
  const started = process.argv[1];
  if (!started) return false;
  try {
    return realpathSync(started) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
