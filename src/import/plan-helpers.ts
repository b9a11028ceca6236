import type { Reason, RowErrors } from './types.js';

/**
 * Reports every item whose key was already used by an earlier item; `repeated` words the error
 * from the item and the first line. Items with a `null` key are skipped (already reported as invalid).
 */
export function reportDuplicates<T extends { line: number }>(
  items: readonly T[], keyOf: (item: T) => string | null, repeated: (item: T, firstLine: number) => Reason, errs: RowErrors,
): void {
  const firstLine = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === null) continue;
    const first = firstLine.get(key);
    if (first === undefined) firstLine.set(key, item.line);
    else errs.add(item.line, repeated(item, first));
  }
}

/** Indexes rows by a unique string key. */
export function indexBy<T, K>(rows: readonly T[], keyOf: (row: T) => K): Map<K, T> {
  return new Map(rows.map((r) => [keyOf(r), r]));
}

/** True when every listed field of `next` equals the same field of `current`. */
export function sameFields<T extends object>(current: T, next: Partial<T>): boolean {
  return (Object.keys(next) as Array<keyof T>).every((k) => current[k] === next[k]);
}
