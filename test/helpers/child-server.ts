/**
 * The built server (`dist/server.js`) as a child process, for tests of
 * signals and exit codes. jest's global setup has checked that `dist/` is
 * the build of `src/` (test/support/built-is-current.js).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { ROOT } from './site.js';

export interface ChildServer {
  child: ChildProcess;
  port: number;
  /** Every stdout line parsed as JSON (pino), in order. */
  logs: Record<string, unknown>[];
  /** Every stdout line as written. */
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** A port that was free a moment ago (the server is told which port to use, so it need not log it). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** What to start instead of `dist/server.js` from the repository: an installed `lede` and its command line. */
export interface Launch {
  readonly script: string;
  readonly args: readonly string[];
  readonly cwd: string;
}

export async function startChildServer(
  contentDir: string,
  env: Record<string, string> = {},
  launch: Launch = { script: path.join(ROOT, 'dist', 'server.js'), args: [], cwd: ROOT },
): Promise<ChildServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [launch.script, ...launch.args], {
    cwd: launch.cwd,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', CONTENT_DIR: contentDir, NODE_ENV: 'production', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const lines: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  let buffered = '';
  child.stdout!.on('data', (d: Buffer) => {
    buffered += d.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      lines.push(line);
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    }
  });
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  const deadline = Date.now() + 30_000;
  while (!(await accepts(port))) {
    if (exitedEarly) throw new Error(`server exited before listening: ${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not listen within 30 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, port, logs, lines, exited };
}
