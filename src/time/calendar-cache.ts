import type { WorkCalendar } from './calendar.js';

/**
 * Reuses a loaded calendar for `ttlMs` (it is read on every deadline computation), so an imported
 * schedule reaches a running process within that time. Real elapsed time, not the injected clock:
 * this is a cache, not a rule. A failed load is not kept. The loader's arguments are passed through
 * on a miss (a flow passes its transaction).
 */
export function createCalendarCache<A extends unknown[]>(load: (...args: A) => Promise<WorkCalendar>, ttlMs: number): (...args: A) => Promise<WorkCalendar> {
  let cached: { at: number; calendar: Promise<WorkCalendar> } | undefined;
  return (...args) => {
    if (!cached || performance.now() - cached.at >= ttlMs) {
      const entry = { at: performance.now(), calendar: load(...args) };
      cached = entry;
      entry.calendar.catch(() => { if (cached === entry) cached = undefined; });
    }
    return cached.calendar;
  };
}
