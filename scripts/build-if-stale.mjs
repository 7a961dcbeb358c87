/**
 * Compiles `src/` into `dist/` only when `dist/` is not its build
 * (scripts/build-state.mjs), so `npm start`, `npm run check`, `npm run new`
 * and `npm run export` start at once when nothing changed; tsc's own
 * incremental check alone costs about 2 s.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { staleBuild } from './build-state.mjs';

const why = staleBuild();
if (why) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const built = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit', cwd: new URL('..', import.meta.url) });
  process.exitCode = built.status ?? 1;
}
