/**
 * CPU seconds per suite, for `npm run test:cpu` (jest.cpu.config.js): a
 * line of JSON per suite appended to `LEDE_SUITE_CPU` (default
 * `test-artifacts/suite-cpu.jsonl`): `cpu`, this jest worker's CPU time (its main thread,
 * and the render threads the suite started) from before the suite loads its
 * modules to its end, `child`, that of the child processes it waited for
 * (the commands it spawned), and `wall`, in ms. CPU time varies less than
 * wall time on a shared machine, but it grows too when the machine is busy:
 * compare runs made at the same time.
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect } from '@jest/globals';

/** Linux's clock ticks per second (`getconf CLK_TCK`), the unit of /proc/self/stat's times. */
const TICKS = 100;

/** CPU time of the children this process has waited for, in ms (0 where /proc is not there). */
function childrenMs(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[13]) + Number(fields[14])) / TICKS) * 1000;
  } catch {
    return 0;
  }
}

const startCpu = process.cpuUsage();
const startChildren = childrenMs();
const startWall = performance.now();
const suite = expect.getState().testPath ?? '';

afterAll(() => {
  const cpu = process.cpuUsage(startCpu);
  const line = {
    suite: suite.replace(/^.*[\\/]test[\\/]/, 'test/'),
    cpu: Math.round((cpu.user + cpu.system) / 1000),
    child: Math.round(childrenMs() - startChildren),
    wall: Math.round(performance.now() - startWall),
  };
  const file = process.env.LEDE_SUITE_CPU ?? path.join('test-artifacts', 'suite-cpu.jsonl');
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  appendFileSync(file, `${JSON.stringify(line)}\n`);
});
