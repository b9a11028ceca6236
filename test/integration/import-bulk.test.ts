import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsvText } from '../../src/import/index.js';
import { countAllTables, createCommunesCsv, createContactsCsv, toCommuneCode } from '../fixtures/import/generate.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { hashInviteCode } from '../../db/invite-hash.js';

const CONTACTS = 12_000;
const COMMUNES = 300;
const T0 = new Date('2026-11-22T03:00:00.000Z');
const T1 = new Date('2026-11-23T03:00:00.000Z');

describe.each(testDialects())('bulk import of 12,000 contacts on %s', (dialect) => {
  let t: TestDb;
  const contactsCsv = createContactsCsv(CONTACTS, COMMUNES);
  beforeAll(async () => {
    t = await createTestDb(dialect);
    expect(await importCsvText(t.db, 'organisations', createCommunesCsv(COMMUNES), 'communes.csv', T0))
      .toMatchObject({ ok: true, inserted: COMMUNES + 1 });
  });
  afterAll(async () => { await t.drop(); });

  it('imports every contact with one active contact role on the right commune', async () => {
    const result = await importCsvText(t.db, 'contacts', contactsCsv, 'contacts.csv', T0);
    expect(result).toEqual({ ok: true, kind: 'contacts', inserted: CONTACTS, updated: 0, rows: CONTACTS });
    const counts = await countAllTables(t.db);
    expect(counts).toMatchObject({ persons: CONTACTS, role_assignments: CONTACTS, audit_events: 2 });
    const sample = await t.db.selectFrom('persons')
      .innerJoin('role_assignments', 'role_assignments.person_id', 'persons.id')
      .innerJoin('orgs', 'orgs.id', 'role_assignments.org_id')
      .select(['persons.full_name', 'persons.tags', 'persons.phone', 'persons.invite_code', 'orgs.code as org', 'role_assignments.status'])
      .where('persons.code', '=', 'DM-6000').executeTakeFirstOrThrow();
    expect(sample).toEqual({
      full_name: `Nguyễn Văn Đầu Mối 6000, xã ${1 + (6000 % COMMUNES)}`, tags: '["ven-bien","dam-pha"]',
      phone: '0900006000', invite_code: hashInviteCode('gen-006000'), org: toCommuneCode(1 + (6000 % COMMUNES)), status: 'active',
    });
    const invites = await t.db.selectFrom('persons').select('invite_code').execute();
    // Half the rows give a code (stored as its hash); the others get theirs when `invites export` issues it.
    const given = invites.flatMap((p) => (p.invite_code === null ? [] : [p.invite_code]));
    expect(new Set(given).size).toBe(CONTACTS / 2);
    expect(given.every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
  });

  it('re-imports the 12,000 contacts without any change', async () => {
    const before = await t.db.selectFrom('persons').select(['id', 'invite_code', 'updated_at']).orderBy('id').execute();
    const result = await importCsvText(t.db, 'contacts', contactsCsv, 'contacts.csv', T1);
    expect(result).toEqual({ ok: true, kind: 'contacts', inserted: 0, updated: 0, rows: CONTACTS });
    expect(await t.db.selectFrom('persons').select(['id', 'invite_code', 'updated_at']).orderBy('id').execute()).toEqual(before);
    expect(await countAllTables(t.db)).toMatchObject({ persons: CONTACTS, role_assignments: CONTACTS, audit_events: 3 });
  });

  it('updates only the rows that changed in a large file', async () => {
    const changed = contactsCsv.replace('DM-7,"Nguyễn Văn Đầu Mối 7,', 'DM-7,"Nguyễn Văn Đầu Mối Bảy,')
      .replace('DM-8,"Nguyễn Văn Đầu Mối 8, xã 9",GEN-X0009,ven-bien;dam-pha', 'DM-8,"Nguyễn Văn Đầu Mối 8, xã 9",GEN-X0009,ven-bien');
    expect(changed).not.toBe(contactsCsv);
    const result = await importCsvText(t.db, 'contacts', changed, 'contacts.csv', T1);
    expect(result).toEqual({ ok: true, kind: 'contacts', inserted: 0, updated: 2, rows: CONTACTS });
    const dm8 = await t.db.selectFrom('persons').select(['tags', 'updated_at']).where('code', '=', 'DM-8').executeTakeFirstOrThrow();
    expect(dm8).toEqual({ tags: '["ven-bien"]', updated_at: T1.toISOString() });
  });
});
