/** Timing for the evidence benchmark: wall time and process CPU time (all threads) of one run. */

/** One timed run: wall and CPU milliseconds, and what the function returned. */
export type Timed<T> = { wallMs: number; cpuMs: number; value: T };

/** Times one (possibly asynchronous) run. CPU time is this process's only: a database server's is not in it. */
export async function timed<T>(fn: () => Promise<T> | T): Promise<Timed<T>> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await fn();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, value };
}

/**
 * The best of `runs` runs (lowest wall time, or lowest CPU time with `by: 'cpu'`), each after a full garbage
 * collection. On a shared machine the best run is the one least disturbed by others; CPU time beside it shows
 * what the work itself costs.
 */
export async function best<T>(
  runs: number,
  fn: () => Promise<T> | T,
  by: 'wall' | 'cpu' = 'wall',
): Promise<Timed<T>> {
  let winner: Timed<T> | undefined;
  for (let i = 0; i < runs; i += 1) {
    collectGarbage();
    const run = await timed(fn);
    const better =
      by === 'wall' ? run.wallMs < (winner?.wallMs ?? Infinity) : run.cpuMs < (winner?.cpuMs ?? Infinity);
    if (better) winner = run;
  }
  if (winner === undefined) throw new Error('best: no runs');
  return winner;
}

/** A full garbage collection when the process runs with `--expose-gc` (the benchmark re-runs itself so). */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Rounds to three decimals for the JSON line (null for NaN/Infinity, which JSON cannot carry). */
export function round(value: number): number | null {
  return Number.isFinite(value) ? Math.round(value * 1000) / 1000 : null;
}
