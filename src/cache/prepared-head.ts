/**
 * A response head made once per representation (per change of a page) and
 * written on every hit without Node checking it again.
 *
 * `res.writeHead(status, list)` validates each header name and value with a
 * regular expression and builds the head one line at a time: with the 18
 * headers of a page (a 300-byte Content-Security-Policy among them) that was
 * about a tenth of a cache hit's CPU, for the same lines every time. Here the
 * lines are validated once (`prepareHead`, with `node:http`'s own
 * validators) and joined into one block. A hit hands Node that block in the
 * form it keeps headers set with `setHeader` (already validated, so written
 * as they are): the response's own header map, which `writeHead(status)`
 * with no list then writes. The block is one entry; the headers Node acts on
 * (Content-Length, Connection, ...) stay entries of their own, so Node sees
 * them as before. The map is taken away again right after, as `writeHead`
 * with a list leaves none.
 *
 * That map is Node's internal (`kOutHeaders`): whether it behaves as this
 * module expects is checked once, at load, by writing the same head both
 * ways and comparing the bytes. When it does not (another Node), or when the
 * response already has headers set (the Express path; a shutdown's
 * `Connection: close`), the head goes through `writeHead(status, list)` as
 * before. The bytes on the wire are the same either way.
 */
import { IncomingMessage, ServerResponse, validateHeaderName, validateHeaderValue } from 'node:http';
import { Socket } from 'node:net';

/** A response's header map as Node keeps it: lower-case name -> [name as given, value]. */
type HeaderMap = Record<string, [string, string]>;
type Slots = Record<symbol, HeaderMap | null>;

/** Headers whose value Node's `_storeHeader` reads (framing, keep-alive): never hidden in the block. */
const NODE_READS = new Set(['connection', 'content-length', 'transfer-encoding', 'date', 'expect', 'trailer', 'keep-alive']);

export interface PreparedHead {
  /** Every header, as `writeHead` takes them: name, value, name, value... */
  readonly list: readonly string[];
  /** The same with a last name/value slot for one header of the response (the request id). */
  readonly listAndOne: string[];
  /** The lines as one block and Node's headers, in Node's header-map form; undefined where that form is unavailable. */
  readonly map: HeaderMap | undefined;
  /** The same with the slot for one header of the response last. */
  readonly mapAndOne: HeaderMap | undefined;
  readonly one: [string, string];
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
  const one: [string, string] = ['', ''];
  const map = OUT_HEADERS === undefined ? undefined : headerMap(list);
  return {
    list,
    listAndOne: [...list, '', ''],
    map,
    mapAndOne: map && withOne(map, one),
    one,
  };
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
  const slots = res as unknown as Slots;
  if (OUT_HEADERS !== undefined && head.map && slots[OUT_HEADERS] === null) {
    let map = head.map;
    if (oneName !== undefined) {
      head.one[0] = oneName;
      head.one[1] = oneValue;
      map = head.mapAndOne!;
    }
    // Filling the shared map is safe: `writeHead` reads it at once, and it is taken away before anything else runs.
    slots[OUT_HEADERS] = map;
    try {
      res.writeHead(status);
    } finally {
      slots[OUT_HEADERS] = null;
    }
    return;
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
 * refuses them, as before.
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

/** The lines Node does not read, joined, as one entry; then Node's own headers as entries (`list` has them last). */
function headerMap(list: readonly string[]): HeaderMap {
  const map = Object.create(null) as HeaderMap;
  let block: [string, string] | undefined;
  // The block's value is joined once into one flat string: built with `+=`, it stayed a rope of a
  // few dozen pieces for as long as the page was cached (about 2 KB a head), walked on every hit.
  const lines: string[] = [];
  for (let i = 0; i < list.length; i += 2) {
    const name = list[i]!;
    const value = list[i + 1]!;
    const lower = name.toLowerCase();
    if (NODE_READS.has(lower)) map[lower] = [name, value];
    // Node writes `name: value\r\n` per entry: the first line's name, then its value and the other lines.
    else if (block) lines.push(`${name}: ${value}`);
    else {
      map['\0block'] = block = [name, value];
      lines.push(value);
    }
  }
  if (block) block[1] = lines.join('\r\n');
  return map;
}

function withOne(map: HeaderMap, one: [string, string]): HeaderMap {
  return Object.assign(Object.create(null) as HeaderMap, map, { '\0one': one });
}

/**
 * Node's `kOutHeaders` symbol, if a head written through it is byte for byte
 * the head `writeHead(status, list)` writes; else undefined.
 */
function outHeadersSymbol(): symbol | undefined {
  try {
    const probe = newResponse();
    const symbol = Object.getOwnPropertySymbols(probe).find((s) => s.description === 'kOutHeaders');
    if (symbol === undefined || (probe as unknown as Slots)[symbol] !== null) return undefined;
    const list = nodeReadsLast(['X-A', 'a', 'Content-Length', '2', 'Content-Type', 'text/plain', 'ETag', '"e"']);
    const expected = newResponse();
    expected.writeHead(200, [...list, 'X-Request-Id', 'r']);
    (probe as unknown as Slots)[symbol] = withOne(headerMap(list), ['X-Request-Id', 'r']);
    probe.writeHead(200);
    (probe as unknown as Slots)[symbol] = null;
    const head = (res: ServerResponse): unknown => (res as unknown as { _header: unknown })._header;
    const written = head(probe);
    return typeof written === 'string' && written === head(expected) && written.includes('X-A: a\r\nContent-Type: text/plain\r\nETag: "e"\r\nContent-Length: 2\r\n') ? symbol : undefined;
  } catch {
    return undefined;
  }
}

function newResponse(): ServerResponse {
  const req = new IncomingMessage(new Socket());
  req.method = 'GET';
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  const res = new ServerResponse(req);
  res.sendDate = false;
  return res;
}

const OUT_HEADERS = outHeadersSymbol();

/** Whether hits write their head through Node's header map (true on the Node versions this was checked with). */
export const fastHeads = OUT_HEADERS !== undefined;
