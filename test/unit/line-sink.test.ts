/**
 * The production log output (src/line-sink.ts): lines in order, the lines of
 * a turn written together, a bounded buffer that drops and counts what does
 * not fit, and nothing waiting lost when the process exits, however it exits.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { LineSink } from '../../src/line-sink.js';
import { eventually, ROOT } from '../helpers/site.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lede-sink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function tempFile(): { file: string; fd: number } {
  const file = path.join(dir, `out-${++files}.log`);
  return { file, fd: openSync(file, 'w') };
}

describe('LineSink', () => {
  it('should write every line, in order, after the turn that wrote them', async () => {
    const { file, fd } = tempFile();
    const sink = new LineSink({ fd });
    for (let i = 0; i < 5000; i++) expect(sink.write(`{"n":${i},"text":"caf\u00e9"}\n`)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('');
    await eventually(async () => expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(5001));
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { n: number }).n)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(JSON.parse(lines[0]!)).toEqual({ n: 0, text: 'caf\u00e9' });
    closeSync(fd);
  });

  it('should drop and count the lines that do not fit, and report them once written', async () => {
    const { file, fd } = tempFile();
    const reports: number[] = [];
    const sink = new LineSink({ fd, capacity: 100, onDrop: (n) => reports.push(n) });
    const line = `${'x'.repeat(39)}\n`;
    expect([sink.write(line), sink.write(line), sink.write(line), sink.write(line)]).toEqual([true, true, false, false]);
    expect(sink.dropped).toBe(2);
    await eventually(async () => expect(reports).toEqual([2]));
    expect(readFileSync(file, 'utf8')).toBe(line + line);
    // Room again once written.
    expect(sink.write(line)).toBe(true);
    await eventually(async () => expect(readFileSync(file, 'utf8')).toBe(line + line + line));
    expect(sink.dropped).toBe(2);
    closeSync(fd);
  });

  it('should write what waits at once on flushSync()', () => {
    const { file, fd } = tempFile();
    const sink = new LineSink({ fd });
    sink.write('one\n');
    sink.write('two\n');
    sink.flushSync();
    expect(readFileSync(file, 'utf8')).toBe('one\ntwo\n');
    closeSync(fd);
  });
});

describe('the production logger at exit', () => {
  // The built logger in a process of its own, which writes many lines in one turn and then ends.
  const run = (ending: string): { stdout: string; status: number | null } => {
    const script = [
      `import { createLogging } from ${JSON.stringify(path.join(ROOT, 'dist', 'logger.js'))};`,
      `const { logger, lines } = createLogging({ level: 'info', env: 'production', tty: false });`,
      `for (let i = 0; i < 2000; i++) lines.write('{"n":' + i + '}\\n');`,
      `logger.info('last');`,
      ending,
    ].join('\n');
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    return { stdout: result.stdout, status: result.status };
  };

  it.each([
    ['process.exit()', 'process.exit(3);', 3],
    ['an uncaught exception', "throw new Error('crash');", 1],
    ['the end of the program', '', 0],
  ])('should write every waiting line on %s', (_name, ending, code) => {
    const { stdout, status } = run(ending);
    expect(status).toBe(code);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2001);
    expect(JSON.parse(lines[1999]!)).toEqual({ n: 1999 });
    expect(JSON.parse(lines[2000]!)).toMatchObject({ level: 30, msg: 'last' });
  });
});
