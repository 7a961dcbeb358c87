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

  describe('in the forms other tools write (issue 29)', () => {
    it("should read JavaScript's Date.prototype.toString(), on the day and at the offset it names", () => {
      const utc = parseDate('Mon Sep 09 2024 04:38:21 GMT+0000 (Coordinated Universal Time)', 'Europe/Paris')!;
      expect(utc).toEqual({ date: '2024-09-09', instant: Date.UTC(2024, 8, 9, 4, 38, 21), iso: '2024-09-09T04:38:21Z', hasTime: true });
      const cest = parseDate('Mon Sep 09 2024 00:38:21 GMT+0200 (Central European Summer Time)', 'UTC')!;
      expect(cest.date).toBe('2024-09-09');
      expect(cest.instant).toBe(Date.UTC(2024, 8, 8, 22, 38, 21));
      expect(parseDate('Tue Sep 10 2024', 'UTC')).toMatchObject({ date: '2024-09-10', hasTime: false });
    });
    it("should read toUTCString()'s HTTP date and ISO 8601's other forms", () => {
      expect(parseDate('Mon, 09 Sep 2024 04:38:21 GMT', 'Asia/Tokyo')!.instant).toBe(Date.UTC(2024, 8, 9, 4, 38, 21));
      expect(parseDate('20240909T0438Z', 'Asia/Tokyo')!.instant).toBe(Date.UTC(2024, 8, 9, 4, 38));
      expect(parseDate('2024-W37-1', 'Asia/Tokyo')).toMatchObject({ date: '2024-09-09', hasTime: false });
    });
    it("should read a time with no zone in the site's zone", () => {
      expect(parseDate('2024-09-09 04:38', 'Europe/Paris')!.iso).toBe('2024-09-09T04:38:00+02:00');
      expect(parseDate('Sep 9, 2024 4:30 PM', 'Europe/Paris')!.iso).toBe('2024-09-09T16:30:00+02:00');
    });
  });

  describe('as other generators write them (issue 15)', () => {
    it("should read Jekyll's own format, with a space before the offset", () => {
      const date = parseDate('2013-05-06 02:12:52 +0200', 'UTC')!;
      expect(date.instant).toBe(Date.UTC(2013, 4, 6, 0, 12, 52));
      expect(date.date).toBe('2013-05-06');
      expect(date.iso).toBe('2013-05-06T02:12:52+02:00');
    });

    it('should show the calendar day the author wrote, not the day in UTC or in the site zone', () => {
      for (const site of ['UTC', 'Asia/Tokyo', 'Pacific/Kiritimati']) {
        const date = parseDate('2024-06-23 21:56:58 -0700', site)!;
        expect(date.date).toBe('2024-06-23');
        expect(formatDate(date, 'en-GB')).toBe('23 June 2024');
        expect(date.instant).toBe(Date.UTC(2024, 5, 24, 4, 56, 58));
      }
    });

    it('should read a date and time without a zone in the site zone', () => {
      const date = parseDate('2021-09-12 23:16:05', 'Europe/Paris')!;
      expect(date.date).toBe('2021-09-12');
      expect(date.instant).toBe(Date.UTC(2021, 8, 12, 21, 16, 5));
    });

    it('should read RFC 3339 with an offset, Z, fractions and a TOML local date-time', () => {
      expect(parseDate('2024-02-09T08:30:00.000-05:00', 'UTC')!.instant).toBe(Date.UTC(2024, 1, 9, 13, 30));
      expect(parseDate('2024-02-09T08:30:00Z', 'Asia/Tokyo')!.date).toBe('2024-02-09');
      expect(parseDate('2024-02-09T08:30:00.000', 'UTC')!.instant).toBe(Date.UTC(2024, 1, 9, 8, 30));
      expect(parseDate('2024-02-09 08:30:00 UTC', 'Asia/Tokyo')!.instant).toBe(Date.UTC(2024, 1, 9, 8, 30));
    });

    it('should read month names and loose digits as calendar dates', () => {
      for (const text of ['Dec 15, 2019', 'December 15, 2019', '15 Dec 2019', '2019/12/15', '2019-12-15 ']) {
        const date = parseDate(text, 'America/Los_Angeles')!;
        expect(date.date).toBe('2019-12-15');
        expect(date.hasTime).toBe(false);
      }
      expect(parseDate('2019-1-5', 'UTC')!.date).toBe('2019-01-05');
    });

    it('should read RFC 2822 dates', () => {
      expect(parseDate('Mon, 06 May 2013 02:12:52 +0200', 'UTC')!.instant).toBe(Date.UTC(2013, 4, 6, 0, 12, 52));
    });

    it('should still refuse impossible dates in every form', () => {
      for (const bad of ['2024-02-30 10:00', 'Feb 30, 2024', '2024-02-09 25:00', '2024-02-09T10:00+25:00']) expect(parseDate(bad, 'UTC')).toBeUndefined();
    });
  });
});
