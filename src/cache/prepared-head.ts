/**
 * A response head made once per representation (per change of a page) and
 * written on every hit: the header names and values are validated once
 * (`prepareHead`, with `node:http`'s own validators), held one byte a
 * character, and handed to `writeHead(status, list)` as one flat list, with
 * the headers Node acts on (Content-Length, Connection, ...) last. Only
 * public `node:http` APIs are used, so a new Node release cannot change
 * what is written.
 */
import { validateHeaderName, validateHeaderValue, type ServerResponse } from 'node:http';

/** Headers Node reads itself when it writes a head (framing, keep-alive): written last, as Node orders them. */
const NODE_READS = new Set(['connection', 'content-length', 'transfer-encoding', 'date', 'expect', 'trailer', 'keep-alive']);

export interface PreparedHead {
  /** Every header, as `writeHead` takes them: name, value, name, value... */
  readonly list: readonly string[];
  /** The same with a last name/value slot for one header of the response (the request id). */
  readonly listAndOne: string[];
}

/**
 * Validates the headers (name, value, name, value...) once and prepares them
 * for every hit. Both forms write them in the same order: the headers Node
 * reads after the others.
 */
export function prepareHead(headers: readonly string[]): PreparedHead {
  for (let i = 0; i < headers.length; i += 2) {
    validateHeaderName(headers[i]!);
    validateHeaderValue(headers[i]!, headers[i + 1]!);
  }
  const list = nodeReadsLast(headers.map(oneByte));
  return { list, listAndOne: [...list, '', ''] };
}

declare const checked: unique symbol;

/**
 * A header value checked where it is made, so that writing it on every hit
 * needs no check (Node's took a hundredth of a cache hit's CPU, for a request
 * id made by Lede itself or already checked against a stricter pattern).
 */
export type CheckedHeaderValue = string & { readonly [checked]: true };

/** `value`, checked with Node's own validator: it throws on anything a head cannot carry (CR, LF, controls). */
export function checkedHeaderValue(name: string, value: string): CheckedHeaderValue {
  validateHeaderValue(name, value);
  return value as CheckedHeaderValue;
}

/** The value of an unnamed extra header: never written, and an empty value is valid anyway. */
const EMPTY_VALUE = '' as CheckedHeaderValue;

/** The last name `writePreparedHead` validated for its one header of the response. */
let validatedName: string | undefined;

/**
 * Writes the head: `status`, the prepared headers and, when named, one header
 * of this response (the request id), whose value was checked where it was made.
 */
export function writePreparedHead(res: ServerResponse, status: number, head: PreparedHead, oneName?: string, oneValue = EMPTY_VALUE): void {
  if (oneName !== undefined) {
    // The name is the same on every request (X-Request-Id): checked once.
    if (oneName !== validatedName) {
      validateHeaderName(oneName);
      validatedName = oneName;
    }
  }
  if (oneName === undefined) {
    res.writeHead(status, head.list as string[]);
    return;
  }
  const list = head.listAndOne;
  list[list.length - 2] = oneName;
  list[list.length - 1] = oneValue;
  res.writeHead(status, list);
}

/**
 * The same characters held one byte each, as a head is written. A value cut
 * from a post's text (a tag or slug in `Surrogate-Key`) is held two bytes a
 * character when the file has any character past Latin-1 (a curly quote),
 * and then so was the whole head joined with it: each hit, Node flattened it
 * as two-byte and narrowed it again to write it: 3.1% of the CPU of the
 * 100,000-post tag page's hits under load (perf), 0.65% once one-byte (the
 * flattening Node does anyway). Values past Latin-1 stay as they are: Node
 * refuses them when the head is written.
 */
export function oneByte(value: string): string {
  return LATIN1.test(value) ? Buffer.from(value, 'latin1').toString('latin1') : value;
}

const LATIN1 = /^[\x00-\xff]*$/;

function nodeReadsLast(headers: readonly string[]): string[] {
  const others: string[] = [];
  const reads: string[] = [];
  for (let i = 0; i < headers.length; i += 2) (NODE_READS.has(headers[i]!.toLowerCase()) ? reads : others).push(headers[i]!, headers[i + 1]!);
  return [...others, ...reads];
}
