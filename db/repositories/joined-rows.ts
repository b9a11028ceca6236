/**
 * Reading rows of a joined table back out of one statement's result, where each of its columns
 * was selected as `<prefix><column>` (e.g. `o_id`, `o_name`).
 */

/** The joined row's `columns`, or undefined when the (left) join found none (`<prefix>id` is null). */
export function unprefixed<T>(row: Record<string, unknown>, prefix: string, columns: readonly string[]): T | undefined {
  if (row[`${prefix}id`] === null || row[`${prefix}id`] === undefined) return undefined;
  return Object.fromEntries(columns.map((c) => [c, row[`${prefix}${c}`]])) as T;
}

/** The row without any of the columns selected under `prefixes` (the statement's main table). */
export function withoutPrefixed<T>(row: Record<string, unknown>, prefixes: readonly string[]): T {
  return Object.fromEntries(Object.entries(row).filter(([k]) => !prefixes.some((p) => k.startsWith(p)))) as T;
}
