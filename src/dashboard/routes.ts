import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpRequest, HttpResponse, HttpRoute } from '../../adapters/types.js';
import { json, refusal, refuse, WEB_SLOTS } from '../../adapters/web/http.js';
import { PAGE_CSP } from '../../adapters/web/page-routes.js';
import type { Db, DbSource } from '../../db/client.js';
import { localDate } from '../../flows/copy/format.js';
import { recordAnnualReportMade } from '../../flows/maintenance/annual-report-reminder.js';
import type { WorkCalendar } from '../time/calendar.js';
import { annualReport } from '../report/annual.js';
import { renderAnnualHtml } from '../report/annual-html.js';
import { annualXlsxBytes } from '../report/annual-file.js';
import { DASHBOARD_ACTIONS, runDashboardAction, type DashboardActionDeps } from './actions.js';
import { createDashboardData, DashboardError, forbidden, readQuery, signInPending } from './api.js';
import { chartLibraryPath, defaultDashboardPageDir } from './assets.js';
import type { Reader, ReaderResolver } from './auth.js';
import { toCsv, toXlsx } from './export.js';
import type { Figures } from './figures.js';
import type { DashboardLive } from './live.js';
import type { Table } from './tables.js';

/** Where the dashboard page is served (slot 0); slot n is `/dashboard/u/<n>/`. */
export const DASHBOARD_PATH = '/dashboard';

/** What the routes need. */
export interface DashboardRouteDeps {
  db: Db;
  /** How the annual report's worker thread opens `db` itself (`DbHandle.source`); absent: the pages are read here and handed over. */
  dbSource?: DbSource;
  figures: Figures;
  readers: ReaderResolver;
  live: DashboardLive;
  loadCalendar(): Promise<WorkCalendar>;
  now(): Date;
  /** The page's folder. Default `src/dashboard/page`. */
  pageDir?: string;
  onError(err: unknown): void;
  /** The forms' needs (flow settings, origin check, hand-over after commit); absent: no forms (POSTs are not served). */
  actions?: Omit<DashboardActionDeps, 'db' | 'now'>;
}


/** Every table a request can export, by name. */
type Exporter = (reader: Reader, req: HttpRequest) => Promise<Table>;

/** The dashboard's routes: its page and assets, and per sign-in slot its API under the slot's API path. */
export function createDashboardRoutes(d: DashboardRouteDeps): HttpRoute[] {
  const data = createDashboardData(d.db, d.figures, d.now);
  const query = (reader: Reader, req: HttpRequest) => readQuery(d.db, reader, req, d.now());
  const fresh = async () => { await d.figures.refresh(); };
  const tables: Record<string, Exporter> = {
    onestop: async (r, req) => (await data.summary(await query(r, req))).tables[0]!,
    figures: async (r, req) => (await data.summary(await query(r, req))).tables[1]!,
    league: async (r, req) => data.league(r, await query(r, req)),
    overdue: async (r, req) => data.overdue(await query(r, req)),
    trends: async (r, req) => data.trends(await query(r, req)),
    topics: async (r, req) => data.topics(await query(r, req)),
    inquiries: async (r, req) => data.agencyInquiries(await query(r, req), 0),
    notices: async (r, req) => data.notices(r, await query(r, req)),
    conferences: async (r) => data.conferences(r),
    records: async (r, req) => data.records(await query(r, req)),
    ...Object.fromEntries(['ack-provinces', 'ack-communes', 'unacked'].map((name, i) => [name, async (r: Reader, req: HttpRequest) => (await data.notice(r, idOf(req.query.notice)))[i]!])),
  };
  const api: Record<string, (reader: Reader, req: HttpRequest) => Promise<HttpResponse>> = {
    me: async (r) => json(200, await data.me(r)),
    summary: async (r, req) => json(200, await data.summary(await query(r, req))),
    league: async (r, req) => json(200, await data.league(r, await query(r, req))),
    overdue: async (r, req) => json(200, await data.overdue(await query(r, req))),
    trends: async (r, req) => json(200, await data.trends(await query(r, req))),
    topics: async (r, req) => json(200, await data.topics(await query(r, req))),
    inquiries: async (r, req) => json(200, await data.agencyInquiries(await query(r, req), Math.max(0, Number(req.query.offset ?? 0) || 0))),
    inquiry: async (r, req) => json(200, await data.thread(r, req.query.code ?? '')),
    notices: async (r, req) => json(200, await data.notices(r, await query(r, req))),
    notice: async (r, req) => json(200, await data.notice(r, idOf(req.query.id))),
    conferences: async (r) => json(200, await data.conferences(r)),
    records: async (r, req) => json(200, await data.records(await query(r, req))),
    export: async (r, req) => exportTable(tables, r, req),
    annual: async (r, req) => annual(d, r, req),
  };
  const slotRoutes = Array.from({ length: WEB_SLOTS }, (_, slot) => {
    const prefix = `${d.readers.paths(slot).apiPrefix}/dashboard`;
    const routes: HttpRoute[] = Object.entries(api).map(([name, handle]) => ({
      method: 'GET', path: `${prefix}/${name}`,
      handle: (req) => guarded(d, slot, req, async (reader) => { await fresh(); return handle(reader, req); }, FOR_RECORDERS.has(name)),
    }));
    const actions = d.actions;
    if (actions) {
      for (const name of Object.keys(DASHBOARD_ACTIONS)) {
        routes.push({ method: 'POST', path: `${prefix}/${name}`, handle: (req) => guarded(d, slot, req, (reader) => runDashboardAction({ ...actions, db: d.db, now: d.now }, name, reader, req), true) });
      }
    }
    routes.push({ method: 'GET', path: `${prefix}/events`, handle: (req) => guarded(d, slot, req, async () => events(d), true) });
    return routes;
  }).flat();
  return [...slotRoutes, ...pageRoutes(d.pageDir ?? defaultDashboardPageDir())];
}

function idOf(v: string | undefined): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new DashboardError(400, 'bad_request', 'Thiếu số thông báo.', 'A notice number is needed.');
  return n;
}

/** What a records-only reader (a regular spokesperson) may read: who they are and their agency's records (and its export); the forms' POSTs too (the flows check each). */
const FOR_RECORDERS = new Set(['me', 'records', 'export']);

/**
 * Signed in (401 otherwise), with standing to read figures, or only to record when `recorders`
 * (403 otherwise); errors answered politely and logged.
 */
async function guarded(d: DashboardRouteDeps, slot: number, req: HttpRequest, then: (r: Reader) => Promise<HttpResponse>, recorders = false): Promise<HttpResponse> {
  try {
    const reader = await d.readers.resolve(req, slot);
    if (reader === undefined) return refuse('no_session');
    if (reader === 'pending') throw signInPending();
    if (reader === null || (reader.recordsOnly && !recorders)) throw forbidden();
    return await then(reader);
  } catch (err) {
    if (err instanceof DashboardError) return refusal(err.status, err.code, err.vi, err.en);
    d.onError(err);
    return refuse('internal');
  }
}

async function exportTable(tables: Record<string, Exporter>, r: Reader, req: HttpRequest): Promise<HttpResponse> {
  const make = tables[req.query.table ?? ''];
  if (r.recordsOnly && req.query.table !== 'records') throw forbidden();
  const format = req.query.format ?? 'csv';
  if (!make || (format !== 'csv' && format !== 'xlsx')) throw new DashboardError(400, 'bad_request', 'Bảng hoặc định dạng không hợp lệ.', 'Unknown table or format.');
  const table = await make(r, req);
  const name = `${table.name}-${req.query.from ?? ''}${req.query.to ? `-${req.query.to}` : ''}`.replace(/[^A-Za-z0-9-]+/g, '-').replace(/-+$/, '');
  const body = format === 'csv' ? toCsv(table) : await toXlsx(table);
  const type = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  return { status: 200, headers: { 'content-type': type, 'content-disposition': `attachment; filename="${name}.${format}"`, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }, body };
}

/** The annual report for an organisation the reader may see (default: their own scope's single root, or the whole network). */
async function annual(d: DashboardRouteDeps, r: Reader, req: HttpRequest): Promise<HttpResponse> {
  const year = Number(req.query.year ?? localDate(d.now()).slice(0, 4));
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new DashboardError(400, 'bad_request', 'Năm không hợp lệ.', 'Invalid year.');
  const code = req.query.org?.trim() || (r.scope.kind === 'orgs' ? r.orgs.find((o) => r.scope.kind === 'orgs' && o.id === r.scope.roots[0])?.code : undefined);
  if (code && !r.orgs.some((o) => o.code.toUpperCase() === code.toUpperCase())) throw forbidden();
  if (!code && r.scope.kind !== 'all') throw forbidden();
  const report = await annualReport(d.db, { year, ...(code ? { orgCode: code } : {}), now: d.now(), calendar: await d.loadCalendar() });
  await d.db.transaction().execute((tx) => recordAnnualReportMade(tx, year, d.now(), r.personId));
  if (req.query.format === 'html') {
    return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': PAGE_CSP, 'x-content-type-options': 'nosniff' }, body: renderAnnualHtml(report, { href: `${DASHBOARD_PATH}/print.css` }) };
  }
  // Written on a worker thread: the bot keeps answering chats and requests meanwhile.
  const body = await annualXlsxBytes(report, d.dbSource ? { source: d.dbSource } : {});
  const file = `bao-cao-nam-${year}${code ? `-${code}` : ''}.xlsx`.replace(/[^A-Za-z0-9.-]+/g, '-');
  return { status: 200, headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'content-disposition': `attachment; filename="${file}"`, 'cache-control': 'no-store' }, body };
}

function events(d: DashboardRouteDeps): HttpResponse {
  return { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' }, stream: d.live.open() };
}

const PAGE_HEADERS = { 'cache-control': 'no-cache', 'content-security-policy': PAGE_CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' };

/** The page (slot 0 at `/dashboard`, slot n at `/dashboard/u/<n>/`), its script and styles, and chart.js from node_modules. */
function pageRoutes(dir: string): HttpRoute[] {
  const file = (path: string, body: Buffer, type: string): HttpRoute => ({ method: 'GET', path, handle: async () => ({ status: 200, headers: { ...PAGE_HEADERS, 'content-type': type }, body }) });
  const html = readFileSync(join(dir, 'index.html'));
  const slots = Array.from({ length: WEB_SLOTS - 1 }, (_, i) => [`${DASHBOARD_PATH}/u/${i + 1}/`, `${DASHBOARD_PATH}/u/${i + 1}`]).flat();
  return [
    ...[DASHBOARD_PATH, `${DASHBOARD_PATH}/`, ...slots].map((p) => file(p, html, 'text/html; charset=utf-8')),
    file(`${DASHBOARD_PATH}/app.js`, readFileSync(join(dir, 'app.js')), 'text/javascript; charset=utf-8'),
    file(`${DASHBOARD_PATH}/view.js`, readFileSync(join(dir, 'view.js')), 'text/javascript; charset=utf-8'),
    file(`${DASHBOARD_PATH}/app.css`, readFileSync(join(dir, 'app.css')), 'text/css; charset=utf-8'),
    file(`${DASHBOARD_PATH}/print.css`, readFileSync(join(dir, 'print.css')), 'text/css; charset=utf-8'),
    file(`${DASHBOARD_PATH}/chart.js`, readFileSync(chartLibraryPath()), 'text/javascript; charset=utf-8'),
  ];
}
