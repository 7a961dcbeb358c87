/**
 * Which URLs authors may write (hero images, canonical links, links in the
 * body and the CTA): http(s), mailto, and relative references. Everything
 * else with a scheme (`javascript:`, `data:`, `vbscript:`, `file:` ...) is
 * refused. The one rule is shared by the frontmatter and settings schemas
 * (an error naming the field) and the HTML sanitizer (the link is dropped).
 */
import { decodeHTML } from 'entities/decode';
import type { z } from 'zod';

export const SAFE_SCHEMES: readonly string[] = ['http', 'https', 'mailto'];

/**
 * Browsers ignore ASCII whitespace and control characters inside a URL's
 * scheme (WHATWG URL: "java\tscript:" is `javascript:`), so they are removed
 * before the scheme is read.
 */
// eslint-disable-next-line no-control-regex
const IGNORED_BY_BROWSERS = /[\u0000-\u0020\u007f]+/g;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/**
 * The scheme a browser would see, lower-cased, or undefined for a relative
 * reference. Character references are decoded first: markdown decodes them
 * in link targets (CommonMark §6.2) and browsers in attributes, so
 * `java&#x09;script:` and `javascript&colon;` are `javascript:` too.
 */
export function schemeOf(url: string): string | undefined {
  const match = SCHEME.exec(decodeHTML(url).replace(IGNORED_BY_BROWSERS, ''));
  return match ? match[1]!.toLowerCase() : undefined;
}

export function isSafeUrl(url: string): boolean {
  const scheme = schemeOf(url);
  return scheme === undefined || SAFE_SCHEMES.includes(scheme);
}

/** The words of a content error for an unsafe URL. */
export function unsafeUrlMessage(url: string): string {
  return `must be an http(s), mailto or relative URL, not a \`${schemeOf(url) ?? '?'}:\` URL`;
}

/** The link and image targets of inline markdown: `[text](target)`, `![alt](target)`, `<target>`. */
const MARKDOWN_TARGET = /\]\(\s*<?([^)\s>]+)|<([a-z][a-z0-9+.-]*:[^>\s]*)>/gi;

/** The first unsafe link target in a piece of markdown, if any. */
export function firstUnsafeMarkdownUrl(markdown: string): string | undefined {
  for (const match of markdown.matchAll(MARKDOWN_TARGET)) {
    const target = match[1] ?? match[2]!;
    if (!isSafeUrl(target)) return target;
  }
  return undefined;
}

/** A zod check: the value is a safe URL (use with `.check()`). */
export function checkUrl(ctx: z.core.ParsePayload<string>): void {
  if (!isSafeUrl(ctx.value)) ctx.issues.push({ code: 'custom', input: ctx.value, message: unsafeUrlMessage(ctx.value) });
}

/** A zod check: every link in a piece of inline markdown is a safe URL (`false` passes). */
export function checkMarkdownLinks(ctx: z.core.ParsePayload<string | false>): void {
  const bad = ctx.value === false ? undefined : firstUnsafeMarkdownUrl(ctx.value);
  if (bad !== undefined) ctx.issues.push({ code: 'custom', input: ctx.value, message: `has a link that ${unsafeUrlMessage(bad)}` });
}
