import { describe, expect, it } from 'vitest';
import { rollupSlices } from '../../db/repositories/stats-figures.js';
import { classifyOpen } from '../../flows/stats/measures.js';
import { isDay, namedPeriod, parsePeriod, reportingYear, reportingYearOf, weekStart } from '../../flows/stats/periods.js';
import { toCsv } from '../../src/dashboard/export.js';

describe('periods', () => {
  it('the Decree 244 reporting year runs 15 December – 14 December; from the 15th it is next year\'s', () => {
    expect(reportingYear(2026)).toEqual({ from: '2025-12-15', to: '2026-12-14' });
    expect(reportingYearOf('2026-12-14')).toBe(2026);
    expect(reportingYearOf('2026-12-15')).toBe(2027);
    expect(reportingYearOf('2026-01-01')).toBe(2026);
    expect(namedPeriod('month', '2026-02-10')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(namedPeriod('7d', '2026-03-02')).toEqual({ from: '2026-02-24', to: '2026-03-02' });
    expect(weekStart('2026-12-06')).toBe('2026-11-30');
  });

  it('reads a period from the query, refusing bad dates, reversed or overlong ranges and unknown kinds', () => {
    expect(parsePeriod({}, '2026-12-04')).toEqual({ kind: 'year', from: '2025-12-15', to: '2026-12-14' });
    expect(parsePeriod({ period: 'range', from: '2026-01-01', to: '2026-01-31' }, '2026-12-04')).toEqual({ kind: 'range', from: '2026-01-01', to: '2026-01-31' });
    for (const q of [{ period: 'week' }, { period: 'range', from: '2026-02-30', to: '2026-03-01' }, { period: 'range', from: '2026-03-02', to: '2026-03-01' }, { period: 'range', from: '2000-01-01', to: '2026-01-01' }, { period: 'range' }]) {
      expect(parsePeriod(q, '2026-12-04')).toBeUndefined();
    }
    expect(isDay('2026-02-29')).toBe(false);
  });

  it('covers a period with whole months where it can, and loose days at its ends', () => {
    expect(rollupSlices('2025-12-15', '2026-12-14')).toEqual([
      { grain: 'd', from: '2025-12-15', to: '2025-12-31' }, { grain: 'd', from: '2026-12-01', to: '2026-12-14' }, { grain: 'm', from: '2026-01', to: '2026-11' },
    ]);
    expect(rollupSlices('2026-02-01', '2026-02-28')).toEqual([{ grain: 'd', from: '2026-02-01', to: '2026-02-28' }]);
    expect(rollupSlices('2026-01-01', '2026-03-31')).toEqual([{ grain: 'm', from: '2026-01', to: '2026-03' }]);
  });

  it('judges a paused inquiry at the moment it paused', () => {
    const at = Date.parse('2026-12-04T03:00:00Z');
    expect(classifyOpen({ due_at: '2026-12-01T00:00:00Z', original_due_at: null, paused_at: null }, at, 86_400_000).state).toBe('late');
    expect(classifyOpen({ due_at: '2026-12-01T00:00:00Z', original_due_at: null, paused_at: '2026-11-20T00:00:00Z' }, at, 86_400_000).state).toBe('not_yet');
    expect(classifyOpen({ due_at: '2026-12-05T00:00:00Z', original_due_at: '2026-12-02T00:00:00Z', paused_at: null }, at, 86_400_000)).toEqual({ state: 'soon', lateWithoutExtension: true });
  });
});

describe('CSV export', () => {
  it('starts with a BOM, heads columns in Vietnamese / English, writes Vietnam time and percentages, and neutralises formulas', () => {
    const csv = toCsv({
      name: 't', vi: 'Bảng', en: 'Table',
      columns: [{ key: 'a', vi: 'Cơ quan', en: 'Agency', kind: 'text' }, { key: 'at', vi: 'Lúc', en: 'At', kind: 'datetime' }, { key: 'r', vi: 'Tỉ lệ', en: 'Rate', kind: 'pct' }],
      rows: [{ a: '=HYPERLINK("x")', at: '2026-12-03T17:30:00.000Z', r: 0.6667 }, { a: 'Sở Y tế, Huế', at: null, r: null }],
    });
    expect(csv.split('\r\n')).toEqual(['\uFEFFCơ quan / Agency,Lúc / At,Tỉ lệ / Rate (%)', '"\'=HYPERLINK(""x"")",04/12/2026 00:30,66.7', '"Sở Y tế, Huế",,', '']);
  });
});
