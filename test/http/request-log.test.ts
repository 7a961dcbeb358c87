/**
 * Request ids and access logs: one JSON line per response, carrying the id
 * that is also sent back as `X-Request-Id`, for front-cache hits too; 5xx
 * logged at `error` with their cause; nothing of the cause in the response.
 */
import { validateHeaderValue, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import request from 'supertest';
import type { LedeApp } from '../../src/app.js';
import { accessLog, requestIds } from '../../src/http/request-log.js';
import { frontCacheHits, TempContent, testApp } from '../helpers/site.js';

interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  req?: { method: string; url: string };
  res?: { statusCode: number };
  err?: { message: string; stack: string };
  responseTime?: number;
}

function memoryLogger(level = 'info'): { logger: pino.Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines };
}

describe('request ids and access logs', () => {
  const content = new TempContent();
  const { logger, lines } = memoryLogger();
  let app: LedeApp;
  beforeAll(() => {
    content.post('hello.md', { title: 'Hello' });
    content.post('broken.md', { title: 'Will fail' });
    app = testApp(content, { env: 'production' }, { logger });
  });
  afterAll(() => content.cleanup());
  const accessLines = (): LogLine[] => lines.filter((l) => l.res !== undefined);

  it('should log one line per request with the id sent back as X-Request-Id', async () => {
    lines.length = 0;
    const res = await request(app).get('/posts/hello');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const [line] = accessLines();
    expect(accessLines()).toHaveLength(1);
    expect(line).toMatchObject({ level: 30, reqId: res.headers['x-request-id'], req: { method: 'GET', url: '/posts/hello' }, res: { statusCode: 200 } });
    expect(typeof line!.responseTime).toBe('number');
  });

  it('should log requests answered by the front cache, with their own id', async () => {
    await request(app).get('/posts/hello');
    lines.length = 0;
    const hits = frontCacheHits(app);
    const res = await request(app).get('/posts/hello');
    expect(hits()).toBe(1);
    expect(accessLines()).toEqual([expect.objectContaining({ reqId: res.headers['x-request-id'], res: { statusCode: 200 } })]);
  });

  it('should give each request a different id', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await request(app).get('/')).headers['x-request-id']!);
    expect(ids.size).toBe(5);
  });

  it('should keep a sane incoming X-Request-Id and replace an insane one', async () => {
    const kept = await request(app).get('/').set('X-Request-Id', 'proxy-1234.abc');
    expect(kept.headers['x-request-id']).toBe('proxy-1234.abc');
    for (const bad of ['a b', 'x'.repeat(65), '<script>', 'a\u00e9']) {
      const res = await request(app).get('/').set('X-Request-Id', bad);
      expect(res.headers['x-request-id']).not.toBe(bad);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('should log a 5xx at error with its cause, and show neither cause nor path to the client', async () => {
    const original = app.renderer.article.bind(app.renderer);
    app.renderer.article = (post, neighbours) => {
      if (post.slug === 'broken') throw new Error(`template exploded in ${content.dir}/secret.ejs`);
      return original(post, neighbours);
    };
    lines.length = 0;
    const res = await request(app).get('/posts/broken').set('Accept', 'text/html');
    app.renderer.article = original;
    expect(res.status).toBe(500);
    expect(res.text).not.toContain('exploded');
    expect(res.text).not.toContain(content.dir);
    expect(res.text).not.toMatch(/\n\s+at .+:\d+:\d+/);
    const errors = lines.filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ reqId: res.headers['x-request-id'], res: { statusCode: 500 } });
    expect(errors[0]!.err!.message).toContain('template exploded');
    expect(errors[0]!.err!.stack).toContain('Error: template exploded');
  });

  it('should answer a 5xx as JSON without the cause too', async () => {
    const original = app.renderer.article.bind(app.renderer);
    app.renderer.article = () => {
      throw new Error(`boom at ${content.dir}`);
    };
    const res = await request(app).get('/posts/broken').set('Accept', 'application/json');
    app.renderer.article = original;
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { status: 500, message: 'The server could not answer this request. Please try again.' } });
  });

  it('should respect the level: at warn, no access lines, but 5xx still logged', async () => {
    const warn = memoryLogger('warn');
    const quiet = testApp(content, { env: 'production' }, { logger: warn.logger });
    await request(quiet).get('/posts/hello');
    expect(warn.lines).toEqual([]);
    quiet.renderer.article = () => {
      throw new Error('boom');
    };
    await request(quiet).get('/posts/broken');
    expect(warn.lines.filter((l) => l.level === 50)).toHaveLength(1);
  });

  it('should still send ids when logging is silent', async () => {
    const silent = testApp(content, {}, { logger: pino({ level: 'silent' }) });
    const res = await request(silent).get('/');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('ready-made access lines (the production logger)', () => {
  // What pino writes for the same request, and what the access log writes itself.
  const both = (
    url: string,
    remoteAddress: string | undefined,
    status = 200,
    bound: (logger: pino.Logger) => pino.Logger = (logger) => logger,
  ): [string, string] => {
    const viaPino: string[] = [];
    const readyMade: string[] = [];
    const logger = bound(pino({ level: 'info' }, { write: (line: string) => void viaPino.push(line) }));
    const req = { method: 'GET', url, id: 'req-1', headers: {}, socket: { remoteAddress } } as unknown as IncomingMessage;
    const res = { statusCode: status } as unknown as ServerResponse;
    accessLog(logger).sent(req, res, Date.now());
    accessLog(logger, { write: (line) => readyMade.push(line) > 0 }).sent(req, res, Date.now());
    expect(viaPino).toHaveLength(1);
    expect(readyMade).toHaveLength(1);
    return [viaPino[0]!, readyMade[0]!];
  };
  const sameButTime = (line: string): string => line.replace(/"time":\d+/, '"time":0').replace(/"responseTime":\d+/, '"responseTime":0');

  it.each([
    ['/posts/hello', '127.0.0.1'],
    ['/search?q=%22quoted%22&x=1', '::ffff:10.0.0.1'],
    ['/odd/"quote"/back\\slash/caf\u00e9/\u00ff', '10.0.0.2'],
    ['/no-socket', undefined],
  ])('should write byte for byte the line pino writes, for %s', (url, address) => {
    const [viaPino, readyMade] = both(url, address);
    expect(sameButTime(readyMade)).toBe(sameButTime(viaPino));
    expect(readyMade.endsWith('}\n')).toBe(true);
    const line = JSON.parse(readyMade) as Record<string, unknown>;
    expect(Object.keys(line)).toEqual(['level', 'time', 'pid', 'hostname', 'reqId', 'req', 'res', 'responseTime', 'msg']);
    expect(line).toMatchObject({ level: 30, pid: process.pid, reqId: 'req-1', req: { method: 'GET', url }, res: { statusCode: 200 }, msg: `GET ${url} 200` });
  });

  it("should write a named or child logger's bindings where pino does", () => {
    const named = (logger: pino.Logger): pino.Logger => logger.child({ worker: 2, site: 'caf\u00e9 "q"' });
    const [viaPino, readyMade] = both('/posts/hello', '127.0.0.1', 200, named);
    expect(sameButTime(readyMade)).toBe(sameButTime(viaPino));
    expect(Object.keys(JSON.parse(readyMade) as object).slice(0, 6)).toEqual(['level', 'time', 'pid', 'hostname', 'worker', 'site']);
  });

  it('should still log a 5xx through pino, at error', () => {
    const viaPino: string[] = [];
    const readyMade: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void viaPino.push(line) });
    const req = { method: 'GET', url: '/x', id: 'req-2', headers: {}, socket: {} } as unknown as IncomingMessage;
    accessLog(logger, { write: (line) => readyMade.push(line) > 0 }).sent(req, { statusCode: 503 } as unknown as ServerResponse, Date.now());
    expect(readyMade).toEqual([]);
    expect(JSON.parse(viaPino[0]!)).toMatchObject({ level: 50, reqId: 'req-2', res: { statusCode: 503 } });
  });

  it('should make distinct UUID-shaped ids, and different ones in another app', () => {
    const req = { headers: {} } as unknown as IncomingMessage;
    const first = requestIds();
    const a = [first(req), first(req), first(req)];
    expect(new Set(a).size).toBe(3);
    for (const id of a) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(requestIds()(req)).not.toBe(a[0]);
  });

  it('should count made ids up in their last twelve hex digits, across the 4,096-id steps of their upper part', () => {
    const ids = requestIds();
    const req = { headers: {} } as unknown as IncomingMessage;
    const made = Array.from({ length: 9000 }, () => ids(req));
    const prefix = made[0]!.slice(0, 24);
    // Compared in plain code, one expect for all: 9,000 expects would hold the loop.
    const wrong = made.filter((id, i) => id !== prefix + (i + 1).toString(16).padStart(12, '0'));
    expect(wrong).toEqual([]);
    expect(made[4095]).toBe(`${prefix}000000001000`);
  });

  it('should log a hit with the id it is given, the request left as Node made it', () => {
    const readyMade: string[] = [];
    const logger = pino({ level: 'info' }, { write: () => undefined });
    const req = { method: 'GET', url: '/x', headers: {}, socket: {} } as unknown as IncomingMessage;
    accessLog(logger, { write: (line) => readyMade.push(line) > 0 }).sent(req, { statusCode: 200 } as unknown as ServerResponse, Date.now(), 'hit-1');
    expect(JSON.parse(readyMade[0]!)).toMatchObject({ reqId: 'hit-1' });
    expect(req.id).toBeUndefined();
  });

  it('should give only ids that Node lets into a head, since hits write them unchecked', () => {
    const ids = requestIds();
    const made = ids({ headers: {} } as unknown as IncomingMessage);
    const echoed = ['proxy-1234.abc', 'a:b@c_d-e.f', 'Z'.repeat(64)].map((id) => ids({ headers: { 'x-request-id': id } } as unknown as IncomingMessage));
    expect(echoed).toEqual(['proxy-1234.abc', 'a:b@c_d-e.f', 'Z'.repeat(64)]);
    for (const id of [made, ...echoed]) expect(() => validateHeaderValue('X-Request-Id', id)).not.toThrow();
    // What Node would refuse is never echoed: a made id instead.
    for (const bad of ['a\r\nSet-Cookie: x=1', 'a\nb', 'nul\u0000', 'del\u007f', 'tab\tid']) {
      const id = ids({ headers: { 'x-request-id': bad } } as unknown as IncomingMessage);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });
});
