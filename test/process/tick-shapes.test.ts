/**
 * src/tick-shapes.ts: full collections at idle moments make Node's
 * `process.nextTick` caches megamorphic, unless a tick object is kept. Run
 * in child processes (bench/tick-shapes.mjs, on the built code): it needs
 * V8 flags a test process does not have. No timing is asserted: V8's own
 * print of the caches says whether they stayed monomorphic.
 */
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { buildServer } from '../helpers/child-server.js';
import { ROOT } from '../helpers/site.js';

/** The states of the caches that define the tick object's properties, after idle full collections. */
function tickCaches(keep: boolean): string[] {
  const out = execFileSync(process.execPath, ['--expose-gc', '--allow-natives-syntax', 'bench/tick-shapes.mjs', ...(keep ? ['--keep'] : []), '20'], { cwd: ROOT, encoding: 'utf8' });
  return [...out.matchAll(/DefineKeyedOwnPropertyInLiteral (\w+)/g)].map((m) => m[1]!);
}

describe("keeping the tick objects' shapes", () => {
  beforeAll(() => buildServer());

  it('keeps every cache of the tick literal monomorphic through idle full collections', () => {
    const asNodeIs = tickCaches(false);
    // Where Node itself does not lose them (another version), there is nothing to prevent: said, not hidden.
    if (!asNodeIs.includes('MEGAMORPHIC')) {
      console.warn(`tick-shapes: Node ${process.version} keeps its tick caches by itself (${asNodeIs.join(', ') || 'no cache print'}); nothing to check`);
      return;
    }
    const kept = tickCaches(true);
    expect(kept.length).toBe(asNodeIs.length);
    expect(kept).toEqual(kept.map(() => 'MONOMORPHIC'));
  });
});
