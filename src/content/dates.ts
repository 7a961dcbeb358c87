/**
 * Post dates. A date written as `2024-02-09` is a calendar date: it is shown as
 * 9 February 2024 whatever the server's time zone, and it goes live at
 * midnight in the site's time zone. A date with a time and an offset
 * (`2024-02-09T08:30:00+01:00`) is an exact instant, shown as the day its
 * author wrote. Other generators' forms are read too (see `DATE_FORMS`).
 */
import { memoByText } from './memo.js';
import { DateTime } from 'luxon';

export interface PostDate {
  /** The calendar date as written or as seen in the site's zone: `YYYY-MM-DD`. */
  readonly date: string;
  /** The moment the date stands for, in ms since the epoch. */
  readonly instant: number;
  /** ISO 8601 with offset, for `<time datetime>`, feeds and structured data. */
  readonly iso: string;
  /** True when the author wrote a time of day. */
  readonly hasTime: boolean;
}

/**
 * The forms a date may be written in, as other generators write them (named
 * in the error message of a date that is none of them).
 */
export const DATE_FORMS =
  'YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] with an optional offset (+02:00, +0200, Z), ISO 8601, RFC 2822 ("Mon, 09 Sep 2024 04:38:21 +0000"), JavaScript\'s ("Mon Sep 09 2024 04:38:21 GMT+0000"), or "Dec 15, 2019"';

const DATE_ONLY = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/;
/**
 * ISO 8601 / RFC 3339, and the looser forms Jekyll, Hugo and Hexo accept: a
 * space instead of `T`, a space before the offset (`2013-05-06 02:12:52 +0200`),
 * single-digit months and days, `/` separators, a ` UTC`/` GMT` suffix.
 */
const DATE_TIME = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;
/** `Dec 15, 2019`, `December 15 2019`, `15 Dec 2019`, `15 December, 2019`, and JavaScript's `toDateString()`: `Tue Sep 10 2024`. */
const MONTH_NAME_FORMATS = [
  'EEE LLL dd yyyy',
  'LLL d, yyyy',
  'LLLL d, yyyy',
  'LLL d yyyy',
  'LLLL d yyyy',
  'd LLL yyyy',
  'd LLLL yyyy',
  'd LLL, yyyy',
  'd LLLL, yyyy',
];
/**
 * Forms with a time of day, read by luxon: JavaScript's `Date.prototype.toString()`
 * (`Mon Sep 09 2024 04:38:21 GMT+0000`, its zone's name in brackets taken off
 * first), and month names with a time (`Dec 15, 2019 4:30 PM`), in the site's
 * zone when they name none.
 */
const TIMED_FORMATS = [
  "EEE MMM dd yyyy HH:mm:ss 'GMT'ZZZ",
  "EEE MMM d yyyy HH:mm:ss 'GMT'ZZZ",
  'LLL d, yyyy h:mm a',
  'LLLL d, yyyy h:mm a',
  'LLL d, yyyy HH:mm',
  'LLLL d, yyyy HH:mm',
  'LLL d, yyyy HH:mm:ss',
  'd LLL yyyy HH:mm',
  'd LLLL yyyy HH:mm',
];
/** The zone's name that `Date.prototype.toString()` writes after the offset: `(Coordinated Universal Time)`. */
const ZONE_NAME = /\s*\([^()]*\)$/;

/**
 * Parses a frontmatter date in the given IANA zone; returns `undefined` when
 * the text is not a date (the caller reports it).
 */
export function parseDate(text: string, zone: string): PostDate | undefined {
  // Finding a zone's offset goes through Intl and costs about 10 us: at
  // start-up with 10,000 posts that was the largest cost of the scan.
  const key = `${zone} ${text}`;
  const known = parsed.get(key);
  if (known !== undefined || parsed.has(key)) return known;
  const date = parseDateUncached(text, zone);
  if (parsed.size >= 100_000) parsed.clear();
  parsed.set(key, date);
  return date;
}

/** Parsed dates by zone and text; `PostDate`s are immutable, so they are shared. */
const parsed = new Map<string, PostDate | undefined>();

function parseDateUncached(text: string, zone: string): PostDate | undefined {
  const trimmed = text.trim();
  const dateOnly = DATE_ONLY.exec(trimmed);
  if (dateOnly) return calendarDate(isoDay(dateOnly[1]!, dateOnly[2]!, dateOnly[3]!), zone);
  const dateTime = DATE_TIME.exec(trimmed);
  if (dateTime) {
    const [, y, mo, d, h, mi, s, frac, offset] = dateTime;
    const zoneText = isoOffset(offset);
    if (zoneText === undefined) return undefined;
    const iso = `${isoDay(y!, mo!, d!)}T${h!.padStart(2, '0')}:${mi}:${s ?? '00'}${frac ?? ''}${zoneText}`;
    const dt = DateTime.fromISO(iso, { zone, setZone: true });
    if (!dt.isValid) return undefined;
    // The calendar day the author wrote, not the day it is in the site's zone
    // (or in UTC): `2024-06-23 21:56:58 -0700` is 23 June to its writer, and
    // to every reader. Only the order and the moment it goes live use the instant.
    return { date: dt.toISODate()!, instant: dt.toMillis(), iso: dt.toISO({ suppressMilliseconds: true })!, hasTime: true };
  }
  for (const format of MONTH_NAME_FORMATS) {
    const dt = DateTime.fromFormat(trimmed, format, { zone, locale: 'en' });
    if (dt.isValid) return calendarDate(dt.toISODate()!, zone);
  }
  // RFC 2822, as in RSS and in posts exported from it: `Mon, 06 May 2013 02:12:52 +0200`;
  // HTTP's forms (`Date.prototype.toUTCString()`); ISO 8601 in the forms the regexes above leave
  // (`2024-09-09T04:38:21.000Z` is theirs; `20240909T0438Z`, `2024-W37-1`, `2024-09` are luxon's).
  for (const read of [DateTime.fromRFC2822, DateTime.fromHTTP]) {
    const dt = read(trimmed, { zone, setZone: true });
    if (dt.isValid) return instantAsWritten(dt);
  }
  // A year alone (`2024`) is a number, not a day.
  const iso = /^\d{4}$/.test(trimmed) ? undefined : DateTime.fromISO(trimmed, { zone, setZone: true });
  if (iso?.isValid) return /t/i.test(trimmed) ? instantAsWritten(iso) : calendarDate(iso.toISODate()!, zone);
  const unnamed = trimmed.replace(ZONE_NAME, '');
  for (const format of TIMED_FORMATS) {
    const dt = DateTime.fromFormat(unnamed, format, { zone, setZone: true, locale: 'en' });
    if (dt.isValid) return instantAsWritten(dt);
  }
  return undefined;
}

/** A moment with a time of day, on the day its writer wrote (in the offset written, else the site's zone). */
function instantAsWritten(dt: DateTime): PostDate {
  return { date: dt.toISODate()!, instant: dt.toMillis(), iso: dt.toISO({ suppressMilliseconds: true })!, hasTime: true };
}

/** A calendar date: live at midnight in the site's zone, shown as written everywhere. */
function calendarDate(day: string, zone: string): PostDate | undefined {
  const dt = DateTime.fromISO(day, { zone });
  if (!dt.isValid) return undefined;
  return { date: day, instant: dt.toMillis(), iso: day, hasTime: false };
}

function isoDay(year: string, month: string, day: string): string {
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/**
 * `+0200` and `+02` as luxon reads them (`+02:00`); no offset means the
 * site's zone; `undefined` for an offset no place has (real ones run from
 * -12:00 to +14:00), which luxon would take.
 */
function isoOffset(offset: string | undefined): string | undefined {
  if (!offset) return '';
  if (/^(Z|UTC|GMT)$/i.test(offset)) return 'Z';
  const [, sign, hh, mm = '00'] = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset)!;
  if (Number(hh) > 14 || Number(mm) > 59) return undefined;
  return `${sign}${hh}:${mm}`;
}

/** A date from a file's modification time, seen in the site's zone. */
export function dateFromInstant(ms: number, zone: string): PostDate {
  const dt = DateTime.fromMillis(ms, { zone });
  return { date: dt.toISODate()!, instant: ms, iso: dt.toISO({ suppressMilliseconds: true })!, hasTime: true };
}

/** `9 February 2024`: the calendar date, never shifted by a time zone. */
export function formatDate(date: PostDate, locale: string): string {
  // Every page shows dates, an index page dozens: luxon takes a quarter of a millisecond for one.
  return formattedDates(`${locale} ${date.date}`);
}

const formattedDates = memoByText((key) => {
  const [locale, date] = key.split(' ') as [string, string];
  return DateTime.fromISO(date, { zone: 'UTC' }).setLocale(locale).toLocaleString(DateTime.DATE_FULL);
});
