/**
 * Lede's worker threads, one kind for the server's render pool
 * (src/render/render-pool.ts) and `npm run check`'s renders
 * (src/cli/check-threads.ts): piscina threads with the render threads' heap
 * limits, loading their module as the main thread loads its own. A task is
 * given a job clock (src/render/job-clock.ts) on which its thread marks when
 * it, or each step of it, started; the caller holds it to its time limit
 * from there and aborts it when it runs over (piscina then stops its
 * thread and starts another).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';

/** Heap limit of each render thread (the server's and `npm run check`'s): a post that needs more fails alone. */
export const DEFAULT_THREAD_HEAP_MB = 512;

/**
 * The young generation of a render thread. V8's default (48 MB on 64-bit)
 * let each thread hold about 85 MB after a few thousand renders of 8 KB
 * posts; with 8 MB the two threads together held 75 MB less after 10,000
 * renders (RSS 242 against 316 MB), for about 8% more CPU per render
 * (more frequent scavenges): measured with a RenderPool rendering the
 * bench's 8 KB body 10,000 times, 8 at a time.
 */
export const DEFAULT_YOUNG_MB = 8;

type PiscinaOptions = NonNullable<ConstructorParameters<typeof Piscina>[0]>;

/** Chooses the thread for a task, or none (it waits): piscina's `loadBalancer`. */
export type LoadBalancer = NonNullable<PiscinaOptions['loadBalancer']>;

export interface ThreadPoolOptions {
  /** The worker module: its name beside the caller's module (`render-worker`), and the caller's `import.meta.url`. */
  readonly module: { readonly name: string; readonly beside: string };
  /** Threads at most. */
  readonly threads: number;
  /** Threads kept up (started now); the others start when needed. */
  readonly minThreads: number;
  /** A thread above `minThreads` idle this long stops (its memory is given back). */
  readonly idleTimeoutMs?: number | undefined;
  /** Heap limit of each thread (`DEFAULT_THREAD_HEAP_MB`). */
  readonly maxHeapMb?: number | undefined;
  /** Young generation of each thread (`DEFAULT_YOUNG_MB`). */
  readonly youngMb?: number | undefined;
  /** Which thread takes a task (piscina's least busy one by default). */
  readonly loadBalancer?: LoadBalancer;
}

export function threadPool<T, R>(options: ThreadPoolOptions): Piscina<T, R> {
  const entry = workerModule(options.module.name, options.module.beside);
  return new Piscina<T, R>({
    filename: entry.filename,
    execArgv: entry.execArgv,
    minThreads: options.minThreads,
    maxThreads: options.threads,
    idleTimeout: options.idleTimeoutMs ?? 30_000,
    resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? DEFAULT_THREAD_HEAP_MB, maxYoungGenerationSizeMb: options.youngMb ?? DEFAULT_YOUNG_MB },
    ...(options.loadBalancer ? { loadBalancer: options.loadBalancer } : {}),
  });
}

/**
 * The worker module `name` beside the module at `beside`: `.js` when built,
 * `.ts` when run from source (`npm run dev`), which a thread can only load
 * through tsx, as the main thread does. When `LEDE_RENDER_WORKER` names the
 * built render worker (the tests set it to `dist/render/render-worker.js`,
 * so no thread compiles TypeScript: jest.config.js), every worker module is
 * taken from that build.
 */
export function workerModule(name: string, beside: string): { filename: string; execArgv: string[] } {
  const execArgv = loaderFlags(process.execArgv);
  const fromSource = beside.endsWith('.ts');
  const own = fileURLToPath(new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, beside));
  const built = process.env.LEDE_RENDER_WORKER;
  if (built) {
    // This module's folder is src/render/ (or dist/render/); the built one's is dist/render/.
    const ownRoot = fileURLToPath(new URL('..', import.meta.url));
    const file = path.join(path.dirname(path.dirname(built)), path.relative(ownRoot, own)).replace(/\.ts$/, '.js');
    if (!existsSync(file)) throw new Error(`LEDE_RENDER_WORKER names the build ${built}, which has no ${file}: run npm run build`);
    return { filename: pathToFileURL(file).href, execArgv };
  }
  if (fromSource && !execArgv.some((arg) => arg.includes('tsx'))) execArgv.push('--import', 'tsx');
  return { filename: pathToFileURL(own).href, execArgv };
}

/** Flags that take the next argument as their value when not written `--flag=value`. */
const WITH_VALUE = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader', '--conditions', '-C']);

/**
 * The process's flags a thread needs to load modules as the main thread
 * does (loaders, conditions, source maps). Others may be refused by
 * `new Worker` (`--expose-gc` is: "invalid execArgv flags"), or belong to
 * the process alone (heap size).
 */
export function loaderFlags(argv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.split('=')[0]!;
    if (WITH_VALUE.has(name)) {
      kept.push(arg);
      if (!arg.includes('=') && i + 1 < argv.length) kept.push(argv[++i]!);
    } else if (name === '--enable-source-maps' || name === '--experimental-vm-modules' || name === '--no-warnings') {
      kept.push(arg);
    }
  }
  return kept;
}
