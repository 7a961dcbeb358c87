/**
 * src/tick-shapes.ts: full collections at idle moments make Node's
 * `process.nextTick` caches megamorphic, unless a tick object is kept. Run
 * in child processes (bench/tick-shapes.mjs, on the built dist/): it needs
 * V8 flags a test process does not have. No timing is asserted: V8's own
 * print of the caches says whether they stayed monomorphic.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ROOT } from '../helpers/site.js';

/**
 * The states of the caches that define the tick object's properties, after
 * idle full collections. V8 prints them on the child's stdout through C's
 * buffered stdio, whose tail a pipe lost at exit (3-7 KB of 11.8 arrived
 * with `execFileSync`'s pipe): the child writes to a file instead.
 */
function tickCaches(keep: boolean): { states: string[]; print: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'lede-tick-shapes-'));
  try {
    const file = path.join(dir, 'out.txt');
    const fd = openSync(file, 'w');
    try {
      execFileSync(process.execPath, ['--expose-gc', '--allow-natives-syntax', 'bench/tick-shapes.mjs', ...(keep ? ['--keep'] : []), '20'], {
        cwd: ROOT,
        stdio: ['ignore', fd, 'pipe'],
      });
    } finally {
      closeSync(fd);
    }
    const out = readFileSync(file, 'utf8');
    const states = [...out.matchAll(/DefineKeyedOwnPropertyInLiteral (\w+)/g)].map((m) => m[1]!);
    // What V8 said of the function, to read when a run printed no caches.
    const print = out
      .split('\n')
      .filter((line) => /a tick|feedback vector|invocation count|code: /.test(line))
      .join('\n');
    return { states, print };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("keeping the tick objects' shapes", () => {
  it('keeps every cache of the tick literal monomorphic through idle full collections', () => {
    const asNodeIs = tickCaches(false).states;
    // The control: Node 22, 24 and 26 lose them. A release that does not leaves nothing to
    // check: said, not hidden (and src/tick-shapes.ts may then go).
    if (!asNodeIs.includes('MEGAMORPHIC')) {
      console.warn(`tick-shapes: Node ${process.version} keeps its tick caches by itself (${asNodeIs.join(', ') || 'no cache print'}); nothing to check`);
      return;
    }
    const kept = tickCaches(true);
    expect({ caches: kept.states.length, print: kept.print }).toEqual({ caches: asNodeIs.length, print: kept.print });
    expect(kept.states).toEqual(kept.states.map(() => 'MONOMORPHIC'));
  });
});
