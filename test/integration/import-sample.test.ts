import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSampleNetwork } from '../../src/import/sample.js';
import { exportInvites } from '../../src/import/index.js';
import { findPersonByInvite } from '../../db/repositories/directory.js';
import { countAllTables } from '../fixtures/import/generate.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';

const T0 = new Date('2026-11-22T03:00:00.000Z');

describe.each(testDialects())('sample network and invites export on %s', (dialect) => {
  let t: TestDb;
  beforeAll(async () => { t = await createTestDb(dialect); });
  afterAll(async () => { await t.drop(); });

  it('loads the Huế sample network through the import', async () => {
    const summary = await loadSampleNetwork(t.db, T0);
    expect(summary.files.map((f) => [f.kind, f.rows, f.inserted])).toEqual([
      ['organisations', 31, 31], ['topics', 10, 10], ['outlets', 2, 2], ['people', 15, 15], ['contacts', 20, 20],
      ['deadline-overrides', 2, 2], ['office-hours', 1, 0],
    ]);
    const policeHours = await t.db.selectFrom('orgs').select('office_hours').where('code', '=', 'CA-HUE').executeTakeFirstOrThrow();
    expect(JSON.parse(policeHours.office_hours ?? '[]')).toEqual([{ start: '07:00', end: '11:30' }, { start: '13:30', end: '17:00' }]);
    const overrides = await t.db.selectFrom('deadline_overrides').innerJoin('orgs', 'orgs.id', 'deadline_overrides.org_id')
      .select(['orgs.code', 'deadline_class', 'amount', 'unit']).orderBy('orgs.code').execute();
    expect(overrides.map((o) => ({ ...o, amount: Number(o.amount) }))).toEqual([
      { code: 'CA-HUE', deadline_class: 'routine', amount: 1, unit: 'working_days' },
      { code: 'SYT', deadline_class: 'press_answer', amount: 15, unit: 'working_days' },
    ]);
    const city = await t.db.selectFrom('orgs').selectAll().where('code', '=', 'HUE').executeTakeFirstOrThrow();
    const predecessor = await t.db.selectFrom('orgs').select(['code', 'valid_to']).where('id', '=', city.predecessor_id ?? -1).executeTakeFirst();
    expect(predecessor).toEqual({ code: 'TTH', valid_to: '2024-12-31' });
    const communes = await t.db.selectFrom('orgs').select('code').where('type', '=', 'commune').where('parent_id', '=', city.id)
      .where('valid_from', '=', '2025-07-01').execute();
    expect(communes).toHaveLength(20);
    const police = await t.db.selectFrom('orgs').select(['type', 'screening']).where('code', '=', 'CA-HUE').executeTakeFirstOrThrow();
    expect(police).toEqual({ type: 'agency', screening: 1 });
    const other = await t.db.selectFrom('topics').innerJoin('orgs', 'orgs.id', 'topics.org_id')
      .select(['topics.name', 'topics.screening', 'orgs.type']).where('topics.code', '=', 'KHAC').executeTakeFirstOrThrow();
    expect(other).toEqual({ name: 'Khác / chưa rõ', screening: 1, type: 'government' });
  });

  it('loads again without changing anything', async () => {
    const before = await countAllTables(t.db);
    const summary = await loadSampleNetwork(t.db, new Date('2026-11-23T00:00:00.000Z'));
    expect(summary.files.every((f) => f.inserted === 0 && f.updated === 0)).toBe(true);
    expect(await countAllTables(t.db)).toEqual({ ...before, audit_events: before.audit_events + 7 });
  });

  it('stores invites only as hashes: the sheet cannot show earlier codes, and --reissue issues working new ones shown once', async () => {
    const stored = await t.db.selectFrom('persons').select('invite_code').where('invite_code', 'is not', null).execute();
    expect(stored).toHaveLength(35);
    expect(stored.every((p) => /^[0-9a-f]{64}$/.test(p.invite_code!))).toBe(true);
    expect((await findPersonByInvite(t.db, 'pn-syte-01'))?.code).toBe('PN-SYTE-01');

    const first = await exportInvites(t.db, { botUsername: '@lienlac_hue_bot' });
    const rows = parse(first.csv, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(35);
    expect(first).toMatchObject({ issued: 0, hidden: 35 });
    expect(rows.find((r) => r.person_code === 'PN-SYTE-01')).toEqual({
      person_code: 'PN-SYTE-01', full_name: 'Hoàng Minh Tuấn', roles: 'spokesperson:regular@SYT', invite_code: '', telegram_link: '', start_command: '', used_at: '',
    });
    expect(rows.find((r) => r.person_code === 'DPV-VHTT-01')?.roles).toBe('coordinator@HUE');

    const again = await exportInvites(t.db, { botUsername: '@lienlac_hue_bot', roles: ['spokesperson'], reissue: true });
    const row = (parse(again.csv, { columns: true }) as Array<Record<string, string>>).find((r) => r.person_code === 'PN-SYTE-01')!;
    expect(again.issued).toBeGreaterThan(0);
    expect(row.invite_code).toMatch(/^[a-z2-9]{10}$/);
    expect(row.telegram_link).toBe(`https://t.me/lienlac_hue_bot?start=${row.invite_code}`);
    expect(row.start_command).toBe(`/start ${row.invite_code}`);
    expect((await findPersonByInvite(t.db, row.invite_code!))?.code).toBe('PN-SYTE-01');
    expect(await findPersonByInvite(t.db, 'pn-syte-01')).toBeUndefined();
    expect(JSON.stringify(await t.db.selectFrom('persons').selectAll().execute())).not.toContain(row.invite_code);
  });

  it('issues a code to a person who has none, once, and none to a used invite', async () => {
    await t.db.updateTable('persons').set({ invite_code: null }).where('code', '=', 'PV-TTO-01').execute();
    const first = await exportInvites(t.db, { roles: ['reporter'] });
    expect(first.issued).toBe(1);
    const code = (parse(first.csv, { columns: true }) as Array<Record<string, string>>).find((r) => r.person_code === 'PV-TTO-01')!.invite_code!;
    expect((await findPersonByInvite(t.db, code))?.code).toBe('PV-TTO-01');
    const second = await exportInvites(t.db, { roles: ['reporter'] });
    expect(second).toMatchObject({ issued: 0, hidden: 2 });
  });

  it('filters by role, leaves links empty without a bot name and shows redemption', async () => {
    await t.db.updateTable('persons').set({ invite_used_at: '2026-11-22T05:00:00.000Z' }).where('code', '=', 'PV-HUE-01').execute();
    const { csv } = await exportInvites(t.db, { roles: ['reporter'] });
    const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => [r.person_code, r.telegram_link, r.used_at])).toEqual([
      ['PV-HUE-01', '', '2026-11-22T05:00:00.000Z'], ['PV-TTO-01', '', ''],
    ]);
  });

  it('quotes names with commas and quotes so the CSV round-trips', async () => {
    await t.db.updateTable('persons').set({ full_name: 'Lê "Bảy", Hoàng Nam' }).where('code', '=', 'PV-TTO-01').execute();
    const { csv } = await exportInvites(t.db, { roles: ['reporter'], bom: true });
    expect(csv.startsWith('\uFEFFperson_code,')).toBe(true);
    expect(csv).toContain('"Lê ""Bảy"", Hoàng Nam"');
    const rows = parse(csv, { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(rows[1]?.full_name).toBe('Lê "Bảy", Hoàng Nam');
  });
});
