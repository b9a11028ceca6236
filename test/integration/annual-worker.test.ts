import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, closeSync, rmSync, statSync, fstatSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client.js';
import { loadCalendar } from '../../src/import/calendar.js';
import { annualReport, type AnnualReport } from '../../src/report/annual.js';
import { AnnualWorkerExitError, writeAnnualXlsxFile } from '../../src/report/annual-file.js';
import { writeAnnualXlsx } from '../../src/report/annual-xlsx.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { seedStatsDataset, DATASET_NOW } from '../helpers/stats-dataset.js';
import { xlsxBytes, xlsxModel } from '../helpers/xlsx-compare.js';

/** The ZIP end-of-central-directory record's signature: the last thing the writer writes. */
const END_OF_ZIP = 0x06054b50;

/** Whether `path` is a complete ZIP file (its last 22 bytes are the end record). */
function completeZip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size < 22) return false;
    const tail = Buffer.alloc(22);
    readSync(fd, tail, 0, 22, size - 22);
    return tail.readUInt32LE(0) === END_OF_ZIP;
  } finally {
    closeSync(fd);
  }
}

/** Sleeps this thread without turning its event loop (nothing queued on it runs meanwhile). */
function blockThread(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe.each(testDialects())('the annual report\'s XLSX on a worker thread, on %s', (dialect) => {
  let t: TestDb;
  let dir: string;
  beforeEach(async () => {
    t = await createTestDb(dialect);
    await seedStatsDataset(t.db);
    dir = mkdtempSync(join(tmpdir(), 'annual-worker-'));
  });
  afterEach(async () => {
    await t.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const report = async (orgCode?: string): Promise<AnnualReport> => annualReport(t.db, { year: 2026, ...(orgCode ? { orgCode } : {}), now: new Date(DATASET_NOW), calendar: await loadCalendar(t.db) });

  it('writes the same workbook as the writer on this thread, reading the database itself or handed the pages (600, nothing else left)', async () => {
    for (const org of [undefined, 'SYT']) {
      const r = await report(org);
      const expected = await xlsxModel(await xlsxBytes((out) => writeAnnualXlsx(r, out)));
      await writeAnnualXlsxFile(r, join(dir, 'own.xlsx'), { source: t.source });
      await writeAnnualXlsxFile(r, join(dir, 'handed.xlsx'));
      for (const file of ['own.xlsx', 'handed.xlsx']) {
        expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
        expect(await xlsxModel(readFileSync(join(dir, file)))).toEqual(expected);
      }
    }
    expect(readdirSync(dir).sort()).toEqual(['handed.xlsx', 'own.xlsx']);
  });

  it('answers this thread\'s requests while a report is under way, and writes the whole file while this thread is blocked', async () => {
    const r = await report();
    const events: string[] = [];
    const server: Server = createServer((_req, res) => { res.end('ok'); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      // A report whose pages wait for the test (handed over by this thread): it is under way, its
      // worker started, until the request below has been answered.
      let release!: () => void;
      const gate = new Promise<void>((resolve) => { release = resolve; });
      const waiting: AnnualReport = { ...r, evidenceTuples: async function* (kind) { await gate; yield* r.evidenceTuples!(kind); } };
      const first = writeAnnualXlsxFile(waiting, join(dir, 'first.xlsx')).then(() => { events.push('report written'); });
      while (!readdirSync(dir).some((f) => f.endsWith('.tmp'))) await new Promise((resolve) => setTimeout(resolve, 5));
      const answer = await (await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/`)).text();
      events.push(`request answered: ${answer}`);
      release();
      await first;
      expect(events).toEqual(['request answered: ok', 'report written']);
      // Reading the database itself, the worker needs nothing of this thread: this thread now
      // stops turning its event loop altogether (no timer, message or I/O callback runs) until
      // the worker's temporary file is a complete ZIP. (The loop's bound catches a hang only.)
      const path = join(dir, 'bao-cao.xlsx');
      let writing: Promise<void> | undefined;
      // One turn of the loop, and the worker has been started (its constructor runs in a microtask
      // of the call); should this thread have been kept off the core so long that the worker
      // finished meanwhile, that attempt shows nothing and another is made.
      for (let attempt = 0; attempt < 5 && writing === undefined; attempt += 1) {
        let settled = false;
        const started = writeAnnualXlsxFile(r, path, { source: t.source }).finally(() => { settled = true; });
        await new Promise(setImmediate);
        if (!settled) writing = started;
        else await started;
      }
      rmSync(path, { force: true });
      let ticks = 0;
      const ticker = setInterval(() => { ticks += 1; }, 1);
      let complete = false;
      for (let i = 0; i < 12_000 && !complete; i += 1) {
        const temp = readdirSync(dir).find((f) => f.endsWith('.tmp'));
        complete = temp !== undefined && completeZip(join(dir, temp));
        if (!complete) blockThread(10);
      }
      expect(ticks).toBe(0);
      clearInterval(ticker);
      expect(complete).toBe(true);
      expect(existsSync(path)).toBe(false); // renamed into place by this thread, once it turns again
      await writing!;
      expect(readdirSync(dir).sort()).toEqual(['bao-cao.xlsx', 'first.xlsx']);
      expect(await xlsxModel(readFileSync(path))).toEqual(await xlsxModel(readFileSync(join(dir, 'first.xlsx'))));
    } finally {
      server.close();
    }
  });

  it('reads through a connection that cannot write (the worker\'s: createDb with readOnly)', async () => {
    const reader = createDb({ ...t.source, readOnly: true, pgPoolSize: 1 });
    try {
      expect(Number((await sql<{ n: number }>`select count(*) as n from inquiries`.execute(reader.db)).rows[0]!.n)).toBeGreaterThan(0);
      const refused = await sql`update inquiries set question = 'x'`.execute(reader.db).catch((e: unknown) => e as { code?: string });
      expect((refused as { code?: string }).code).toBe(dialect === 'sqlite' ? 'SQLITE_READONLY' : '25006');
    } finally {
      await reader.close();
    }
  });

  it('rejects with the database\'s own error when the worker cannot read, leaving no file', async () => {
    const r = await report();
    // The figures are made; the listing, read by the worker, then finds no table.
    await sql`alter table inquiries rename to inquiries_away`.execute(t.db);
    try {
      const handed = writeAnnualXlsxFile(r, join(dir, 'handed.xlsx'));
      handed.catch(() => undefined); // awaited below, after the other one: not unhandled meanwhile
      const own = writeAnnualXlsxFile(r, join(dir, 'own.xlsx'), { source: t.source });
      for (const result of [own, handed]) {
        const err = await result.then(() => undefined, (e: unknown) => e as Error & { code?: string });
        expect(err).toBeInstanceOf(Error);
        expect(err!.message).toMatch(dialect === 'sqlite' ? /no such table: inquiries/ : /relation "inquiries" does not exist/);
        expect(err!.code).toBe(dialect === 'sqlite' ? 'SQLITE_ERROR' : '42P01');
      }
    } finally {
      await sql`alter table inquiries_away rename to inquiries`.execute(t.db);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('rejects as the same file-system error when the folder is missing, and when the worker dies or is stopped, leaving no file; the next report is written', async () => {
    const r = await report();
    const missing = await writeAnnualXlsxFile(r, join(dir, 'nowhere', 'x.xlsx'), { source: t.source }).catch((e: unknown) => e as Error & { code?: string });
    expect(missing).toBeInstanceOf(Error);
    expect([missing!.code, missing!.message]).toEqual(['ENOENT', expect.stringContaining('nowhere')]);
    // A heap too small for the worker to start: it dies (out of memory); this process does not.
    const crashed = await writeAnnualXlsxFile(r, join(dir, 'crashed.xlsx'), { source: t.source, resourceLimits: { maxOldGenerationSizeMb: 1, maxYoungGenerationSizeMb: 1 } }).catch((e: unknown) => e);
    expect(crashed).toBeInstanceOf(AnnualWorkerExitError);
    expect((crashed as Error).message).toContain('Không tạo được tệp báo cáo năm');
    const stop = new AbortController();
    // Stopped while it runs: handed pages that wait for the test, it cannot finish before the abort.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const waiting: AnnualReport = { ...r, evidenceTuples: async function* (kind) { await gate; yield* r.evidenceTuples!(kind); } };
    const stopped = writeAnnualXlsxFile(waiting, join(dir, 'stopped.xlsx'), { signal: stop.signal }).catch((e: unknown) => e);
    // Once its temporary file exists, the worker is running.
    while (!readdirSync(dir).some((f) => f.endsWith('.tmp'))) await new Promise((resolve) => setTimeout(resolve, 5));
    stop.abort(new Error('stopped by the test'));
    release();
    expect(((await stopped) as Error).message).toBe('stopped by the test');
    expect(readdirSync(dir)).toEqual([]);
    await writeAnnualXlsxFile(r, join(dir, 'after.xlsx'), { source: t.source });
    expect(readdirSync(dir)).toEqual(['after.xlsx']);
  });
});
