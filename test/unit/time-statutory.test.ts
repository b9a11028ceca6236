import Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import { addDays, createWorkCalendar, dayOfWeek, statutoryEntries } from '../../src/time/index.js';

const dates = (year: number, kind?: string) =>
  statutoryEntries(year).filter((e) => kind === undefined || e.kind === kind).map((e) => e.date);

describe('statutory default calendar (Labour Code 2019 Arts. 111–112, lunar dates from date-holidays)', () => {
  it('lists the 11 Art. 112 holidays of 2026 and the Hùng Kings day in lieu', () => {
    expect(dates(2026, 'holiday')).toEqual([
      '2026-01-01',
      '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20',
      '2026-04-26', '2026-04-30', '2026-05-01',
      '2026-09-01', '2026-09-02',
    ]);
    // Hùng Kings 2026 (10/3 lunar) is Sunday 26 April → Monday 27 April off in lieu (rules.md).
    expect(dates(2026, 'day_off')).toEqual(['2026-04-27']);
    expect(statutoryEntries(2026).find((e) => e.date === '2026-04-27')?.source).toContain('Điều 111(3)');
  });

  it('cites the Labour Code and marks every entry as a default', () => {
    for (const e of statutoryEntries(2026)) {
      expect(e.source).toMatch(/^Bộ luật Lao động 2019, Điều 11[12]/);
      expect(e.source).toContain('mặc định');
    }
    expect(statutoryEntries(2026).find((e) => e.date === '2026-02-16')?.name).toContain('giao thừa');
  });

  it('does not make 24 November (Vietnam Culture Day) a holiday: it is not yet law', () => {
    for (const year of [2026, 2027, 2030]) expect(dates(year)).not.toContain(`${year}-11-24`);
  });

  it('takes Tết from the library: our five days are exactly its "Giao thừa" public range (giao thừa + mùng 1–4)', () => {
    const hd = new Holidays('VN');
    for (let year = 2020; year <= 2040; year += 1) {
      const eve = hd.getHolidays(year).find((h) => h.type === 'public' && h.rule.startsWith('1 day before vietnamese 1-0-1'));
      expect(eve, `library eve ${year}`).toBeDefined();
      const start = eve?.date.slice(0, 10) ?? '';
      const libraryDays = Math.round(((eve?.end.getTime() ?? 0) - (eve?.start.getTime() ?? 0)) / 86_400_000);
      const ours = statutoryEntries(year).filter((e) => e.name.startsWith('Tết Nguyên đán')).map((e) => e.date);
      expect(ours).toEqual([0, 1, 2, 3, 4].slice(0, libraryDays).map((i) => addDays(start, i)));
    }
  });

  it('gives each holiday on a weekly rest day the next free working day, pushing past a run of holidays', () => {
    // 2022: 30 Apr Saturday and 1 May Sunday → Monday 2 and Tuesday 3 May off.
    expect(dates(2022, 'day_off')).toEqual(expect.arrayContaining(['2022-05-02', '2022-05-03']));
    // 2027: Tết from Friday 5 Feb; mùng 1–2 on Saturday/Sunday → 10 and 11 Feb off after mùng 3–4.
    expect(dates(2027, 'holiday')).toEqual(expect.arrayContaining(['2027-02-05', '2027-02-09']));
    expect(dates(2027, 'day_off')).toEqual(expect.arrayContaining(['2027-02-10', '2027-02-11']));
    // 2028: 2 Sep is a Saturday → Monday 4 Sep off; 1 Sep (Friday) is the adjacent holiday.
    expect(dates(2028, 'day_off')).toContain('2028-09-04');
  });

  it('never puts a day in lieu on a rest day or a holiday, and gives one per holiday on a rest day', () => {
    for (let year = 2020; year <= 2045; year += 1) {
      const all = statutoryEntries(year);
      const holidays = all.filter((e) => e.kind === 'holiday');
      const inLieu = all.filter((e) => e.kind === 'day_off');
      expect(new Set(all.map((e) => e.date)).size).toBe(all.length);
      expect(holidays).toHaveLength(11);
      expect(inLieu).toHaveLength(holidays.filter((h) => [0, 6].includes(dayOfWeek(h.date))).length);
      for (const d of inLieu) expect([0, 6]).not.toContain(dayOfWeek(d.date));
    }
  });

  it('follows the weekly rest days given (a six-day week gets lieu only for Sundays)', () => {
    // 2026-04-26 is a Sunday; with only Sunday as rest day the lieu is Monday 27; 2026 has no Saturday holiday.
    expect(statutoryEntries(2026, { weekendDays: [0] }).filter((e) => e.kind === 'day_off').map((e) => e.date)).toEqual(['2026-04-27']);
    const sixDay = createWorkCalendar({ official: [], officialYears: [], weekendDays: [0] });
    expect(sixDay.isWorkingDay('2026-03-07')).toBe(true);
  });
});
