import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsvFile, importCsvText } from '../../src/import/index.js';
import { countAllTables } from '../fixtures/import/generate.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { englishOf, inEnglish, vietnameseOf } from '../helpers/import-errors.js';
import { hashInviteCode } from '../../db/invite-hash.js';

const T0 = new Date('2026-11-22T03:00:00.000Z');
const T1 = new Date('2026-11-23T03:00:00.000Z');
const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));

async function rolesOf(t: TestDb, personCode: string): Promise<string[]> {
  const rows = await t.db.selectFrom('role_assignments')
    .innerJoin('persons', 'persons.id', 'role_assignments.person_id')
    .leftJoin('orgs', 'orgs.id', 'role_assignments.org_id')
    .select(['role_assignments.role', 'role_assignments.kind', 'role_assignments.status', 'role_assignments.valid_to', 'orgs.code as org'])
    .where('persons.code', '=', personCode).execute();
  return rows.map((r) => `${r.role}:${r.kind ?? ''}@${r.org ?? ''}/${r.status}/${r.valid_to ?? ''}`).sort();
}

describe.each(testDialects())('directory import of people and contacts on %s', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    expect(await importCsvFile(t.db, 'organisations', fixture('base-orgs.csv'), T0)).toMatchObject({ ok: true });
    expect(await importCsvFile(t.db, 'outlets', fixture('base-outlets.csv'), T0)).toMatchObject({ ok: true });
  });
  afterAll(async () => { await t.drop(); });

  it('lists every bad people row with its line and writes nothing', async () => {
    const before = await countAllTables(t.db);
    const file = fixture('people-bad.csv');
    const result = await importCsvFile(t.db, 'people', file, T0);
    expect(englishOf(result.ok ? [] : result.errors)).toEqual([
      `${file}:3: press_card is required for a reporter`,
      `${file}:3: outlet_code "VNE" is not in the database (import outlets first)`,
      `${file}:4: kind is required for a spokesperson (regular, authorised, head)`,
      `${file}:5: full_name "Hoàng Minh Tuan" differs from line 4 for person "PN-1"`,
      `${file}:6: phone is not a valid number (digits, an optional leading +, spaces)`,
      `${file}:6: locale "fr" is not one of vi, en`,
      `${file}:6: invite_code "pn 2" is not valid: use 8 to 64 of A-Z, a-z, 0-9, "_" and "-" (shorter codes are too easy to guess; Telegram /start rules)`,
      `${file}:6: valid_from 2026-01-01 is after valid_to 2025-12-31`,
      `${file}:6: org_code "SGDDT" is not in the database (import organisations first)`,
      `${file}:7: invite_code "pv-hue-01" is also given to "PV-1" on line 2`,
      `${file}:8: role "chairman" is not one of reporter, spokesperson, coordinator, contact, admin, leader`,
      `${file}:9: org_code "SYT" is a department; a contact belongs to a commune or special_zone`,
      `${file}:10: case_code is only for authorised spokespersons`,
      `${file}:10: case_code "CASE-1" is not the code of an inquiry in the database`,
      `${file}:11: role spokesperson:head@SYT for "PN-5" is repeated (first on line 10)`,
    ]);
    expect(vietnameseOf(result.ok ? [] : result.errors)).toEqual([
      `${file}:3: phóng viên phải có press_card`,
      `${file}:3: outlet_code "VNE" chưa có trong cơ sở dữ liệu (hãy nhập outlets trước)`,
      `${file}:4: người phát ngôn phải có kind (regular, authorised, head)`,
      `${file}:5: full_name "Hoàng Minh Tuan" khác với dòng 4 của người "PN-1"`,
      `${file}:6: phone không phải số điện thoại hợp lệ (chữ số, có thể có dấu + ở đầu và dấu cách)`,
      `${file}:6: locale "fr" không thuộc các giá trị vi, en`,
      `${file}:6: invite_code "pn 2" không hợp lệ: dùng 8 đến 64 ký tự A-Z, a-z, 0-9, "_" và "-" (mã ngắn hơn dễ bị đoán; quy tắc /start của Telegram)`,
      `${file}:6: valid_from 2026-01-01 sau valid_to 2025-12-31`,
      `${file}:6: org_code "SGDDT" chưa có trong cơ sở dữ liệu (hãy nhập organisations trước)`,
      `${file}:7: invite_code "pv-hue-01" cũng được cấp cho "PV-1" ở dòng 2`,
      `${file}:8: role "chairman" không thuộc các giá trị reporter, spokesperson, coordinator, contact, admin, leader`,
      `${file}:9: org_code "SYT" là department; đầu mối phải thuộc một xã, phường (commune) hoặc đặc khu (special_zone)`,
      `${file}:10: case_code chỉ dành cho người được ủy quyền phát ngôn (authorised)`,
      `${file}:10: case_code "CASE-1" không phải mã của câu hỏi nào trong cơ sở dữ liệu`,
      `${file}:11: vai trò spokesperson:head@SYT của "PN-5" bị lặp lại (lần đầu ở dòng 10)`,
    ]);
    // A phone number never appears in an error message.
    expect((result.ok ? [] : result.errors).join('\n')).not.toContain('09x-abc');
    expect(await countAllTables(t.db)).toEqual(before);
  });

  it('imports people: one person per code, one active role per row, invite codes kept or generated', async () => {
    const result = await importCsvFile(t.db, 'people', fixture('people-good.csv'), T0);
    expect(result).toMatchObject({ ok: true, kind: 'people', inserted: 5, updated: 0, rows: 5 });
    const persons = await t.db.selectFrom('persons').selectAll().orderBy('code').execute();
    expect(persons.map((p) => p.code)).toEqual(['ADM-1', 'PN-1', 'PV-1', 'UQ-1']);
    const reporter = persons.find((p) => p.code === 'PV-1');
    const outlet = await t.db.selectFrom('outlets').select('id').where('code', '=', 'HUE').executeTakeFirstOrThrow();
    expect(reporter).toMatchObject({ outlet_id: outlet.id, press_card: 'MAU-0001', phone: '0900000001', invite_code: hashInviteCode('pv-hue-01'), locale: 'vi' });
    // No code in the file: none yet; `invites export` issues it (a generated code can be shown only then).
    expect(persons.find((p) => p.code === 'UQ-1')?.invite_code).toBeNull();
    expect(await rolesOf(t, 'PN-1')).toEqual(['coordinator:@HUE/active/', 'spokesperson:regular@SYT/active/']);
    expect(await rolesOf(t, 'UQ-1')).toEqual(['spokesperson:authorised@SYT/active/2027-06-30']);
    expect(await rolesOf(t, 'PV-1')).toEqual(['reporter:@/active/']);
  });

  it('re-imports people idempotently, keeping issued invite codes, and applies changes', async () => {
    await t.db.updateTable('persons').set({ invite_code: hashInviteCode('issued-uq-1') }).where('code', '=', 'UQ-1').execute();
    const generated = await t.db.selectFrom('persons').select('invite_code').where('code', '=', 'UQ-1').executeTakeFirstOrThrow();
    const before = await countAllTables(t.db);
    const again = await importCsvFile(t.db, 'people', fixture('people-good.csv'), T1);
    expect(again).toMatchObject({ ok: true, inserted: 0, updated: 0, rows: 5 });
    const after = await countAllTables(t.db);
    expect(after).toEqual({ ...before, audit_events: before.audit_events + 1 });
    expect(await t.db.selectFrom('persons').select('invite_code').where('code', '=', 'UQ-1').executeTakeFirstOrThrow()).toEqual(generated);

    const changed = readFileSync(fixture('people-good.csv'), 'utf8')
      .replace('Huỳnh Thị Mai,spokesperson,authorised,SYT,,,,,,2025-09-01,2027-06-30', 'Huỳnh Thị Mai,spokesperson,authorised,SYT,,,,,,2025-09-01,2027-12-31')
      .replace('Quản trị,admin', 'Quản trị viên,admin');
    expect(await importCsvText(t.db, 'people', changed, 'people.csv', T1)).toMatchObject({ ok: true, inserted: 0, updated: 2 });
    expect(await rolesOf(t, 'UQ-1')).toEqual(['spokesperson:authorised@SYT/active/2027-12-31']);
    expect((await t.db.selectFrom('persons').select('full_name').where('code', '=', 'ADM-1').executeTakeFirstOrThrow()).full_name).toBe('Quản trị viên');
    expect(await countAllTables(t.db)).toEqual({ ...after, audit_events: after.audit_events + 1 });
  });

  it('refuses an imported invite code shorter than 8 characters, saying so in Vietnamese and English', async () => {
    const text = 'person_code,full_name,role,invite_code\nADM-3,Quản trị 3,admin,abc1234\n';
    const result = await importCsvText(t.db, 'people', text, 'p.csv', T1);
    expect(result).toMatchObject({ ok: false, errors: [expect.stringContaining('p.csv:2: invite_code "abc1234"')] });
    expect(JSON.stringify(result)).toContain('mã ngắn hơn dễ bị đoán');
    expect(JSON.stringify(result)).toContain('use 8 to 64');
  });

  it('refuses an invite code that belongs to another person in the database', async () => {
    const text = 'person_code,full_name,role,invite_code\nADM-2,Quản trị 2,admin,pn-syte-01\n';
    expect(inEnglish(await importCsvText(t.db, 'people', text, 'p.csv', T1)))
      .toEqual({ ok: false, errors: ['p.csv:2: invite_code "pn-syte-01" already belongs to "PN-1" in the database'] });
  });

  it('imports contacts with tags as a JSON array and an active contact role on their commune', async () => {
    const text = [
      'code,full_name,org_code,tags,phone,invite_code,locale',
      'DM-1,Lê Văn Phúc,P-THUANHOA,do-thi; di-san ;,,xa-thuanhoa-01,vi',
      'DM-2,Kăn Thị Hiền,X-ALUOI1,mien-nui;bien-gioi,+84 900 000 102,,',
    ].join('\n');
    expect(await importCsvText(t.db, 'contacts', text, 'contacts.csv', T0)).toMatchObject({ ok: true, inserted: 2, rows: 2 });
    const dm1 = await t.db.selectFrom('persons').selectAll().where('code', '=', 'DM-1').executeTakeFirstOrThrow();
    expect(JSON.parse(dm1.tags ?? 'null')).toEqual(['do-thi', 'di-san']);
    expect(dm1.invite_code).toBe(hashInviteCode('xa-thuanhoa-01'));
    const dm2 = await t.db.selectFrom('persons').selectAll().where('code', '=', 'DM-2').executeTakeFirstOrThrow();
    expect(dm2.phone).toBe('+84900000102');
    expect(dm2.invite_code).toBeNull();
    await t.db.updateTable('persons').set({ invite_code: hashInviteCode('issued-dm-2') }).where('id', '=', dm2.id).execute();
    expect(await rolesOf(t, 'DM-2')).toEqual(['contact:@X-ALUOI1/active/']);
    expect(await importCsvText(t.db, 'contacts', text, 'contacts.csv', T1)).toMatchObject({ ok: true, inserted: 0, updated: 0 });
    expect((await t.db.selectFrom('persons').select('invite_code').where('code', '=', 'DM-2').executeTakeFirstOrThrow()).invite_code).toBe(hashInviteCode('issued-dm-2'));
    // A contact who moved commune keeps ONE contact role, moved (else they would get both communes' notices).
    const moved = text.replace('DM-1,Lê Văn Phúc,P-THUANHOA', 'DM-1,Lê Văn Phúc,X-ALUOI1');
    expect(await importCsvText(t.db, 'contacts', moved, 'contacts.csv', T1)).toMatchObject({ ok: true, inserted: 0, updated: 1 });
    expect(await rolesOf(t, 'DM-1')).toEqual(['contact:@X-ALUOI1/active/']);
  });

  it('rejects contacts on a non-commune organisation and duplicate codes or invite codes', async () => {
    const before = await countAllTables(t.db);
    const text = [
      'code,full_name,org_code,tags,invite_code',
      'DM-3,Nguyễn Thị Sen,SYT,,xa-moi-01',
      'DM-4,Hồ Văn Thành,X-ALUOI1,"mien nui",xa-moi-01',
      'DM-4,Hồ Văn Thành,X-ALUOI1,,',
      'DM-5,Trần Văn Quý,NOWHERE,,pv-hue-01',
    ].join('\n');
    const result = await importCsvText(t.db, 'contacts', text, 'c.csv', T1);
    expect(inEnglish(result)).toEqual({ ok: false, errors: [
      'c.csv:2: org_code "SYT" is a department; a contact belongs to a commune or special_zone',
      'c.csv:3: tag "mien nui" is not valid: use letters, digits, "_" and "-", separate tags with ";"',
      'c.csv:3: invite_code "xa-moi-01" is also given to "DM-3" on line 2',
      'c.csv:4: code "DM-4" is repeated (first on line 3)',
      'c.csv:5: org_code "NOWHERE" is not in the database (import organisations first)',
      'c.csv:5: invite_code "pv-hue-01" already belongs to "PV-1" in the database',
    ] });
    expect(await countAllTables(t.db)).toEqual(before);
  });
});
