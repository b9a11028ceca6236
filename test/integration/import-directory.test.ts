import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsvFile, importCsvText } from '../../src/import/index.js';
import { countAllTables } from '../fixtures/import/generate.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { englishOf, inEnglish, vietnameseOf } from '../helpers/import-errors.js';

const T0 = new Date('2026-11-22T03:00:00.000Z');
const T1 = new Date('2026-11-23T03:00:00.000Z');

const ORGS = [
  'code,name,name_en,type,parent_code,valid_from,valid_to,predecessor_code,screening',
  // The parent (HUE) and the predecessor (OLD) come later in the file.
  'UBND,Ủy ban nhân dân thành phố Huế,Hue City People\'s Committee,government,HUE,2025-01-01,,,0',
  'HUE,Thành phố Huế,Hue City,province,,2025-01-01,,OLD,0',
  'OLD,Tỉnh Thừa Thiên Huế,,province,,,2024-12-31,,0',
  'SYT,Sở Y tế,Department of Health,department,UBND,,,,0',
  'CA,Công an thành phố Huế,,agency,HUE,,,,1',
  'P1,Phường Thuận Hóa,,commune,HUE,2025-07-01,,,0',
].join('\n');

describe.each(testDialects())('directory import of organisations, topics, outlets on %s', (dialect) => {
  let t: TestDb;
  beforeAll(async () => { t = await createTestDb(dialect); });
  afterAll(async () => { await t.drop(); });

  it('imports organisations whose parent and predecessor come later in the same file', async () => {
    const result = await importCsvText(t.db, 'organisations', ORGS, 'orgs.csv', T0);
    expect(result).toEqual({ ok: true, kind: 'organisations', inserted: 6, updated: 0, rows: 6 });
    const orgs = await t.db.selectFrom('orgs').selectAll().execute();
    const byCode = new Map(orgs.map((o) => [o.code, o]));
    expect(byCode.get('UBND')?.parent_id).toBe(byCode.get('HUE')?.id);
    expect(byCode.get('HUE')?.predecessor_id).toBe(byCode.get('OLD')?.id);
    expect(byCode.get('CA')?.screening).toBe(1);
    expect(byCode.get('OLD')?.valid_to).toBe('2024-12-31');
    expect(byCode.get('HUE')?.created_at).toBe(T0.toISOString());
  });

  it('re-imports the same file without changing or duplicating anything', async () => {
    const before = await t.db.selectFrom('orgs').selectAll().orderBy('id').execute();
    const result = await importCsvText(t.db, 'organisations', ORGS, 'orgs.csv', T1);
    expect(result).toEqual({ ok: true, kind: 'organisations', inserted: 0, updated: 0, rows: 6 });
    expect(await t.db.selectFrom('orgs').selectAll().orderBy('id').execute()).toEqual(before);
  });

  it('applies a changed name as an update and keeps created_at', async () => {
    const renamed = ORGS.replace('Sở Y tế,Department of Health', 'Sở Y tế thành phố Huế,Hue Department of Health');
    const result = await importCsvText(t.db, 'organisations', renamed, 'orgs.csv', T1);
    expect(result).toMatchObject({ ok: true, inserted: 0, updated: 1 });
    const syt = await t.db.selectFrom('orgs').selectAll().where('code', '=', 'SYT').executeTakeFirstOrThrow();
    expect(syt).toMatchObject({ name: 'Sở Y tế thành phố Huế', created_at: T0.toISOString(), updated_at: T1.toISOString() });
    expect(await t.db.selectFrom('orgs').select('id').execute()).toHaveLength(6);
  });

  it('writes one audit event per import with the counts', async () => {
    const audits = await t.db.selectFrom('audit_events').selectAll().where('entity', '=', 'organisations').orderBy('id').execute();
    expect(audits).toHaveLength(3);
    expect(audits[2]).toMatchObject({ action: 'directory.import', entity_id: 'orgs.csv', at: T1.toISOString() });
    expect(JSON.parse(audits[2]?.after ?? '{}')).toMatchObject({ rows: 6, inserted: 0, updated: 1, unchanged: 5 });
  });

  it('rejects a cycle in the organisation tree, naming every row on it', async () => {
    const before = await countAllTables(t.db);
    const text = 'code,name,type,parent_code\nA,Đơn vị A,department,B\nB,Đơn vị B,department,A\nC,Đơn vị C,department,C\n';
    const result = await importCsvText(t.db, 'organisations', text, 'cycle.csv', T1);
    expect(inEnglish(result)).toEqual({ ok: false, errors: [
      'cycle.csv:2: the organisation tree has a cycle: A → B → A',
      'cycle.csv:3: the organisation tree has a cycle: B → A → B',
      'cycle.csv:4: the organisation tree has a cycle: C → C',
    ] });
    expect(await countAllTables(t.db)).toEqual(before);
  });

  it('rejects a cycle closed through an organisation already in the database', async () => {
    const text = 'code,name,type,parent_code\nHUE,Thành phố Huế,province,SYT\n';
    const result = await importCsvText(t.db, 'organisations', text, 'o.csv', T1);
    expect(inEnglish(result)).toEqual({ ok: false, errors: ['o.csv:2: the organisation tree has a cycle: HUE → SYT → UBND → HUE'] });
  });

  it('lists every bad organisation row and writes nothing', async () => {
    const before = await countAllTables(t.db);
    const text = [
      'code,name,type,parent_code,valid_from,valid_to,screening',
      'N1,Mới 1,district,,,,0',
      ',Không mã,commune,HUE,,,',
      'N2,Mới 2,commune,NOWHERE,2025-02-30,,2',
      'N3,Mới 3,commune,HUE,2025-07-01,2025-06-30,0',
      'N3,Mới 3 lặp,commune,HUE,,,0',
      'N4,Tốt,commune,HUE,2025-07-01,,0',
    ].join('\n');
    const result = await importCsvText(t.db, 'organisations', text, 'bad.csv', T1);
    expect(result.ok).toBe(false);
    expect(englishOf(result.ok ? [] : result.errors)).toEqual([
      'bad.csv:2: type "district" is not one of government, ministry, province, department, agency, commune, special_zone, press_office',
      'bad.csv:3: code is required',
      'bad.csv:4: valid_from "2025-02-30" is not a valid date (write YYYY-MM-DD, e.g. 2025-07-01)',
      'bad.csv:4: screening must be 0 or 1, not "2"',
      'bad.csv:4: parent_code "NOWHERE" is neither in this file nor in the database',
      'bad.csv:5: valid_from 2025-07-01 is after valid_to 2025-06-30',
      'bad.csv:6: code "N3" is repeated (first on line 5)',
    ]);
    // Each row's reason is given in Vietnamese first, like the headline (#14).
    expect(vietnameseOf(result.ok ? [] : result.errors)).toEqual([
      'bad.csv:2: type "district" không thuộc các giá trị government, ministry, province, department, agency, commune, special_zone, press_office',
      'bad.csv:3: code không được để trống',
      'bad.csv:4: valid_from "2025-02-30" không phải ngày hợp lệ (viết YYYY-MM-DD, ví dụ 2025-07-01)',
      'bad.csv:4: screening phải là 0 hoặc 1, không phải "2"',
      'bad.csv:4: parent_code "NOWHERE" không có trong tệp này cũng như trong cơ sở dữ liệu',
      'bad.csv:5: valid_from 2025-07-01 sau valid_to 2025-06-30',
      'bad.csv:6: mã "N3" bị lặp lại (lần đầu ở dòng 5)',
    ]);
    expect(await countAllTables(t.db)).toEqual(before);
  });

  it('rejects an unknown header column and a missing required one', async () => {
    const result = await importCsvText(t.db, 'outlets', 'Code,Ten\nTTO,Báo Tuổi Trẻ\n', 'outlets.csv', T1);
    expect(inEnglish(result)).toEqual({ ok: false, errors: [
      'outlets.csv:1: unknown column "ten" (expected: code, name)',
      'outlets.csv:1: missing required column "name"',
    ] });
    expect(vietnameseOf(result.ok ? [] : result.errors)).toEqual([
      'outlets.csv:1: không có cột "ten" (các cột dùng được: code, name)',
      'outlets.csv:1: thiếu cột bắt buộc "name"',
    ]);
  });

  it('reads UTF-8 with BOM, CRLF, case-insensitive headers and quoted commas and newlines', async () => {
    const text = '\uFEFFCODE,Name\r\nTTO,"Báo Tuổi Trẻ, TP.HCM"\r\nHUE,"Báo\r\nHuế"\r\nBAD,\r\n\r\n\r\n';
    const bad = await importCsvText(t.db, 'outlets', text, 'o.csv', T1);
    // The quoted line break moves the next row to physical line 5.
    expect(inEnglish(bad)).toEqual({ ok: false, errors: ['o.csv:5: name is required'] });
    const good = await importCsvText(t.db, 'outlets', text.replace('BAD,\r\n', ''), 'o.csv', T1);
    expect(good).toEqual({ ok: true, kind: 'outlets', inserted: 2, updated: 0, rows: 2 });
    const names = await t.db.selectFrom('outlets').select(['code', 'name']).orderBy('code').execute();
    expect(names).toEqual([{ code: 'HUE', name: 'Báo\nHuế' }, { code: 'TTO', name: 'Báo Tuổi Trẻ, TP.HCM' }]);
  });

  it('reports rows with the wrong number of fields and CSV syntax errors with their line', async () => {
    const fields = await importCsvText(t.db, 'outlets', 'code,name\nA,Báo A\nB,Báo B,extra\nC\n', 'f.csv', T1);
    expect(inEnglish(fields)).toEqual({ ok: false, errors: [
      'f.csv:3: has 3 fields but the header has 2 (quote fields that contain commas)',
      'f.csv:4: has 1 fields but the header has 2 (quote fields that contain commas)',
    ] });
    const syntax = await importCsvText(t.db, 'outlets', 'code,name\nA,Báo A\nB,Báo "B" x\n', 's.csv', T1);
    expect(englishOf(syntax.ok ? [] : syntax.errors)).toEqual([expect.stringMatching(/^s\.csv:3: CSV syntax error/)]);
  });

  it('imports topics mapped to organisations, inheriting screening when blank', async () => {
    const text = 'code,name,name_en,org_code,screening,active\nYTE,Y tế,Health,SYT,,1\nANTT,"An ninh, trật tự",,CA,1,\nX,Cũ,,SYT,0,0\n';
    expect(await importCsvText(t.db, 'topics', text, 'topics.csv', T1)).toMatchObject({ ok: true, inserted: 3, rows: 3 });
    const topics = await t.db.selectFrom('topics').innerJoin('orgs', 'orgs.id', 'topics.org_id')
      .select(['topics.code', 'topics.screening', 'topics.active', 'orgs.code as org']).orderBy('topics.code').execute();
    expect(topics).toEqual([
      { code: 'ANTT', screening: 1, active: 1, org: 'CA' },
      { code: 'X', screening: 0, active: 0, org: 'SYT' },
      { code: 'YTE', screening: null, active: 1, org: 'SYT' },
    ]);
    expect(await importCsvText(t.db, 'topics', text, 'topics.csv', T1)).toMatchObject({ ok: true, inserted: 0, updated: 0 });
    const unknown = await importCsvText(t.db, 'topics', 'code,name,org_code\nGD,Giáo dục,SGDDT\n', 'topics.csv', T1);
    expect(inEnglish(unknown)).toEqual({ ok: false, errors: ['topics.csv:2: org_code "SGDDT" is not in the database (import organisations first)'] });
  });

  it('imports from a file path and reports unreadable or non-UTF-8 files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'import-test-'));
    writeFileSync(join(dir, 'outlets.csv'), '\uFEFFcode,name\r\nVNE,Báo điện tử VnExpress\r\n', 'utf8');
    writeFileSync(join(dir, 'latin1.csv'), Buffer.from([0x63, 0x6f, 0x64, 0x65, 0x2c, 0x6e, 0x61, 0x6d, 0x65, 0x0a, 0x41, 0x2c, 0xe0, 0x0a]));
    expect(await importCsvFile(t.db, 'outlets', join(dir, 'outlets.csv'), T1)).toMatchObject({ ok: true, inserted: 1 });
    expect(inEnglish(await importCsvFile(t.db, 'outlets', join(dir, 'latin1.csv'), T1))).toEqual({ ok: false, errors: [`${join(dir, 'latin1.csv')}:1: the file is not UTF-8 text (in Excel, save as "CSV UTF-8")`] });
    const missing = await importCsvFile(t.db, 'outlets', join(dir, 'missing.csv'), T1);
    expect(inEnglish(missing)).toEqual({ ok: false, errors: [`${join(dir, 'missing.csv')}: cannot read the file (ENOENT)`] });
  });
});
