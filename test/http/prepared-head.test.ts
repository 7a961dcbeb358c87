import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { serialize } from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LedeApp } from '../../src/app.js';
import { checkedHeaderValue, prepareHead, writePreparedHead } from '../../src/cache/prepared-head.js';
import { RawServer } from '../helpers/raw-http.js';
import { frontCacheHits, ROOT, TempContent, testApp } from '../helpers/site.js';

const ARTICLE = '/posts/deepseek-rising-challenger';
const ID = checkedHeaderValue('X-Request-Id', 'id-1');
const HEADERS = [
  'X-Frame-Options',
  'DENY',
  'Content-Type',
  'text/plain; charset=utf-8',
  'Content-Length',
  '5',
  'Cache-Control',
  'public, max-age=0',
  'ETag',
  '"abc"',
  'Vary',
  'Accept-Encoding',
];

/** The head of a response as sent, without its Date (which moves with the clock). */
function headOf(raw: string): string {
  return raw.slice(0, raw.indexOf('\r\n\r\n') + 4).replace(/\r\nDate: [^\r]*/, '');
}

/** One request on a fresh socket; the raw bytes of the answer. */
async function rawAnswer(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
  head = 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
): Promise<string> {
  const server = await RawServer.start(listener);
  try {
    return await server.socket(head);
  } finally {
    server.server.close();
  }
}

describe('a head prepared once per page', () => {
  it('is written through public node:http APIs only: no private header map or head string', () => {
    const source = readFileSync(path.join(ROOT, 'src', 'cache', 'prepared-head.ts'), 'utf8');
    expect(source).not.toMatch(/kOutHeaders|getOwnPropertySymbols|\b_header\b|as unknown as/);
  });

  it('writes the same bytes as writeHead with the list', async () => {
    const head = prepareHead(HEADERS);
    const prepared = await rawAnswer((_req, res) => {
      writePreparedHead(res, 200, head, 'X-Request-Id', ID);
      res.end('hello');
    });
    const plain = await rawAnswer((_req, res) => {
      res.writeHead(200, [...head.list, 'X-Request-Id', 'id-1']);
      res.end('hello');
    });
    expect(headOf(prepared)).toBe(headOf(plain));
    expect(prepared.endsWith('\r\n\r\nhello')).toBe(true);
    for (let i = 0; i < HEADERS.length; i += 2) expect(prepared).toContain(`\r\n${HEADERS[i]}: ${HEADERS[i + 1]}\r\n`);
  });

  it('holds every line one byte a character, even a value cut from text with characters past Latin-1', () => {
    // A tag as the store has it: a slice of a post's text, which a curly quote makes two bytes a character.
    // Long enough to stay a slice of it: V8 copies a slice under 13 characters, and from Node 22 on it
    // copies one whose characters fit into one byte a character.
    const text = '“Open source” is a tag: open-source-software';
    const tag = text.slice(text.indexOf(': ') + 2);
    // V8's serializer tags the form it holds a string in: '"' one byte a character, 'c' two.
    const form = (s: string): string => String.fromCharCode(serialize(s)[2]!);
    expect(form(tag)).toBe('c');
    const head = prepareHead(['Surrogate-Key', `tag:${tag} index`, 'X-Frame-Options', 'DENY', 'ETag', `"${tag}"`, 'Content-Length', '5']);
    for (const line of head.list) expect(form(line)).toBe('"');
    expect(head.list).toContain('tag:open-source-software index');
    // Latin-1 past ASCII keeps its characters; anything past Latin-1 is refused, as Node refuses it.
    expect(prepareHead(['X-Tag', 'café']).list).toContain('café');
    expect(() => prepareHead(['X-Tag', 'naïve “quote”'])).toThrow();
  });

  it('refuses a header that could split the head, when it is prepared and for the per-request header', () => {
    expect(() => prepareHead(['X-Evil', 'a\r\nSet-Cookie: x=1'])).toThrow();
    expect(() => prepareHead(['Bad Name', 'a'])).toThrow();
    expect(() => checkedHeaderValue('X-Request-Id', 'a\nb')).toThrow();
    expect(() => checkedHeaderValue('X-Request-Id', 'a\r\nSet-Cookie: x=1')).toThrow();
  });

  it('gives each response its own request id and keeps no headers on the response', async () => {
    const head = prepareHead(HEADERS);
    const seen: Record<string, unknown>[] = [];
    const server = await RawServer.start((req: IncomingMessage, res: ServerResponse) => {
      writePreparedHead(res, 200, head, 'X-Request-Id', checkedHeaderValue('X-Request-Id', req.url!.slice(1)));
      // As after writeHead with a list: the headers went to the wire, none are kept on the response.
      seen.push(res.getHeaders());
      res.end('hello');
    });
    try {
      const a = await server.get('/first');
      const b = await server.get('/second');
      expect(a.headers['x-request-id']).toBe('first');
      expect(b.headers['x-request-id']).toBe('second');
      expect(seen).toEqual([{}, {}]);
    } finally {
      server.server.close();
    }
  });

  it('keeps a header set on the response before, as a shutdown sets Connection: close', async () => {
    const head = prepareHead(HEADERS);
    const raw = await rawAnswer((_req, res) => {
      res.setHeader('Connection', 'close');
      writePreparedHead(res, 200, head, 'X-Request-Id', ID);
      res.end('hello');
    }, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(raw).toContain('\r\nConnection: close\r\n');
    expect(raw).toContain('\r\nX-Request-Id: id-1\r\n');
    expect(raw).toContain('\r\nETag: "abc"\r\n');
  });

  describe('on front cache hits', () => {
    const content = new TempContent();
    let app: LedeApp;
    let server: RawServer;
    beforeAll(async () => {
      content.copySample();
      app = testApp(content);
      server = await RawServer.start(app);
    });
    afterAll(() => {
      server.server.close();
      content.cleanup();
    });

    it('sends every header of the first answer once, and frames keep-alive answers right', async () => {
      const first = await server.get(ARTICLE, { 'Accept-Encoding': 'gzip' });
      const hits = frontCacheHits(app);
      // Two requests on one connection: the second is only read right if the first's length was.
      const request = `GET ${ARTICLE} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n`;
      const raw = await server.socket(`${request}${request.replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n')}`);
      expect(hits()).toBe(2);
      const answers = raw.split('HTTP/1.1 200 OK\r\n').slice(1);
      expect(answers).toHaveLength(2);
      for (const answer of answers) {
        const lines = answer.slice(0, answer.indexOf('\r\n\r\n')).split('\r\n');
        const names = lines.map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
        expect(new Set(names).size).toBe(names.length);
        for (const [name, value] of Object.entries(first.headers)) {
          if (name === 'date' || name === 'x-request-id' || name === 'connection' || name === 'keep-alive') continue;
          expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${name}: `, 'i')));
          expect(lines.find((line) => line.toLowerCase().startsWith(`${name}: `))!.slice(name.length + 2)).toBe(String(value));
        }
        const length = Number(/\r\ncontent-length: (\d+)/i.exec(`\r\n${answer}`)![1]);
        expect(Buffer.byteLength(answer.slice(answer.indexOf('\r\n\r\n') + 4), 'latin1')).toBeGreaterThanOrEqual(length);
      }
    });

    it('answers a HEAD with the headers and no body, and a 304 with no body headers', async () => {
      const etag = (await server.get(ARTICLE)).headers.etag!;
      const head = await server.socket(`HEAD ${ARTICLE} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(head).toMatch(/\r\nContent-Length: \d+\r\n/);
      expect(head.endsWith('\r\n\r\n')).toBe(true);
      const notModified = await server.socket(`GET ${ARTICLE} HTTP/1.1\r\nHost: x\r\nIf-None-Match: W/${etag}\r\nConnection: close\r\n\r\n`);
      expect(notModified).toMatch(/^HTTP\/1\.1 304 Not Modified\r\n/);
      expect(notModified).toContain(`\r\nETag: ${etag}\r\n`);
      expect(notModified).not.toMatch(/\r\nContent-(Length|Type):/i);
      expect(notModified.endsWith('\r\n\r\n')).toBe(true);
    });
  });
});
