/**
 * Post dates. A date written as `2024-02-09` is a calendar date: it is shown as
 * 9 February 2024 whatever the server's time zone, and it goes live at
 * midnight in the site's time zone. A date with a time and an offset
 * (`2024-02-09T08:30:00+01:00`) is an exact instant.
 */
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

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

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
  if (DATE_ONLY.test(trimmed)) {
    const dt = DateTime.fromISO(trimmed, { zone });
    if (!dt.isValid) return undefined;
    return { date: trimmed, instant: dt.toMillis(), iso: trimmed, hasTime: false };
  }
  if (DATE_TIME.test(trimmed)) {
    const dt = DateTime.fromISO(trimmed.replace(' ', 'T'), { zone, setZone: true });
    if (!dt.isValid) return undefined;
    const local = dt.setZone(zone);
    return { date: local.toISODate()!, instant: dt.toMillis(), iso: dt.toISO({ suppressMilliseconds: true })!, hasTime: true };
  }
  return undefined;
}

/** A date from a file's modification time, seen in the site's zone. */
export function dateFromInstant(ms: number, zone: string): PostDate {
  const dt = DateTime.fromMillis(ms, { zone });
  return { date: dt.toISODate()!, instant: ms, iso: dt.toISO({ suppressMilliseconds: true })!, hasTime: true };
}

/** `9 February 2024`: the calendar date, never shifted by a time zone. */
export function formatDate(date: PostDate, locale: string): string {
  return DateTime.fromISO(date.date, { zone: 'UTC' }).setLocale(locale).toLocaleString(DateTime.DATE_FULL);
}
