/**
 * How long the event loop has been held since the process started, as
 * `/healthz` reports it (docs/security.md, "One budget for the main thread"):
 * one `monitorEventLoopDelay` histogram for the process, started with the
 * first app. Its timer does not keep the process alive.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** The histogram's sampling period: its readings include up to this much. */
const RESOLUTION_MS = 10;

let histogram: IntervalHistogram | undefined;

/** Starts watching the loop (once per process). */
export function watchLoopDelay(): void {
  if (histogram) return;
  histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
}

/** The loop's delay since start, in milliseconds: p99 and max, the sampling period taken off. */
export function loopDelay(): { readonly p99Ms: number; readonly maxMs: number } {
  if (!histogram || histogram.count === 0) return { p99Ms: 0, maxMs: 0 };
  const ms = (ns: number): number => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 10) / 10);
  return { p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max) };
}
