/**
 * Log lines: JSON for machines (production, or output piped anywhere),
 * readable lines in a terminal during development.
 */
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from '@jest/globals';
import { createLogger, readableLogs } from '../../src/logger.js';
import { startChildServer } from '../helpers/child-server.js';
import { eventually, TempContent } from '../helpers/site.js';

/** A destination that keeps what was written. */
function collector(): { stream: Writable & { write(chunk: string): boolean }; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

describe('createLogger()', () => {
  it('should write readable lines in a terminal outside production', () => {
    expect(readableLogs('development', true)).toBe(true);
    expect(readableLogs('test', true)).toBe(true);
    const out = collector();
    const logger = createLogger({ level: 'info', env: 'development', tty: true, destination: out.stream });
    logger.info({ reqId: 'abc', req: { method: 'GET' }, res: { statusCode: 200 }, responseTime: 3 }, 'GET /posts/x 200');
    const line = out.text();
    expect(line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: GET \/posts\/x 200/);
    expect(line).toContain('"responseTime":3');
    expect(line).not.toContain('pid');
    expect(() => JSON.parse(line) as unknown).toThrow();
  });

  it('should write one JSON object a line in production, even in a terminal', async () => {
    expect(readableLogs('production', true)).toBe(false);
    const out = collector();
    const logger = createLogger({ level: 'info', env: 'production', tty: true, destination: out.stream });
    logger.info({ port: 3000 }, 'hello');
    await eventually(async () => expect(out.text()).toContain('\n'));
    const line = JSON.parse(out.text()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, msg: 'hello', port: 3000, pid: process.pid });
  });

  it('should write JSON when the output is piped, in development too', async () => {
    expect(readableLogs('development', false)).toBe(false);
    const out = collector();
    createLogger({ level: 'info', env: 'development', tty: false, destination: out.stream }).info('piped');
    await eventually(async () => expect(out.text()).toContain('\n'));
    expect(JSON.parse(out.text())).toMatchObject({ msg: 'piped' });
  });
});

describe('the start-up line', () => {
  const content = new TempContent();
  afterAll(() => content.cleanup());

  it('should name the pid once (pino adds it to every line)', async () => {
    content.post('hello.md', { title: 'Hello', date: '2024-01-01' });
    const server = await startChildServer(content.dir, { NODE_ENV: 'development' });
    try {
      await eventually(async () => expect(server.lines.some((line) => line.includes('Lede is serving'))).toBe(true));
      const line = server.lines.find((l) => l.includes('Lede is serving'))!;
      expect(line.match(/"pid":/g)).toHaveLength(1);
      expect(JSON.parse(line)).toMatchObject({ pid: server.child.pid, port: server.port });
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
