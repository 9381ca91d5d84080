/**
 * Timing helpers. A decision takes a few microseconds, close to the resolution and overhead of the timer,
 * so one call is never timed alone: a sample is a batch of calls timed with `process.hrtime.bigint()` and
 * divided by the batch size (the per-call mean of that sample). Percentiles are taken over those sample
 * means. `singleCalls` times calls one by one to show what batching smooths away (GC pauses, timer noise).
 */

export type Summary = { p50: number; p99: number; mean: number; min: number; max: number; count: number };

/** Nearest-rank percentile of an ascending array (q in [0, 1]). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length);
  return {
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    mean,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    count: sorted.length,
  };
}

export type MeasureOptions = {
  /** Number of samples to collect. */
  samples: number;
  /** Aim for samples of about this long (the batch size is derived from a warm-up estimate). */
  targetSampleNs: number;
  /** Upper bound on calls per sample. */
  maxBatch: number;
  /** Warm-up time before sampling (at least `minWarmupCalls` calls). */
  warmupNs: number;
  minWarmupCalls?: number;
};

/**
 * Per-call means of the samples: wall time, and process CPU time (all threads) over the same batch. CPU time
 * leaves out the time the process waited for a core, so it stays meaningful on a shared machine.
 */
export type Measurement = { perCallUs: number[]; perCallCpuUs: number[]; batch: number };

/** Keeps results reachable so the optimiser cannot drop the calls being timed. */
export let sink: unknown;

/** Warms `fn` up and returns the batch size that makes a sample last about `targetSampleNs`. */
function calibrate(fn: () => unknown, options: MeasureOptions): number {
  const minWarmup = options.minWarmupCalls ?? 10;
  let calls = 0;
  const warmStart = process.hrtime.bigint();
  let elapsed = 0n;
  while (calls < minWarmup || elapsed < BigInt(options.warmupNs)) {
    sink = fn();
    calls += 1;
    elapsed = process.hrtime.bigint() - warmStart;
  }
  const estimateNs = Number(elapsed) / calls;
  return Math.max(1, Math.min(options.maxBatch, Math.round(options.targetSampleNs / estimateNs)));
}

function sample(fn: () => unknown, batch: number, into: Measurement): void {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let call = 0; call < batch; call += 1) sink = fn();
  const end = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpuStart);
  into.perCallUs.push(Number(end - start) / batch / 1000);
  into.perCallCpuUs.push((cpu.user + cpu.system) / batch);
}

/** Warms `fn` up, then collects `samples` per-call means (µs) of batches of calls. */
export function measure(fn: () => unknown, options: MeasureOptions): Measurement {
  const result: Measurement = { perCallUs: [], perCallCpuUs: [], batch: calibrate(fn, options) };
  for (let index = 0; index < options.samples; index += 1) sample(fn, result.batch, result);
  return result;
}

/**
 * Like `measure` for several functions, sampled round robin (one batch of each per round), so a burst of
 * load from elsewhere on the machine spreads over all of them instead of skewing one.
 */
export function measureInterleaved(fns: readonly (() => unknown)[], options: MeasureOptions): Measurement[] {
  const batches = fns.map((fn) => calibrate(fn, options));
  const results: Measurement[] = batches.map((batch) => ({ perCallUs: [], perCallCpuUs: [], batch }));
  for (let round = 0; round < options.samples; round += 1) {
    fns.forEach((fn, index) => {
      const result = results[index];
      if (result !== undefined) sample(fn, result.batch, result);
    });
  }
  return results;
}

/** Times each call on its own (round robin over `fns`), in µs, timer overhead included. */
export function singleCalls(fns: readonly (() => unknown)[], rounds: number): number[] {
  const out: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    for (const fn of fns) {
      const start = process.hrtime.bigint();
      sink = fn();
      out.push(Number(process.hrtime.bigint() - start) / 1000);
    }
  }
  return out;
}

/** The overhead of one `process.hrtime.bigint()` pair around an empty call, in µs (median). */
export function timerOverheadUs(): number {
  const noop = (): number => 0;
  return summarize(singleCalls([noop], 20_000)).p50;
}

/** A full garbage collection when the process runs with `--expose-gc`; returns false otherwise. */
export function makeGc(): () => boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  return () => {
    if (gc === undefined) return false;
    gc();
    return true;
  };
}
