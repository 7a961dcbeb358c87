import { describe, expect, it } from '@jest/globals';
import { SAFETY_LISTING_SHARE, safetyRescanInterval } from '../../src/content/rescan-interval.js';

describe('safetyRescanInterval', () => {
  it('should keep the configured interval for a folder that lists quickly', () => {
    expect(safetyRescanInterval(10_000, 0)).toBe(10_000);
    expect(safetyRescanInterval(10_000, 60)).toBe(10_000);
  });

  it('should space the listings of a slow folder so they take about 1% of the time', () => {
    expect(SAFETY_LISTING_SHARE).toBe(0.01);
    expect(safetyRescanInterval(10_000, 500)).toBe(50_000);
    expect(safetyRescanInterval(10_000, 2_000)).toBe(200_000);
  });
});
