import { describe, expect, it } from 'vitest';
import { createWorkCalendar } from '../../src/time/calendar.js';
import { createCalendarCache } from '../../src/time/calendar-cache.js';

describe('calendar cache', () => {
  const calendar = createWorkCalendar({ official: [], officialYears: [] });

  it('loads once within the TTL and passes the first caller\'s arguments through', async () => {
    const calls: string[] = [];
    const cached = createCalendarCache(async (via: string) => { calls.push(via); return calendar; }, 60_000);
    expect(await cached('tx-1')).toBe(calendar);
    expect(await cached('tx-2')).toBe(calendar);
    expect(calls).toEqual(['tx-1']);
  });

  it('reloads every time with a zero TTL, and does not keep a failed load', async () => {
    let n = 0;
    const cached = createCalendarCache(async () => { n += 1; if (n === 1) throw new Error('db down'); return calendar; }, 60_000);
    await expect(cached()).rejects.toThrow('db down');
    expect(await cached()).toBe(calendar);
    const uncached = createCalendarCache(async () => { n += 1; return calendar; }, 0);
    await uncached();
    await uncached();
    expect(n).toBe(4);
  });
});
