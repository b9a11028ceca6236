/**
 * Small, dependency-free helpers shared by the benchmarks: latency statistics, a rate-controlled
 * firing loop, a bounded-concurrency map, bound checking and the result table `npm run bench` prints.
 */
import { performance } from 'node:perf_hooks';
import type { BenchResult } from './import-bench.js';

/** One row of the printed table. `figure` overrides the default `value unit` text. */
export interface BenchRow extends BenchResult {
  figure?: string;
}

/** p50/p99/max of a set of latencies, in ms. */
export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of ascending `sorted` values; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Summarises latencies (ms) into p50, p99 and max. */
export function summarize(latencies: readonly number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
}

/** Rounds to `digits` decimals (display only). */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** When each call of {@link fireAtRate} actually happened, on `performance.now()`. */
export interface FiringReport {
  firstAt: number;
  lastAt: number;
  /** Calls per second actually achieved between the first and the last call. */
  achievedPerS: number;
}

/**
 * Calls `fire(i)` for i = 0..count-1 at `perSecond`, scheduled against absolute target times
 * (drift-corrected `setTimeout`): a late timer fires every call already due, so lateness never
 * accumulates. Nothing spins, so the CPU stays with the process under test.
 */
export function fireAtRate(count: number, perSecond: number, fire: (i: number) => void): Promise<FiringReport> {
  const intervalMs = 1000 / perSecond;
  const start = performance.now();
  let i = 0;
  let firstAt = Number.NaN;
  let lastAt = Number.NaN;
  return new Promise((resolve, reject) => {
    const tick = () => {
      try {
        while (i < count && start + i * intervalMs <= performance.now()) {
          lastAt = performance.now();
          if (i === 0) firstAt = lastAt;
          fire(i++);
        }
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      if (i >= count) {
        const spanS = (lastAt - firstAt) / 1000;
        resolve({ firstAt, lastAt, achievedPerS: count > 1 && spanS > 0 ? (count - 1) / spanS : Number.NaN });
        return;
      }
      setTimeout(tick, Math.max(0, start + i * intervalMs - performance.now()));
    };
    tick();
  });
}

/** Maps `items` through `fn` with at most `limit` calls in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const BOUND = /^\s*(<=|>=|≤|≥|<|>|=)\s*(-?[\d,.]+)/;

/**
 * Whether `value` meets a bound written as text (`< 100 ms`, `≤ 5000 ms`, `≥ 47.5 /s`, `= 0`).
 * `undefined` for bounds that are not a comparison, such as `(reported)`.
 */
export function meetsBound(value: number, bound: string): boolean | undefined {
  const m = BOUND.exec(bound);
  if (!m) return undefined;
  const limit = Number(m[2]!.replace(/,/g, ''));
  if (!Number.isFinite(value) || !Number.isFinite(limit)) return false;
  switch (m[1]) {
    case '<': return value < limit;
    case '>': return value > limit;
    case '<=': case '≤': return value <= limit;
    case '>=': case '≥': return value >= limit;
    default: return value === limit;
  }
}

/** The text of a row's figure column. */
export function figureOf(row: BenchRow): string {
  if (row.figure !== undefined) return row.figure;
  if (!Number.isFinite(row.value)) return 'n/a';
  return `${row.value.toLocaleString('en-US', { maximumFractionDigits: 1 })} ${row.unit}`.trim();
}

/** Renders rows as one aligned text table: benchmark | figure | bound | ok (✓, ✗ or – when only reported). */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['benchmark', 'figure', 'bound', 'ok'];
  const body = rows.map((r) => {
    const ok = meetsBound(r.value, r.bound);
    return [r.name, figureOf(r), r.bound, ok === undefined ? '–' : ok ? '✓' : '✗'];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((cells) => cells[c]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('-|-');
  return [line(header), rule, ...body.map(line)].join('\n');
}
