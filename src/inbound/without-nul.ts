/**
 * U+0000 removed from every string of an inbound event, before it is stored or read by a flow.
 * PostgreSQL text cannot hold it (the insert fails, so a webhook answers 5xx and the platform
 * re-delivers the same body for hours) while SQLite stores it: removing it here keeps both
 * databases alike, and the character never carries meaning in a chat message, a name or an id.
 */
const NUL = '\u0000';

/**
 * A copy of `value` with U+0000 removed from its strings, in plain objects and arrays at any depth;
 * other objects (dates, buffers) are kept as they are. Returns `value` itself when nothing changed.
 */
export function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return (value.includes(NUL) ? value.replaceAll(NUL, '') : value) as T;
  if (Array.isArray(value)) {
    const items = value.map((item: unknown) => withoutNul(item));
    return (items.some((item, i) => item !== value[i]) ? items : value) as T;
  }
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return value;
  let changed = false;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const clean = withoutNul(item);
    if (clean !== item) changed = true;
    copy[key] = clean;
  }
  return (changed ? copy : value) as T;
}
