import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client.js';
import { migrateToLatest } from '../../db/migrate.js';
import { evidenceTuplePages, type EvidenceTuple } from '../../db/repositories/annual-listing.js';
import { evidenceInquiries, listOrgEntries, type EvidenceKind } from '../../db/repositories/stats-figures.js';
import { dayStartIso } from '../../db/repositories/stats-rollup.js';
import type { Db } from '../../db/client.js';
import { evidenceTuple } from '../../src/report/annual-xlsx.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { seedStatsDataset, type SeededDataset } from '../helpers/stats-dataset.js';

const FROM = dayStartIso('2025-12-15');
const TO = dayStartIso('2026-12-15');
const KINDS: EvidenceKind[] = ['received', 'replied_earlier', 'urgent'];

/** Every page of a listing read through the fast path, each page checked to be rows as arrays. */
async function tuples(db: Db, kind: EvidenceKind, orgIds: readonly number[] | null, names: ReadonlyMap<number, string>, pageSize?: number): Promise<EvidenceTuple[]> {
  const all: EvidenceTuple[] = [];
  for await (const page of evidenceTuplePages(db, kind, FROM, TO, orgIds, names, pageSize)) {
    if (pageSize !== undefined) expect(page.length).toBeLessThanOrEqual(pageSize);
    for (const row of page) expect(Array.isArray(row)).toBe(true);
    all.push(...page);
  }
  return all;
}

/** The same listing through kysely's row objects (what the figures' own queries return), in one page. */
async function objects(db: Db, kind: EvidenceKind, orgIds: readonly number[] | null, names: ReadonlyMap<number, string>): Promise<EvidenceTuple[]> {
  return (await evidenceInquiries(db, kind, FROM, TO, orgIds, null, 10_000, names)).map(evidenceTuple);
}

async function namesOf(db: Db): Promise<Map<number, string>> {
  return new Map((await listOrgEntries(db)).map((o) => [o.id, o.name]));
}

describe.each(testDialects())('the annual report\'s listing read as arrays on %s', (dialect) => {
  let t: TestDb;
  let data: SeededDataset;
  beforeEach(async () => {
    t = await createTestDb(dialect);
    data = await seedStatsDataset(t.db);
  });
  afterEach(async () => {
    await t.drop();
  });

  it('lists the same inquiries, in the same order and with the same values, as the row objects, across pages of any size', async () => {
    const names = await namesOf(t.db);
    for (const kind of KINDS) {
      const expected = await objects(t.db, kind, null, names);
      // Pages of 1 and 2 rows walk the keyset cursor from every row to the next.
      for (const size of [1, 2, undefined]) expect(await tuples(t.db, kind, null, names, size)).toEqual(expected);
    }
    const received = await tuples(t.db, 'received', null, names);
    expect(received).toHaveLength(10);
    expect(received.some((r) => r[2] !== null && typeof r[2] === 'string')).toBe(true);
    expect(received.every((r) => typeof r[0] === 'number')).toBe(true);
  });

  it('keeps to an agency\'s subtree', async () => {
    const names = await namesOf(t.db);
    const scope = [data.net.financeId];
    const expected = await objects(t.db, 'received', scope, names);
    expect(expected.length).toBeGreaterThan(0);
    expect(await tuples(t.db, 'received', scope, names, 1)).toEqual(expected);
    expect(expected.every((r) => r[2] === 'Sở Tài chính')).toBe(true);
  });

  it('closes what it opened when the reader stops early', async () => {
    const names = await namesOf(t.db);
    for (let i = 0; i < 3; i += 1) {
      const pages = evidenceTuplePages(t.db, 'received', FROM, TO, null, names, 1);
      expect((await pages.next()).done).toBe(false);
      await pages.return(undefined);
      expect((await pages.next()).done).toBe(true);
    }
    // The database is still usable by everyone else afterwards.
    expect(await tuples(t.db, 'received', null, names, 3)).toHaveLength(10);
  });
});

describe('the annual report\'s listing on an in-memory SQLite database (no file to open a second connection on)', () => {
  let db: Db;
  let close: () => Promise<void>;
  beforeEach(async () => {
    const handle = createDb({ url: ':memory:' });
    db = handle.db;
    close = handle.close;
    await migrateToLatest(db);
    await seedStatsDataset(db);
  });
  afterEach(async () => {
    await close();
  });

  it('reads through kysely and still hands arrays, page by page', async () => {
    const names = await namesOf(db);
    for (const kind of KINDS) expect(await tuples(db, kind, null, names, 2)).toEqual(await objects(db, kind, null, names));
  });
});
