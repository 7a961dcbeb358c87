/**
 * Which folder the content folder is, through deploys (src/content/content-root.ts):
 * a `current` symlink swapped to a new release is `moved`, a folder gone
 * after a first read is `missing` (logged once), and back it is `moved`,
 * with the gap measured on the injected clock.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ContentRoot } from '../../src/content/content-root.js';

describe('ContentRoot', () => {
  let base: string;
  let current: string;
  let now: number;
  let logged: { level: string; msg: string }[];
  let root: ContentRoot;

  /** Points `current` at `release`, as a deploy does: a new link renamed over the old one. */
  const pointTo = (release: string): void => {
    const next = path.join(base, 'current.tmp');
    symlinkSync(path.join(base, release), next);
    renameSync(next, current);
  };

  beforeEach(() => {
    base = mkdtempSync(path.join(os.tmpdir(), 'lede-root-'));
    mkdirSync(path.join(base, 'r1'));
    mkdirSync(path.join(base, 'r2'));
    current = path.join(base, 'current');
    pointTo('r1');
    now = 1000;
    logged = [];
    const logger = {
      warn: (_obj: object, msg: string) => void logged.push({ level: 'warn', msg }),
      info: (_obj: object, msg: string) => void logged.push({ level: 'info', msg }),
    };
    root = new ContentRoot(current, logger, () => now);
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('should be the same folder until the symlink points to a new release', () => {
    expect(root.follow(false)).toBe('same');
    expect(root.real).toBe(path.join(base, 'r1'));
    expect(root.follow(true)).toBe('same');
    pointTo('r2');
    expect(root.realNow()).toBe(path.join(base, 'r2'));
    expect(root.real).toBe(path.join(base, 'r1'));
    expect(root.follow(true)).toBe('moved');
    expect(root.real).toBe(path.join(base, 'r2'));
    expect(root.follow(true)).toBe('same');
    expect(logged).toEqual([{ level: 'info', msg: 'the content folder now points to a new release' }]);
  });

  it('should be missing once read and gone, logging it once, and moved when it is back, with the gap', () => {
    root.follow(false);
    rmSync(current);
    expect(root.realNow()).toBeUndefined();
    expect(root.follow(true)).toBe('missing');
    now += 250;
    expect(root.follow(true)).toBe('missing');
    expect(root.missing).toBe(true);
    pointTo('r1');
    expect(root.follow(true)).toBe('moved');
    expect(root.missing).toBe(false);
    expect(logged).toEqual([
      { level: 'warn', msg: 'the content folder is missing; serving the last good pages until it is back' },
      { level: 'warn', msg: 'the content folder is back after 250 ms' },
    ]);
  });

  it('should leave a folder never read to the scan to report', () => {
    rmSync(current);
    expect(root.follow(false)).toBe('same');
    expect(root.missing).toBe(false);
    expect(logged).toEqual([]);
  });
});
