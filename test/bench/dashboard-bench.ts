/**
 * `npm run bench -- --only dashboard` (issue #15): the dashboard's queries and the Decree 244 annual
 * report on 1,000,000 inquiries (`--quick`: 100,000), on SQLite and on PostgreSQL when a server
 * answers. The inquiries span three reporting years (15 Dec 2023 – 4 Dec 2026, "now"), 100
 * agencies under one province, 40 topics, 2 % of the 24-hour classes; the last ten days' are half
 * open. Each query runs 3 times to warm up, then 20 times; the table shows the p95 (nearest rank).
 * `--part queries|annual` measures one half; `--keep-db DIR` seeds once and reuses the databases.
 */
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { finished } from 'node:stream/promises';
import { sql } from 'kysely';
import { createDb, type Db, type DbHandle } from '../../db/client.js';
import { migrateToLatest } from '../../db/migrate.js';
import { liveFingerprint } from '../../db/repositories/stats-dashboard.js';
import { inquiriesReceived } from '../../db/repositories/stats-figures.js';
import { rollupVersion } from '../../db/repositories/stats-rollup.js';
import { reportingYear } from '../../flows/stats/periods.js';
import { createFigures, type Figures } from '../../src/dashboard/figures.js';
import { loadCalendar } from '../../src/import/calendar.js';
import { annualReport } from '../../src/report/annual.js';
import { writeAnnualXlsxFile } from '../../src/report/annual-file.js';
import { writeAnnualXlsx } from '../../src/report/annual-xlsx.js';
import { writeAnnualXlsxWithExceljs } from '../helpers/annual-xlsx-exceljs.js';
import { createPostgresDatabase, keptPostgresDatabase, sqliteDatabase, type BenchDatabase } from './bench-db.js';
import { percentile, round, type BenchRow } from './bench-helpers.js';

const NOW = new Date('2026-12-04T03:00:00.000Z');
const START_MS = Date.parse('2023-12-14T17:00:00.000Z');
const SPAN_MS = NOW.getTime() - START_MS;
const AGENCIES = 100;
const TOPICS = 40;
const BATCH = 10_000;
const QUESTION = 'Xin cho biết kế hoạch triển khai chương trình trên địa bàn trong năm tới, tiến độ và kinh phí dự kiến như thế nào?';

/** One generated inquiry (deterministic in `i`). */
function row(i: number, n: number, orgIds: readonly number[], topicIds: readonly number[]) {
  const rnd = (k: number) => ((Math.sin(i * 12.9898 + k * 78.233) * 43758.5453) % 1 + 1) % 1;
  const received = START_MS + (i / n) * SPAN_MS;
  const agency = Math.floor(rnd(1) * AGENCIES);
  const urgent = rnd(2) < 0.02;
  const due = received + (urgent ? 24 : 60) * 3_600_000;
  const recent = NOW.getTime() - received < 10 * 86_400_000;
  const open = (recent && rnd(3) < 0.5) || rnd(4) < 0.002;
  const declined = !open && rnd(5) < 0.04;
  const closed = open ? null : received + rnd(6) * 4 * 86_400_000;
  const iso = (ms: number | null) => (ms === null ? null : new Date(Math.min(ms, NOW.getTime() - 60_000)).toISOString());
  return {
    code: `Q-${i + 1}`, org: orgIds[agency]!, topic: topicIds[(agency + Math.floor(rnd(7) * 2)) % TOPICS]!, status: open ? 'acknowledged' : declined ? 'declined' : 'answered',
    received: iso(received)!, cls: urgent ? (rnd(8) < 0.5 ? 'incident' : 'public_opinion') : 'routine', due: iso(due)!, closed: iso(closed),
    firstResponse: open ? null : iso(received + rnd(9) * 2 * 86_400_000), officeMin: open ? null : Math.floor(rnd(10) * 1500),
    ground: declined ? 'secret' : null, rating: !open && rnd(11) < 0.3 ? (['satisfied', 'acceptable', 'unsatisfied'] as const)[Math.floor(rnd(12) * 3)]! : null,
  };
}

async function seedDirectory(db: Db): Promise<{ orgIds: number[]; topicIds: number[]; personId: number; identityId: number }> {
  const at = NOW.toISOString();
  const org = async (code: string, type: string, parent: number | null) => (await db.insertInto('orgs').values({ code, name: `Cơ quan ${code}`, name_en: null, type: type as 'department', parent_id: parent, predecessor_id: null, valid_from: null, valid_to: null, screening: 0, created_at: at, updated_at: at }).returning('id').executeTakeFirstOrThrow()).id;
  const root = await org('TINH', 'province', null);
  const orgIds: number[] = [];
  for (let a = 0; a < AGENCIES; a += 1) orgIds.push(await org(`CQ-${a}`, 'department', a < 10 ? root : orgIds[a % 10]!));
  const topicIds: number[] = [];
  for (let t = 0; t < TOPICS; t += 1) topicIds.push((await db.insertInto('topics').values({ code: `LV-${t}`, name: `Lĩnh vực ${t}`, name_en: null, org_id: orgIds[t]!, screening: null, active: 1, created_at: at, updated_at: at }).returning('id').executeTakeFirstOrThrow()).id);
  const personId = (await db.insertInto('persons').values({ code: 'PV', full_name: 'Phóng viên', outlet_id: null, outlet_name: null, press_card: null, phone: null, tags: null, locale: null, invite_code: null, invite_used_at: null, created_at: at, updated_at: at }).returning('id').executeTakeFirstOrThrow()).id;
  const identityId = (await db.insertInto('identities').values({ platform: 'telegram', platform_user_id: '1', chat_id: '1', person_id: personId, display_name: null, locale: null, dialog: null, unreachable_at: null, unreachable_reason: null, last_inbound_at: at, created_at: at, updated_at: at }).returning('id').executeTakeFirstOrThrow()).id;
  return { orgIds, topicIds, personId, identityId };
}

/** Loads `n` inquiries in batches (the triggers run for every row, as in production). */
export async function load(db: Db, n: number): Promise<void> {
  const d = await seedDirectory(db);
  for (let from = 0; from < n; from += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, n - from) }, (_, k) => row(from + k, n, d.orgIds, d.topicIds));
    await db.transaction().execute(async (tx) => {
      for (let k = 0; k < rows.length; k += 500) {
        await tx.insertInto('inquiries').values(rows.slice(k, k + 500).map((r) => ({
          code: r.code, reporter_person_id: d.personId, reporter_identity_id: d.identityId, origin_chat_id: '1', origin_message_id: r.code, topic_id: r.topic,
          org_id: r.org, suggested_org_id: r.org, status: r.status as 'answered', question: QUESTION, received_at: r.received, deadline_class: r.cls as 'routine',
          rule_id: null, legal_basis: null, due_at: r.due, original_due_at: r.due, urgent_requested: 0, merged_into_id: null, decline_ground: r.ground as 'secret' | null,
          decline_reason: null, reject_reason: null, handler_person_id: null, acknowledged_at: null, first_response_at: r.firstResponse,
          answered_at: r.status === 'answered' ? r.closed : null, closed_at: r.closed, resume_status: null, rating: r.rating, rated_at: null,
          first_response_office_min: r.officeMin, created_at: r.received, updated_at: r.received,
        }))).execute();
      }
    });
  }
}

async function p95(fn: () => Promise<unknown>, runs = 20): Promise<number> {
  for (let i = 0; i < 3; i += 1) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return percentile(times.sort((a, b) => a - b), 95);
}

/** What one database's run measures. */
interface Part {
  queries: boolean;
  annual: boolean;
}

/** Migrates and, unless an earlier run left `n` inquiries there (`--keep-db`), loads and sums them. */
async function prepare(handle: DbHandle, target: BenchDatabase, n: number, rows: BenchRow[], log: (m: string) => void): Promise<void> {
  const label = target.label;
  await migrateToLatest(handle.db);
  const { c } = await sql<{ c: number }>`select count(*) as c from inquiries`.execute(handle.db).then((r) => r.rows[0]!);
  if (Number(c) === n) {
    log(`${label}: reusing ${n} inquiries seeded by an earlier run`);
  } else {
    if (Number(c) !== 0) throw new Error(`${label}: the kept database holds ${c} inquiries, not ${n}: remove it`);
    const t0 = performance.now();
    await load(handle.db, n);
    log(`${label}: loaded ${n} inquiries in ${round((performance.now() - t0) / 1000)} s`);
    // A bulk load outruns autovacuum's statistics; production tables have them (SQLite needs none: its plans do not depend on them here).
    if (target.dialect === 'postgres') await sql`analyze`.execute(handle.db);
  }
  const calendar = await loadCalendar(handle.db);
  const figures: Figures = createFigures({ db: handle.db, loadCalendar: async () => calendar, now: () => NOW });
  const t1 = performance.now();
  let work = 0;
  for (let r = await figures.refresh(); r.days > 0 || r.measured > 0; r = await figures.refresh()) work += r.days + r.measured;
  if (work > 0) rows.push({ name: `${label}: build the daily sums of ${n.toLocaleString('en')} inquiries (once, after a bulk load)`, value: round((performance.now() - t1) / 1000), unit: 's', bound: 'reported' });
}

async function benchQueries(handle: DbHandle, label: string, rows: BenchRow[], log: (m: string) => void): Promise<void> {
  const calendar = await loadCalendar(handle.db);
  const figures: Figures = createFigures({ db: handle.db, loadCalendar: async () => calendar, now: () => NOW });
  const year = reportingYear(2026);
  const all = { orgIds: null };
  const scoped = { orgIds: (await handle.db.selectFrom('orgs').select('id').where('code', 'in', ['CQ-3', ...Array.from({ length: 9 }, (_, k) => `CQ-${13 + 10 * k}`)]).execute()).map((o) => o.id) };
  const agency = scoped.orgIds.slice(0, 1);
  const q = async (name: string, fn: () => Promise<unknown>, bound = '≤ 300 ms') => {
    const v = await p95(fn);
    rows.push({ name: `${label}: ${name}, p95`, value: round(v), unit: 'ms', bound });
    log(`${label}: ${name} p95 ${round(v)} ms`);
  };
  await q('summary (one-stop + cohort), reporting year, whole network', () => figures.summary({ range: year, filter: all }));
  await q('summary, reporting year, a coordinator of 10 agencies', () => figures.summary({ range: year, filter: scoped }));
  await q('summary, this month', () => figures.summary({ range: { from: '2026-12-01', to: '2026-12-31' }, filter: all }));
  await q('league table with each agency\'s first-response median and p90, reporting year', () => figures.league({ range: year, filter: all }));
  await q('league table, reporting year, 10 agencies', () => figures.league({ range: year, filter: scoped }));
  // Under a class or topic filter the quantiles come from the finer sums (every agency's, topic's and class's histograms).
  await q('league table under a class filter (quantiles from the finer sums), reporting year', () => figures.league({ range: year, filter: { orgIds: null, classes: ['routine'] } }));
  await q('weekly trend, reporting year', () => figures.trends({ range: year, filter: all }));
  await q('busiest topics, reporting year', () => figures.topics({ range: year, filter: all }, 15));
  await q('overdue list (500 worst)', () => figures.overdue(all, 500));
  await q('an agency\'s inquiries (newest 200)', () => inquiriesReceived(handle.db, '2025-12-14T17:00:00.000Z', '2026-12-14T17:00:00.000Z', { orgIds: agency }, { limit: 200, offset: 0 }));
  await q('summary, three years (any range)', () => figures.summary({ range: { from: '2023-12-15', to: '2026-12-14' }, filter: all }), 'reported');
  await q('live tick (refresh with nothing marked, version, fingerprint)', async () => {
    await figures.refresh();
    await rollupVersion(handle.db);
    await liveFingerprint(handle.db, NOW.toISOString(), new Date(NOW.getTime() + 86_400_000).toISOString());
  });
}

/** Wall clock, CPU time of the whole process (every thread), the main thread's busy time and its event loop's longest wait, around `write`. */
async function measured(write: () => Promise<void>): Promise<{ wallS: number; cpuS: number; mainBusyS: number; loopMaxMs: number; loopP99Ms: number }> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const elu = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await write();
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const busy = performance.eventLoopUtilization(elu);
  loop.disable();
  return { wallS: round(wallS, 2), cpuS: round((cpu.user + cpu.system) / 1e6, 2), mainBusyS: round(busy.active / 1000, 2), loopMaxMs: round(loop.max / 1e6), loopP99Ms: round(loop.percentile(99) / 1e6) };
}

async function benchAnnual(handle: DbHandle, label: string, rows: BenchRow[], log: (m: string) => void): Promise<void> {
  const calendar = await loadCalendar(handle.db);
  const dir = mkdtempSync(join(tmpdir(), 'bench-annual-'));
  try {
    const t2 = performance.now();
    const report = await annualReport(handle.db, { year: 2026, now: NOW, calendar });
    rows.push({ name: `${label}: annual report, figures (whole network)`, value: round((performance.now() - t2) / 1000, 2), unit: 's', bound: '≤ 5 s' });
    const { n: listed } = await sql<{ n: number }>`select count(*) as n from inquiries where received_at >= ${'2025-12-14T17:00:00.000Z'} and received_at < ${'2026-12-14T17:00:00.000Z'}`.execute(handle.db).then((r) => r.rows[0]!);
    // As the CLI and the dashboard write it: on a worker thread that reads the listing itself.
    const worker = await measured(() => writeAnnualXlsxFile(report, join(dir, 'annual.xlsx'), { source: handle.source }));
    rows.push({ name: `${label}: annual report XLSX with its second sheet (${Number(listed).toLocaleString('en')} requests listed), on a worker thread`, value: worker.wallS, unit: 's', bound: '≤ 5 s', figure: `${worker.wallS} s (CPU ${worker.cpuS} s, main thread busy ${worker.mainBusyS} s)` });
    rows.push({ name: `${label}: the event loop's longest wait while the worker wrote it (p99)`, value: worker.loopMaxMs, unit: 'ms', bound: 'reported', figure: `${worker.loopMaxMs} ms (p99 ${worker.loopP99Ms} ms)` });
    log(`${label}: annual report XLSX on a worker ${worker.wallS} s, CPU ${worker.cpuS} s, main thread busy ${worker.mainBusyS} s, load average ${loadavg()[0]!.toFixed(1)}`);
    // The same writer on the main thread (before the worker), for comparison in the same run.
    const main = await measured(async () => {
      const out = createWriteStream(join(dir, 'annual-main.xlsx'));
      await writeAnnualXlsx(await annualReport(handle.db, { year: 2026, now: NOW, calendar }), out);
      if (!out.writableFinished) await finished(out);
    });
    rows.push({ name: `${label}: the same XLSX written on the main thread (before)`, value: main.wallS, unit: 's', bound: 'reported', figure: `${main.wallS} s (CPU ${main.cpuS} s, main thread busy ${main.mainBusyS} s; loop's longest wait ${main.loopMaxMs} ms)` });
    log(`${label}: the same on the main thread ${main.wallS} s, CPU ${main.cpuS} s, main thread busy ${main.mainBusyS} s, load average ${loadavg()[0]!.toFixed(1)}`);
    // The same workbook through exceljs's streaming WorkbookWriter (what the report used before its own writer), for comparison.
    const t4 = performance.now();
    const before = createWriteStream(join(dir, 'annual-exceljs.xlsx'));
    await writeAnnualXlsxWithExceljs(await annualReport(handle.db, { year: 2026, now: NOW, calendar }), before);
    if (!before.writableFinished) await finished(before);
    rows.push({ name: `${label}: the same XLSX through exceljs's WorkbookWriter (before)`, value: round((performance.now() - t4) / 1000, 2), unit: 's', bound: 'reported' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchOne(target: BenchDatabase, n: number, part: Part, keep: boolean, log: (m: string) => void): Promise<BenchRow[]> {
  const handle: DbHandle = createDb({ url: target.url });
  const rows: BenchRow[] = [];
  try {
    await prepare(handle, target, n, rows, log);
    if (part.queries) await benchQueries(handle, target.label, rows, log);
    if (part.annual) await benchAnnual(handle, target.label, rows, log);
  } finally {
    await handle.close();
    if (!keep) await target.drop();
  }
  return rows;
}

/**
 * Runs the dashboard bench on SQLite and, when a server answers, PostgreSQL. With `keepDb` the
 * seeded databases stay (SQLite in that directory, PostgreSQL as `bench_dashboard_<n>`) and a later
 * run reuses them instead of loading a million rows again; `part` measures only the queries or
 * only the annual report.
 */
export async function benchDashboard(o: { quick: boolean; postgresUrl: string | undefined; log: (m: string) => void; keepDb?: string | undefined; part?: 'queries' | 'annual' | undefined }): Promise<BenchRow[]> {
  const n = o.quick ? 100_000 : 1_000_000;
  const part: Part = { queries: o.part !== 'annual', annual: o.part !== 'queries' };
  const keep = o.keepDb !== undefined;
  const dir = o.keepDb ?? mkdtempSync(join(tmpdir(), 'bench-dashboard-'));
  if (keep) mkdirSync(dir, { recursive: true });
  try {
    const sqlite = sqliteDatabase(dir);
    const rows = await benchOne({ ...sqlite, url: keep ? join(dir, `bench-${n}.sqlite`) : sqlite.url }, n, part, keep, o.log);
    if (o.postgresUrl) rows.push(...await benchOne(await (keep ? keptPostgresDatabase(o.postgresUrl, `bench_dashboard_${n}`) : createPostgresDatabase(o.postgresUrl)), n, part, keep, o.log));
    return rows;
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}
