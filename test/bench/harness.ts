import { performance } from 'node:perf_hooks';

/**
 * A tiny benchmark harness for `npm run bench`.
 *
 * Benchmarks print figures; they never pass or fail on time (our machines are shared and
 * noisy). Each benchmark reports named metrics with units in the name (`_ms`, `_per_s`) and,
 * where it makes sense, the target from the issue, so the table says how far off we are.
 */
export interface Metric {
  readonly name: string;
  readonly value: number;
  /** The target, for the table only. */
  readonly target?: { readonly op: '<=' | '>='; readonly value: number };
  readonly note?: string;
}

export interface Bench {
  readonly name: string;
  run(): Promise<readonly Metric[]>;
}

/** Median of samples (robust to the odd slow run on a shared machine). */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The p-th percentile (0–100) by nearest rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Time an async function `runs` times after `warmup` untimed runs; returns milliseconds. */
export async function sampleMs(fn: () => unknown, runs: number, warmup = 2): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples;
}

export function formatTable(results: ReadonlyArray<{ bench: string; metric: Metric }>): string {
  const rows = results.map(({ metric }) => [
    metric.name,
    formatNumber(metric.value),
    metric.target ? `${metric.target.op} ${formatNumber(metric.target.value)}` : '',
    metric.target ? (meets(metric) ? 'yes' : 'NO') : '',
    metric.note ?? '',
  ]);
  const header = ['metric', 'value', 'target', 'meets', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function meets(metric: Metric): boolean {
  if (!metric.target) return true;
  return metric.target.op === '<=' ? metric.value <= metric.target.value : metric.value >= metric.target.value;
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3);
}
