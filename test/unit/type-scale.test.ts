/**
 * One type scale for every view (docs/themes.md, "Type"): each font size in
 * public/style.css is a step of the scale (`var(--step-…)`), or relative to
 * the size around it (`em`, `inherit`), or in points for print.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ROOT } from '../helpers/site.js';

const css = readFileSync(path.join(ROOT, 'public', 'style.css'), 'utf8');

describe('public/style.css', () => {
  it('should size all text from the --step-* scale', () => {
    const sizes = [...css.matchAll(/font-size:\s*([^;}]+)/g)].map((m) => m[1]!.trim());
    expect(sizes.length).toBeGreaterThan(30);
    const offScale = sizes.filter((size) => !/^(var\(--step--?\d\)|inherit|\d*\.?\d+em|\d+pt)$/.test(size));
    expect(offScale).toEqual([]);
  });

  it('should define each step once, fluid between a floor and a ceiling', () => {
    const steps = [...css.matchAll(/(--step--?\d):\s*([^;]+);/g)].map((m) => [m[1], m[2]]);
    expect(steps.map(([name]) => name)).toEqual(['--step--2', '--step--1', '--step-0', '--step-1', '--step-2', '--step-3', '--step-4']);
    for (const [, value] of steps) expect(value).toMatch(/^clamp\(/);
  });

  it('should use only the weights the bundled faces have (400 and 600)', () => {
    const weights = [...css.matchAll(/font-weight:\s*(\d+)/g)].map((m) => m[1]);
    // highlight.js's strong tokens ask for 700, which the browser sets in the 600 face.
    expect(weights.filter((w) => w !== '400' && w !== '600' && w !== '700')).toEqual([]);
    expect(weights.filter((w) => w === '700')).toHaveLength(1);
  });
});
