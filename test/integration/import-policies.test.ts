import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsvText } from '../../src/import/index.js';
import { loadCalendar } from '../../src/import/calendar.js';
import { createDeadlinePolicy } from '../../src/time/deadline-policy.js';
import { parseOfficeHours } from '../../src/time/office-hours.js';
import { countAllTables } from '../fixtures/import/generate.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { englishOf, vietnameseOf } from '../helpers/import-errors.js';

const T0 = new Date('2026-11-22T03:00:00.000Z');
const T1 = new Date('2026-11-23T03:00:00.000Z');
const T2 = new Date('2026-11-24T03:00:00.000Z');

const ORGS = [
  'code,name,type,parent_code',
  'HUE,Thành phố Huế,province,',
  'UBND,Ủy ban nhân dân thành phố Huế,government,HUE',
  'SYT,Sở Y tế,department,UBND',
  'CA,Công an thành phố Huế,agency,HUE',
].join('\n');

const OVERRIDES = [
  'org_code,deadline_class,amount,unit,legal_basis,valid_from,valid_to',
  'UBND,routine,3,working_days,"Quy chế phát ngôn của UBND thành phố Huế, Điều 5",,',
  'SYT,routine,1,working_days,"Quy chế phát ngôn của Sở Y tế, Điều 4",2026-12-01,',
  'CA,incident,12,hours,Quy chế phát ngôn của Công an thành phố Huế,2026-01-01,2026-12-31',
].join('\n');

/** `YYYY-MM-DD HH:mm` in Vietnam. */
const local = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

describe.each(testDialects())('import of agencies\' deadline periods and office hours on %s', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    expect(await importCsvText(t.db, 'organisations', ORGS, 'orgs.csv', T0)).toMatchObject({ ok: true });
  });
  afterAll(async () => { await t.drop(); });

  const orgId = async (code: string) => (await t.db.selectFrom('orgs').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;

  it('imports deadline overrides that the deadline policy then applies, nearest organisation first', async () => {
    expect(await importCsvText(t.db, 'deadline-overrides', OVERRIDES, 'overrides.csv', T0))
      .toEqual({ ok: true, kind: 'deadline-overrides', inserted: 3, updated: 0, rows: 3 });
    const policy = createDeadlinePolicy({ db: t.db, loadCalendar: (via) => loadCalendar(via) });
    const [syt, ca] = [await orgId('SYT'), await orgId('CA')];
    const inherited = await policy.assign({ receivedAt: new Date('2026-11-23T03:00:00Z'), deadlineClass: 'routine', orgId: syt });
    expect(inherited.legalBasis).toBe('Quy chế phát ngôn của UBND thành phố Huế, Điều 5');
    expect(local(inherited.dueAt)).toBe('2026-11-27 00:00'); // 3 working days: Tue–Thu
    const own = await policy.assign({ receivedAt: new Date('2026-12-01T03:00:00Z'), deadlineClass: 'routine', orgId: syt });
    expect(own.legalBasis).toBe('Quy chế phát ngôn của Sở Y tế, Điều 4');
    const incident = await policy.assign({ receivedAt: new Date('2026-11-23T03:00:00Z'), deadlineClass: 'incident', orgId: ca });
    expect(local(incident.dueAt)).toBe('2026-11-23 22:00'); // 12 hours on the wall clock
    const audit = await t.db.selectFrom('audit_events').select(['entity', 'entity_id']).where('entity', '=', 'deadline-overrides').execute();
    expect(audit).toEqual([{ entity: 'deadline-overrides', entity_id: 'overrides.csv' }]);
  });

  it('re-imports without change, and updates a changed period in place (its id, and so inquiries\' rule ids, stay)', async () => {
    const before = await t.db.selectFrom('deadline_overrides').selectAll().orderBy('id').execute();
    expect(await importCsvText(t.db, 'deadline-overrides', OVERRIDES, 'overrides.csv', T1))
      .toEqual({ ok: true, kind: 'deadline-overrides', inserted: 0, updated: 0, rows: 3 });
    expect(await t.db.selectFrom('deadline_overrides').selectAll().orderBy('id').execute()).toEqual(before);
    const changed = OVERRIDES.replace('UBND,routine,3,', 'UBND,routine,4,');
    expect(await importCsvText(t.db, 'deadline-overrides', changed, 'overrides.csv', T2))
      .toEqual({ ok: true, kind: 'deadline-overrides', inserted: 0, updated: 1, rows: 3 });
    const after = await t.db.selectFrom('deadline_overrides').select(['id', 'amount', 'updated_at']).orderBy('id').execute();
    expect(after.map((r) => r.id)).toEqual(before.map((r) => r.id));
    expect(after.map((r) => Number(r.amount))).toEqual([4, 1, 12]);
  });

  it('lists every bad deadline-override row, in Vietnamese and English, and writes nothing', async () => {
    const before = await countAllTables(t.db);
    const text = [
      'org_code,deadline_class,amount,unit,legal_basis,valid_from,valid_to',
      'NOWHERE,routine,2,working_days,Quy chế,,',
      'SYT,weekly,2,working_days,Quy chế,,',
      'SYT,routine,0,working_days,Quy chế,2027-01-01,',
      'SYT,routine,two,days,Quy chế,2027-02-01,',
      'SYT,routine,300,working_days,Quy chế,2027-03-01,',
      'SYT,routine,2,weeks,,2027-04-01,2027-03-01',
      'SYT,incident,12,hours,Quy chế,2027-05-01,',
      'SYT,incident,10,hours,Quy chế lặp,2027-05-01,',
    ].join('\n');
    const result = await importCsvText(t.db, 'deadline-overrides', text, 'o.csv', T2);
    const errors = result.ok ? [] : result.errors;
    expect(englishOf(errors)).toEqual([
      'o.csv:2: org_code "NOWHERE" is not in the database (import organisations first)',
      'o.csv:3: deadline_class "weekly" is not one of incident, public_opinion, routine, forwarded_petition, complaint_conclusion, press_answer',
      'o.csv:4: amount "0" is not a whole number from 1 to 260',
      'o.csv:5: amount "two" is not a whole number from 1 to 366',
      'o.csv:6: amount "300" is not a whole number from 1 to 260',
      'o.csv:7: unit "weeks" is not one of hours, days, working_days',
      'o.csv:7: legal_basis is required',
      'o.csv:7: valid_from 2027-04-01 is after valid_to 2027-03-01',
      'o.csv:9: a period for SYT, incident from 2027-05-01 is repeated (first on line 8)',
    ]);
    expect(vietnameseOf(errors)).toEqual([
      'o.csv:2: org_code "NOWHERE" chưa có trong cơ sở dữ liệu (hãy nhập organisations trước)',
      'o.csv:3: deadline_class "weekly" không thuộc các giá trị incident, public_opinion, routine, forwarded_petition, complaint_conclusion, press_answer',
      'o.csv:4: amount "0" không phải số nguyên từ 1 đến 260',
      'o.csv:5: amount "two" không phải số nguyên từ 1 đến 366',
      'o.csv:6: amount "300" không phải số nguyên từ 1 đến 260',
      'o.csv:7: unit "weeks" không thuộc các giá trị hours, days, working_days',
      'o.csv:7: legal_basis không được để trống',
      'o.csv:7: valid_from 2027-04-01 sau valid_to 2027-03-01',
      'o.csv:9: thời hạn của SYT, incident từ 2027-05-01 bị lặp lại (lần đầu ở dòng 8)',
    ]);
    expect(await countAllTables(t.db)).toEqual(before);
  });

  it('imports office hours that the deadline arithmetic reads, and a blank cell restores the default', async () => {
    const text = 'org_code,office_hours\nCA,7:00-11:30; 13:30 – 17:30\nSYT,08:00-12:00\n';
    expect(await importCsvText(t.db, 'office-hours', text, 'hours.csv', T0)).toEqual({ ok: true, kind: 'office-hours', inserted: 0, updated: 2, rows: 2 });
    const stored = async (code: string) => (await t.db.selectFrom('orgs').select('office_hours').where('code', '=', code).executeTakeFirstOrThrow()).office_hours;
    expect(parseOfficeHours(await stored('CA'))).toEqual([{ start: '07:00', end: '11:30' }, { start: '13:30', end: '17:30' }]);
    expect(parseOfficeHours(await stored('SYT'))).toEqual([{ start: '08:00', end: '12:00' }]);
    expect(await importCsvText(t.db, 'office-hours', text, 'hours.csv', T1)).toEqual({ ok: true, kind: 'office-hours', inserted: 0, updated: 0, rows: 2 });
    // Re-importing the organisations leaves their office hours alone.
    expect(await importCsvText(t.db, 'organisations', ORGS.replace('Sở Y tế', 'Sở Y tế thành phố Huế'), 'orgs.csv', T1)).toMatchObject({ ok: true, updated: 1 });
    expect(parseOfficeHours(await stored('SYT'))).toEqual([{ start: '08:00', end: '12:00' }]);
    expect(await importCsvText(t.db, 'office-hours', 'org_code,office_hours\nSYT,\n', 'hours.csv', T2)).toMatchObject({ ok: true, updated: 1 });
    expect(await stored('SYT')).toBeNull();
    expect(await stored('CA')).not.toBeNull();
  });

  it('lists every bad office-hours row, in Vietnamese and English, and writes nothing', async () => {
    const before = await countAllTables(t.db);
    const hoursBefore = await t.db.selectFrom('orgs').select(['code', 'office_hours']).orderBy('code').execute();
    const text = [
      'org_code,office_hours',
      'CA,sáng 7h30 đến 11h30',
      'SYT,11:30-07:30',
      'UBND,07:30-11:30; 11:00-17:00',
      'HUE,25:00-26:00',
      'NOWHERE,07:30-11:30',
      'CA,07:30-11:30',
    ].join('\n');
    const result = await importCsvText(t.db, 'office-hours', text, 'h.csv', T2);
    const errors = result.ok ? [] : result.errors;
    const format = '(24-hour HH:mm, "-" between start and end, ";" between periods)';
    expect(englishOf(errors)).toEqual([
      `h.csv:2: office_hours "sáng 7h30 đến 11h30" is not a list of periods like 07:30-11:30; 13:30-17:00 ${format}`,
      'h.csv:3: office period 11:30-07:30 ends before it starts',
      'h.csv:4: office periods 07:30-11:30 and 11:00-17:00 overlap',
      `h.csv:5: office_hours "25:00-26:00" is not a list of periods like 07:30-11:30; 13:30-17:00 ${format}`,
      'h.csv:6: org_code "NOWHERE" is not in the database (import organisations first)',
      'h.csv:7: code "CA" is repeated (first on line 2)',
    ]);
    expect(vietnameseOf(errors).slice(1, 3)).toEqual([
      'h.csv:3: khung giờ 11:30-07:30 kết thúc trước khi bắt đầu',
      'h.csv:4: khung giờ 07:30-11:30 và 11:00-17:00 chồng lên nhau',
    ]);
    expect(await countAllTables(t.db)).toEqual(before);
    expect(await t.db.selectFrom('orgs').select(['code', 'office_hours']).orderBy('code').execute()).toEqual(hoursBefore);
  });
});
