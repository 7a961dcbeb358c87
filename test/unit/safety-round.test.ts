/**
 * The safety round of a watched folder (src/content/safety-round.ts): every
 * post file `stat`ed once a round, a share at each step, instead of the whole
 * folder listed at once.
 */
import { statSync, utimesSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { signatureOf } from '../../src/content/find-posts.js';
import type { FileSignature } from '../../src/content/post.js';
import { SAFETY_LISTING_SHARE, SafetyRound, safetyRoundMs, type RoundStep } from '../../src/content/safety-round.js';
import { TempContent } from '../helpers/site.js';

const FILES = 50;
const ROUND_MS = 10_000;

describe('SafetyRound', () => {
  let content: TempContent;
  let files: Map<string, { signature: FileSignature }>;
  let names: string[];
  beforeEach(() => {
    content = new TempContent();
    files = new Map();
    for (let i = 0; i < FILES; i++) {
      const file = content.post(`p${i}.md`, { title: `P${i}` });
      files.set(file, { signature: signatureOf(statSync(file)) });
    }
    names = [...files.keys()];
  });
  afterEach(() => content.cleanup());

  /** Steps once a second from `start`; the steps' results. */
  function steps(round: SafetyRound, start: number, seconds: number): RoundStep[] {
    return Array.from({ length: seconds }, (_, i) => round.step(files, start + (i + 1) * 1000, ROUND_MS));
  }

  /** Changes a file in place, as an editor that the watch did not hear would. */
  function touch(file: string): void {
    writeFileSync(file, 'changed in place\n');
    utimesSync(file, new Date(2001, 0, 1), new Date(2001, 0, 1));
  }

  it('sees every file once a round: a round of 10 s ends after ten steps of a second, all the same', () => {
    const round = new SafetyRound();
    round.restart(0);
    expect(steps(round, 0, 10)).toEqual([...Array<RoundStep>(9).fill('same'), 'round-done']);
    expect(steps(round, 10_000, 10)).toEqual([...Array<RoundStep>(9).fill('same'), 'round-done']);
  });

  it('finds a file changed in place at the step whose share holds it, and not before', () => {
    const round = new SafetyRound();
    round.restart(0);
    // Five files a step: the 23rd file is in the fifth step's share.
    touch(names[22]!);
    expect(steps(round, 0, 5)).toEqual(['same', 'same', 'same', 'same', 'changed']);
  });

  it('finds a file that is gone', () => {
    const round = new SafetyRound();
    round.restart(0);
    content.remove('p1.md');
    expect(round.step(files, 1000, ROUND_MS)).toBe('changed');
  });

  it('does at most two seconds of the round after a long quiet spell: the first request after an idle hour is not a listing', () => {
    const round = new SafetyRound();
    round.restart(0);
    touch(names[FILES - 1]!);
    expect(round.step(files, 3_600_000, ROUND_MS)).toBe('same');
    // The rest of the round follows a share a second, as usual.
    expect(steps(round, 3_600_000, 8)).toEqual([...Array<RoundStep>(7).fill('same'), 'changed']);
  });

  it('carries a fraction over, so a folder of one file is still seen once a round', () => {
    const one = new Map([[names[0]!, files.get(names[0]!)!]]);
    const round = new SafetyRound();
    round.restart(0);
    const results = Array.from({ length: 10 }, (_, i) => round.step(one, (i + 1) * 1000, ROUND_MS));
    expect(results).toEqual([...Array<RoundStep>(9).fill('same'), 'round-done']);
    touch(names[0]!);
    expect(Array.from({ length: 10 }, (_, i) => round.step(one, 10_000 + (i + 1) * 1000, ROUND_MS)).at(-1)).toBe('changed');
  });

  it('ends a round of an empty folder too, when the settings are looked at', () => {
    const round = new SafetyRound();
    round.restart(0);
    expect(Array.from({ length: 10 }, (_, i) => round.step(new Map(), (i + 1) * 1000, ROUND_MS)).at(-1)).toBe('round-done');
  });

  it('starts again from the first file after a listing', () => {
    const round = new SafetyRound();
    round.restart(0);
    steps(round, 0, 5);
    touch(names[3]!);
    // The share of the first five steps was seen before the change: only a new round would find it.
    expect(steps(round, 5000, 5)).toEqual(['same', 'same', 'same', 'same', 'round-done']);
    round.restart(10_000);
    expect(round.step(files, 11_000, ROUND_MS)).toBe('changed');
  });
});

describe('safetyRoundMs', () => {
  it('should keep the configured round for a folder that lists quickly', () => {
    expect(safetyRoundMs(10_000, 0)).toBe(10_000);
    expect(safetyRoundMs(10_000, 60)).toBe(10_000);
  });

  it('should lengthen the round of a slow folder so that its stats take about 1% of the time', () => {
    expect(SAFETY_LISTING_SHARE).toBe(0.01);
    expect(safetyRoundMs(10_000, 500)).toBe(50_000);
    expect(safetyRoundMs(10_000, 2_000)).toBe(200_000);
  });
});
