/**
 * Instructions a request, under `valgrind --tool=callgrind`: user-space
 * instructions of the whole server process (every thread), counted between
 * two points while a client outside valgrind sends a fixed number of
 * requests. Unlike req/s or CPU time, the count does not move with the load
 * of a shared machine (repeatable within a few tenths of a percent), so one
 * change at a time can be compared with the plain node:http baseline.
 *
 *   node bench/hit-instructions.mjs [options] -- COMMAND...
 *
 * COMMAND is the server, started under valgrind with PORT set (and HOST
 * 127.0.0.1); it must listen there. Options:
 *   --path P         the path asked for (default /posts/deepseek-rising-challenger)
 *   --header 'N: V'  a request header (repeatable: `Accept-Encoding: gzip`, `If-None-Match: ...`)
 *   --connections C  concurrent keep-alive connections, one request at a time each (8)
 *   --warmup W       requests before counting, for the JIT to settle (6000)
 *   --requests N     requests counted a round (3000); --rounds R (3)
 *   --port P         (4790)
 *
 * Prints each round's instructions a request and their median. Needs
 * valgrind (its callgrind_control is how the counts are zeroed and dumped).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const argv = process.argv.slice(2);
const split = argv.indexOf('--');
if (split < 0 || split === argv.length - 1) {
  console.error('usage: node bench/hit-instructions.mjs [--path P] [--header "N: V"]... [--requests N] [--rounds R] -- COMMAND...');
  process.exit(2);
}
const options = argv.slice(0, split);
const command = argv.slice(split + 1);
const option = (name, fallback) => {
  const i = options.indexOf(`--${name}`);
  return i >= 0 ? options[i + 1] : fallback;
};
const PATH = option('path', '/posts/deepseek-rising-challenger');
const CONNECTIONS = Number(option('connections', 8));
const WARMUP = Number(option('warmup', 6000));
const REQUESTS = Number(option('requests', 3000));
const ROUNDS = Number(option('rounds', 3));
const PORT = Number(option('port', 4790));
const headers = options.flatMap((arg, i) => (options[i - 1] === '--header' ? [arg] : []));
const request = Buffer.from(`GET ${PATH} HTTP/1.1\r\nHost: 127.0.0.1:${PORT}\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`, 'latin1');

const outDir = mkdtempSync(path.join(os.tmpdir(), 'lede-callgrind-'));
// valgrind names its control pipes after $HOST and $USER: the server's environment is callgrind_control's too.
const env = { ...process.env, PORT: String(PORT), HOST: '127.0.0.1' };
const vgdbPrefix = `--vgdb-prefix=${path.join(outDir, 'vgdb')}`;
const server = spawn('valgrind', ['--tool=callgrind', vgdbPrefix, `--callgrind-out-file=${path.join(outDir, 'cg.%p')}`, ...command], {
  env,
  stdio: ['ignore', 'ignore', 'pipe'],
});
let serverErr = '';
server.stderr.on('data', (chunk) => {
  serverErr += chunk;
});
const stop = () => {
  server.kill('SIGKILL');
  rmSync(outDir, { recursive: true, force: true });
};
process.on('exit', stop);

/**
 * One keep-alive connection sending `count` requests one at a time. A
 * connection the server closes (its last allowed request, or a keep-alive
 * timeout while valgrind was descheduled on a busy machine) is opened again
 * and the unanswered request sent again; `stats.reconnects` counts them.
 */
function connection(count, stats) {
  return new Promise((resolve, reject) => {
    let answered = 0;
    const open = () => {
      const socket = net.connect(PORT, '127.0.0.1');
      let pending = Buffer.alloc(0);
      let done = false;
      const again = () => {
        if (done) return;
        done = true;
        socket.destroy();
        if (answered === count) return resolve();
        stats.reconnects++;
        open();
      };
      socket.on('connect', () => socket.write(request));
      socket.on('error', (err) => {
        if (stats.connected) return again();
        done = true;
        reject(err);
      });
      socket.on('close', again);
      socket.on('data', (chunk) => {
        stats.connected = true;
        pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        for (;;) {
          const end = pending.indexOf('\r\n\r\n');
          if (end < 0) return;
          const head = pending.subarray(0, end).toString('latin1');
          const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
          const status = Number(head.slice(9, 12));
          const bodyLength = status === 304 ? 0 : length;
          if (pending.length < end + 4 + bodyLength) return;
          stats.statuses.set(status, (stats.statuses.get(status) ?? 0) + 1);
          pending = pending.subarray(end + 4 + bodyLength);
          answered++;
          if (answered === count) {
            done = true;
            socket.end();
            resolve();
            return;
          }
          if (/\r\nconnection: *close/i.test(head)) return again();
          socket.write(request);
        }
      });
    };
    open();
  });
}

async function send(total) {
  const stats = { statuses: new Map(), reconnects: 0, connected: false };
  const each = Math.ceil(total / CONNECTIONS);
  await Promise.all(Array.from({ length: CONNECTIONS }, () => connection(each, stats)));
  return { sent: each * CONNECTIONS, ...stats };
}

async function waitForServer() {
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the server exited: ${serverErr.slice(-2000)}`);
    try {
      const { statuses } = await send(CONNECTIONS);
      if (statuses.size) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error('the server did not answer within 10 minutes');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const control = (...args) => execFileSync('callgrind_control', [vgdbPrefix, ...args, String(server.pid)], { encoding: 'utf8', env });

/** The instructions of the last dump: the sum of every thread's file (`summary:` or `totals:` lines). */
function dumped(before) {
  let sum = 0;
  for (const file of readdirSync(outDir)) {
    if (before.has(file)) continue;
    before.add(file);
    if (!file.startsWith('cg.')) continue;
    const text = readFileSync(path.join(outDir, file), 'utf8');
    const line = /^(?:summary|totals): (\d+)/m.exec(text);
    if (line) sum += Number(line[1]);
  }
  return sum;
}

process.on('uncaughtException', (err) => {
  console.error(`${err.stack}\nserver's stderr (end):\n${serverErr.slice(-3000)}`);
  process.exit(1);
});
await waitForServer();
const warm = await send(WARMUP);
const seen = new Set(readdirSync(outDir));
const perRequest = [];
let statuses;
let reconnects = 0;
for (let round = 0; round < ROUNDS; round++) {
  control('--zero');
  const result = await send(REQUESTS);
  control('--dump');
  // The dump is written by the server when it next runs: wait for the file.
  let instructions = 0;
  for (let i = 0; i < 200 && instructions === 0; i++) {
    instructions = dumped(seen);
    if (!instructions) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  perRequest.push(instructions / result.sent);
  statuses = result.statuses;
  reconnects += result.reconnects;
}
const sorted = [...perRequest].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
const k = (n) => `${(n / 1000).toFixed(1)}k`;
console.log(
  `${k(median)} instructions a request (rounds: ${perRequest.map(k).join(', ')}; ${REQUESTS} requests a round after ${warm.sent}; statuses ${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')}${reconnects ? `; ${reconnects} connections opened again` : ''}; ${command.join(' ')})`,
);
process.exit(0);
