import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasOfficialYear } from '../../db/repositories/calendar.js';
import { importCalendarCsv, importCalendarText, loadCalendar, showCalendar } from '../../src/import/calendar.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { englishOf, inEnglish, vietnameseOf } from '../helpers/import-errors.js';

const OFFICIAL_2026 = fileURLToPath(new URL('../../db/calendar/2026.csv', import.meta.url));
const T0 = new Date('2026-11-22T03:00:00.000Z');
const T1 = new Date('2026-11-23T03:00:00.000Z');

describe.each(testDialects())('calendar import and show on %s', (dialect) => {
  let t: TestDb;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    dir = mkdtempSync(join(tmpdir(), 'liaison-calendar-'));
  });
  afterAll(async () => {
    await t.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  const days = () => t.db.selectFrom('calendar_days').selectAll().orderBy('date').execute();

  it('imports the official 2026 schedule: 10 January is worked, 2 January and 16 February are not', async () => {
    expect(await importCalendarCsv(t.db, OFFICIAL_2026, T0)).toEqual({ ok: true, years: [2026], rows: 20 });
    const cal = await loadCalendar(t.db);
    expect(cal.hasOfficialSchedule(2026)).toBe(true);
    expect(cal.isWorkingDay('2026-01-10')).toBe(true);
    expect(cal.isWorkingDay('2026-01-02')).toBe(false);
    expect(cal.isWorkingDay('2026-02-16')).toBe(false);
    expect(cal.isWorkingDay('2026-02-23')).toBe(true);
    expect(await hasOfficialYear(t.db, 2026)).toBe(true);
    expect(await hasOfficialYear(t.db, 2027)).toBe(false);
    expect(await t.db.selectFrom('calendar_years').selectAll().execute())
      .toEqual([{ year: 2026, source: '2026.csv', imported_at: T0.toISOString() }]);
    const audit = await t.db.selectFrom('audit_events').selectAll().where('action', '=', 'calendar.import').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entity: 'calendar', entity_id: '2026.csv', at: T0.toISOString() });
    expect(JSON.parse(audit[0]?.after ?? '{}')).toMatchObject({ years: [2026], rows: 20, inserted: 20 });
  });

  it('re-imports the same file without changing a row (only the import time is recorded)', async () => {
    const before = await days();
    expect(await importCalendarCsv(t.db, OFFICIAL_2026, T1)).toEqual({ ok: true, years: [2026], rows: 20 });
    expect(await days()).toEqual(before);
    expect(await t.db.selectFrom('calendar_years').select('imported_at').execute()).toEqual([{ imported_at: T1.toISOString() }]);
    const audits = await t.db.selectFrom('audit_events').select('after').where('action', '=', 'calendar.import').orderBy('id').execute();
    expect(JSON.parse(audits[1]?.after ?? '{}')).toMatchObject({ inserted: 0, updated: 0, deleted: 0, unchanged: 20 });
  });

  it('rejects a bad file as a whole, listing every bad line, and writes nothing', async () => {
    const file = join(dir, 'lich-2027.csv');
    writeFileSync(file, [
      'date,kind,name,source',
      '2027-01-01,holiday,Tết Dương lịch,BLLĐ 2019 Điều 112',
      '2027-1-2,day_off,Nghỉ,QĐ',
      '2027-02-30,day_off,Nghỉ,QĐ',
      '2027-02-05,vacation,Nghỉ,QĐ',
      '2027-02-06,holiday,,QĐ',
      '2027-02-07,holiday,Tết,',
      '2027-01-01,day_off,Lặp lại,QĐ',
      '2028-01-01,holiday,Năm sau,QĐ',
      '2027-03-01,holiday,"Thiếu cột"',
    ].join('\n'));
    const before = { days: await days(), years: await t.db.selectFrom('calendar_years').selectAll().execute() };
    const result = await importCalendarCsv(t.db, file, T1);
    expect(result.ok).toBe(false);
    const errors = englishOf(result.ok ? [] : result.errors);
    expect(errors.map((e) => e.replace(`${file}:`, ''))).toEqual([
      '3: date "2027-1-2" is not a valid date (write YYYY-MM-DD, e.g. 2025-07-01)',
      '4: date "2027-02-30" is not a valid date (write YYYY-MM-DD, e.g. 2025-07-01)',
      '5: kind "vacation" is not one of holiday, day_off, makeup_workday',
      '6: name is required',
      '7: source is required',
      '8: date 2027-01-01 is already listed on line 2',
      '9: date 2028-01-01 is not in the year(s) the file name declares (2027)',
      '10: has 3 fields but the header has 4 (quote fields that contain commas)',
    ]);
    expect(vietnameseOf(result.ok ? [] : result.errors).map((e) => e.replace(`${file}:`, ''))).toEqual([
      '3: date "2027-1-2" không phải ngày hợp lệ (viết YYYY-MM-DD, ví dụ 2025-07-01)',
      '4: date "2027-02-30" không phải ngày hợp lệ (viết YYYY-MM-DD, ví dụ 2025-07-01)',
      '5: kind "vacation" không thuộc các giá trị holiday, day_off, makeup_workday',
      '6: name không được để trống',
      '7: source không được để trống',
      '8: ngày 2027-01-01 đã có ở dòng 2',
      '9: ngày 2028-01-01 không thuộc năm mà tên tệp ghi (2027)',
      '10: dòng có 3 ô nhưng dòng tiêu đề có 4 cột (ô nào có dấu phẩy thì đặt trong ngoặc kép)',
    ]);
    expect({ days: await days(), years: await t.db.selectFrom('calendar_years').selectAll().execute() }).toEqual(before);
    expect(await hasOfficialYear(t.db, 2027)).toBe(false);
  });

  it('needs the file name to declare its year(s), and rows in each declared year', async () => {
    const header = 'date,kind,name,source\n';
    expect(inEnglish(await importCalendarText(t.db, `${header}2027-01-01,holiday,Tết,BLLĐ`, 'calendar.csv', T1)))
      .toEqual({ ok: false, errors: [expect.stringMatching(/^calendar\.csv: the file name must say which year/)] });
    expect(inEnglish(await importCalendarText(t.db, `${header}2027-01-01,holiday,Tết,BLLĐ`, 'lich-2027-2028.csv', T1)))
      .toEqual({ ok: false, errors: ['lich-2027-2028.csv: the file name declares 2028 but no row is dated in 2028 (an import replaces the whole year)'] });
    expect(inEnglish(await importCalendarText(t.db, header, '2027.csv', T1)))
      .toEqual({ ok: false, errors: ['2027.csv:1: the file has no rows: nothing to import'] });
    expect(inEnglish(await importCalendarCsv(t.db, join(dir, 'missing-2027.csv'), T1)))
      .toEqual({ ok: false, errors: [expect.stringContaining('cannot read the file (ENOENT)')] });
    const latin1 = join(dir, '2027.csv');
    writeFileSync(latin1, Buffer.from('date,kind,name,source\n2027-01-01,holiday,T\xeat,x\n', 'latin1'));
    expect(inEnglish(await importCalendarCsv(t.db, latin1, T1))).toEqual({ ok: false, errors: [`${latin1}:1: the file is not UTF-8 text (in Excel, save as "CSV UTF-8")`] });
  });

  it('replaces a year exactly: rows left out of a new file are removed, changed ones updated', async () => {
    const header = 'date,kind,name,source\n';
    const first = `${header}2030-01-01,holiday,Tết Dương lịch,A\n2030-01-02,day_off,Nghỉ thêm,B\n`;
    expect(await importCalendarText(t.db, first, '2030.csv', T0)).toEqual({ ok: true, years: [2030], rows: 2 });
    const second = `${header}2030-01-01,holiday,Tết Dương lịch,A2\n2030-01-05,makeup_workday,Làm bù,C\n`;
    expect(await importCalendarText(t.db, second, '2030.csv', T1)).toEqual({ ok: true, years: [2030], rows: 2 });
    const rows = (await days()).filter((d) => d.date.startsWith('2030'));
    expect(rows.map((r) => [r.date, r.kind, r.source, r.created_at])).toEqual([
      ['2030-01-01', 'holiday', 'A2', T0.toISOString()],
      ['2030-01-05', 'makeup_workday', 'C', T1.toISOString()],
    ]);
    expect((await days()).filter((d) => d.date.startsWith('2026'))).toHaveLength(20);
  });

  it('shows the official schedule of an imported year and the statutory defaults of another', async () => {
    const official = await showCalendar(t.db, 2026);
    expect(official).toContain('Official imported schedule: 2026.csv');
    expect(official).toContain('2026-01-10  T7/Sat');
    expect(official).toMatch(/2026-01-10 .*make-up workday/);
    expect(official).toContain('Bộ luật Lao động 2019, Điều 112(1)(a)');
    expect(official).toContain('19 ngày nghỉ / days off, 1 ngày làm bù / make-up workdays');
    const statutory = await showCalendar(t.db, 2027);
    expect(statutory).toContain('Statutory defaults');
    expect(statutory).toContain('no official schedule imported for 2027');
    expect(statutory).toMatch(/2027-02-06 .*Tết Nguyên đán \(mùng 1\)/);
    expect(statutory).toContain('mặc định');
    await expect(showCalendar(t.db, 26)).rejects.toThrow(RangeError);
  });
});
