import { describe, expect, it } from '@jest/globals';
import { formatDate, parseDate } from '../../src/content/dates.js';

// Calendar dates must not move with the server's time zone. `npm test` runs
// this file again with TZ=America/Los_Angeles and TZ=Pacific/Kiritimati.
const serverZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

describe(`dates with the server in ${serverZone}`, () => {
  it('should run in the zone that TZ names', () => {
    if (process.env.TZ) expect(serverZone).toBe(process.env.TZ);
  });

  it('should show 2024-02-09 as 9 February 2024', () => {
    const date = parseDate('2024-02-09', 'UTC')!;
    expect(date.date).toBe('2024-02-09');
    expect(formatDate(date, 'en-GB')).toBe('9 February 2024');
  });

  it('should show the calendar date whatever the site zone', () => {
    for (const site of ['Pacific/Kiritimati', 'America/Los_Angeles', 'Asia/Tokyo']) {
      expect(formatDate(parseDate('2024-02-09', site)!, 'en-GB')).toBe('9 February 2024');
    }
  });

  it('should put a date-only post live at midnight in the site zone', () => {
    expect(parseDate('2024-02-09', 'UTC')!.instant).toBe(Date.UTC(2024, 1, 9));
    expect(parseDate('2024-02-09', 'America/Los_Angeles')!.instant).toBe(Date.UTC(2024, 1, 9, 8));
    expect(parseDate('2024-02-09', 'Pacific/Kiritimati')!.instant).toBe(Date.UTC(2024, 1, 8, 10));
  });

  it('should honour a time with an offset exactly', () => {
    const date = parseDate('2024-02-09T08:30:00+01:00', 'America/Los_Angeles')!;
    expect(date.instant).toBe(Date.UTC(2024, 1, 9, 7, 30));
    expect(date.iso).toBe('2024-02-09T08:30:00+01:00');
    expect(date.hasTime).toBe(true);
  });

  it('should read a time without an offset in the site zone', () => {
    expect(parseDate('2024-02-09 09:00', 'Europe/London')!.instant).toBe(Date.UTC(2024, 1, 9, 9));
  });

  it('should refuse text that is not a date', () => {
    for (const bad of ['yesterday', '2024-13-01', '2024-02-30', '09/02/2024', '2024']) expect(parseDate(bad, 'UTC')).toBeUndefined();
  });
});
