/**
 * The bounds of what a post may hold, beyond `MAX_POST_BYTES` for the whole
 * file. Each is far above what a real post needs and keeps every page that
 * shows the field small and cheap: a post with 240,000 tags made `/tags`
 * take 1.3 s on every request and an RSS feed of 438 MB. A post over a bound
 * is a content error naming the file, the field and the limit (README,
 * "Security").
 * The slug's bound, `MAX_SLUG_LENGTH`, is in src/content/slug.ts with the rest of the slug rule.
 */

/** The frontmatter block: YAML is parsed on the main thread, at start-up for every post. */
export const MAX_FRONTMATTER_BYTES = 64 * 1024;
export const MAX_TAGS = 50;
export const MAX_TAG_CHARS = 100;
export const MAX_ALIASES = 50;
export const MAX_ALIAS_CHARS = 300;
/** Title, subtitle, author, alt text: one line each on cards and in feeds. */
export const MAX_LINE_CHARS = 500;
/** Description and CTA (the CTA is inline markdown, rendered with the page). */
export const MAX_TEXT_CHARS = 2000;
/**
 * A body longer than this is served without translating other generators'
 * template syntax (src/content/foreign-markup.ts, src/content/body-translation.ts).
 */
export const MAX_TRANSLATED_BODY_CHARS = 256 * 1024;
/**
 * A body longer than this is translated on its render thread, not as its
 * file is read on the main thread: 16 KB of the slowest markup for that pass
 * (`!!! note` lines) is under 10 ms there.
 */
export const MAX_TRANSLATED_AT_PARSE_CHARS = 16 * 1024;
/** Headings listed in a table of contents; the headings themselves all stay. */
export const MAX_OUTLINE_ENTRIES = 200;
