import type { HttpRequest } from '../../adapters/types.js';
import type { Db } from '../../db/client.js';
import { lastHeldByHost } from '../../db/repositories/press-records.js';
import { inquiryForThread, noticeRecipients, noticesWithAcks, noticeTitle, threadEntries } from '../../db/repositories/stats-dashboard.js';
import { inquiriesReceived, listTopicEntries, type FigureFilter, type OrgEntry } from '../../db/repositories/stats-figures.js';
import { dayStartIso } from '../../db/repositories/stats-rollup.js';
import { DEADLINE_CLASSES } from '../../db/schema.js';
import { localDate } from '../../flows/copy/format.js';
import { parsePeriod, shiftDay, type DayRange } from '../../flows/stats/periods.js';
import { agencyIds, subtree } from '../../flows/stats/scope.js';
import type { Reader } from './auth.js';
import type { Figures } from './figures.js';
import { pressRecordsTable } from './records.js';
import { figuresTable, inquiriesTable, leagueTable, oneStopTable, topicsTable, trendsTable, type Table } from './tables.js';

/** Why a request was refused (the route answers 400 / 403 / 404, or 503 for a sign-in still being completed, with vi + en text). */
export class DashboardError extends Error {
  constructor(readonly status: 400 | 403 | 404 | 503, readonly code: string, readonly vi: string, readonly en: string) {
    super(code);
  }
}

const badRequest = () => new DashboardError(400, 'bad_request', 'Khoảng thời gian hoặc bộ lọc không hợp lệ.', 'The period or a filter is not valid.');
export const forbidden = () => new DashboardError(403, 'forbidden', 'Bạn không có quyền xem số liệu này.', 'You may not see these figures.');
/** The sign-in's invite is still being bound to its person (see `ReaderResolver.resolve`): the page asks again. */
export const signInPending = () => new DashboardError(503, 'sign_in_pending', 'Đang hoàn tất đăng nhập. Nếu thông báo này vẫn còn, vui lòng tải lại trang.', 'Finishing signing in. If this message stays, please reload the page.');
const notFound = () => new DashboardError(404, 'not_found', 'Không tìm thấy.', 'Not found.');

/** What a request selects: the period and the inquiries (scope ∩ filters). */
export interface Query {
  range: DayRange & { kind: string };
  filter: FigureFilter;
  /** The agency the reader focused on, if any. */
  focus?: OrgEntry;
}

/** Reads the period and filters of a request, within the reader's scope (a focus outside it is refused). */
export async function readQuery(db: Db, reader: Reader, req: HttpRequest, now: Date): Promise<Query> {
  const range = parsePeriod(req.query, localDate(now));
  if (!range) throw badRequest();
  const code = req.query.org?.trim();
  const focus = code ? reader.orgs.find((o) => o.code.toUpperCase() === code.toUpperCase()) : undefined;
  // An organisation the reader cannot see is refused the same way whether or not it exists.
  if (code && !focus) throw forbidden();
  const orgIds = agencyIds(reader.scope, reader.orgs, focus?.id);
  if (orgIds === undefined) throw forbidden();
  const filter: FigureFilter = { orgIds };
  const topic = req.query.topic?.trim();
  if (topic) {
    const found = (await listTopicEntries(db)).find((t) => t.code.toUpperCase() === topic.toUpperCase());
    if (!found) throw badRequest();
    filter.topicIds = [found.id];
  }
  const cls = req.query.class?.trim();
  if (cls) {
    if (!(DEADLINE_CLASSES as readonly string[]).includes(cls)) throw badRequest();
    filter.classes = [cls];
  }
  return { range, filter, ...(focus ? { focus } : {}) };
}

/** The dashboard's data, each a function of the reader and the query. */
export function createDashboardData(db: Db, figures: Figures, now: () => Date) {
  const orgMap = (reader: Reader) => new Map(reader.orgs.map((o) => [o.id, o]));
  return {
    async me(reader: Reader) {
      const topics = await listTopicEntries(db);
      return {
        name: reader.name, roles: reader.roles, scope: reader.scope.kind, recordsOnly: reader.recordsOnly, today: localDate(now()), csrfToken: reader.csrfToken,
        orgs: reader.orgs.map((o) => ({ code: o.code, name: o.name, type: o.type })), topics: topics.map((t) => ({ code: t.code, name: t.name })),
        classes: DEADLINE_CLASSES,
      };
    },
    async summary(q: Query) {
      const s = await figures.summary({ range: q.range, filter: q.filter });
      return { range: q.range, asOf: s.asOf, cohort: s.cohort, oneStop: s.oneStop, tables: [oneStopTable(s.oneStop), figuresTable(s.cohort, s.oneStop.open.late)] };
    },
    async league(reader: Reader, q: Query): Promise<Table> {
      return leagueTable(await figures.league({ range: q.range, filter: q.filter }), orgMap(reader));
    },
    async overdue(q: Query): Promise<Table> {
      return inquiriesTable('overdue', 'Câu hỏi quá hạn (nặng nhất trước)', 'Overdue inquiries, worst first', await figures.overdue(q.filter, 500));
    },
    async trends(q: Query): Promise<Table> {
      return trendsTable(await figures.trends({ range: q.range, filter: q.filter }));
    },
    async topics(q: Query): Promise<Table> {
      const names = new Map((await listTopicEntries(db)).map((t) => [t.id, t.name]));
      return topicsTable(await figures.topics({ range: q.range, filter: q.filter }, 15), names);
    },
    async agencyInquiries(q: Query, offset: number): Promise<Table> {
      if (!q.focus) throw badRequest();
      const rows = await inquiriesReceived(db, dayStartIso(q.range.from), dayStartIso(shiftDay(q.range.to, 1)), q.filter, { limit: 200, offset });
      return inquiriesTable('inquiries', `Câu hỏi gửi ${q.focus.name}`, `Inquiries to ${q.focus.name}`, rows);
    },
    async thread(reader: Reader, code: string) {
      const m = /^\s*(?:q-?)?(\d{1,12})\s*$/i.exec(code);
      const inquiry = m ? await inquiryForThread(db, Number(m[1])) : undefined;
      if (!inquiry) throw notFound();
      if (reader.agencyIds !== null && !reader.agencyIds.includes(Number(inquiry.org_id))) throw forbidden();
      return { inquiry, entries: await threadEntries(db, inquiry.id) };
    },
    async notices(reader: Reader, q: Query): Promise<Table> {
      const rows = await noticesWithAcks(db, dayStartIso(q.range.from), dayStartIso(shiftDay(q.range.to, 1)), reader.agencyIds);
      return {
        name: 'notices', vi: 'Thông báo chính sách: tỉ lệ xác nhận', en: 'Policy notices: acknowledgement',
        columns: [
          { key: 'id', vi: 'Số', en: 'No.', kind: 'int' }, { key: 'title', vi: 'Tiêu đề', en: 'Title', kind: 'text' }, { key: 'sent', vi: 'Gửi lúc', en: 'Sent', kind: 'datetime' },
          { key: 'delivered', vi: 'Đã gửi tới', en: 'Delivered', kind: 'int' }, { key: 'acked', vi: 'Đã xác nhận', en: 'Acknowledged', kind: 'int' }, { key: 'rate', vi: 'Tỉ lệ xác nhận', en: 'Rate', kind: 'pct' },
        ],
        rows: rows.map((r) => ({ id: r.id, title: r.title, sent: r.confirmed_at, delivered: r.delivered, acked: r.acked, rate: r.delivered === 0 ? null : r.acked / r.delivered })),
      };
    },
    async notice(reader: Reader, id: number): Promise<Table[]> {
      const title = await noticeTitle(db, id);
      if (title === undefined) throw notFound();
      const rows = await noticeRecipients(db, id, reader.agencyIds);
      if (rows.length === 0 && reader.agencyIds !== null) throw forbidden();
      return noticeTables(title, rows, reader.orgs);
    },
    async records(q: Query): Promise<Table> {
      return pressRecordsTable(db, q.range, q.filter.orgIds);
    },
    async conferences(reader: Reader): Promise<Table> {
      const last = await lastHeldByHost(db);
      const since = shiftDay(localDate(now()), -92);
      const units = reader.orgs.filter((o) => o.type === 'ministry' || o.type === 'province');
      return {
        name: 'conferences', vi: 'Họp báo định kỳ (ít nhất 3 tháng một lần)', en: 'Press conferences (at least every 3 months)',
        columns: [
          { key: 'code', vi: 'Mã', en: 'Code', kind: 'text' }, { key: 'unit', vi: 'Bộ / tỉnh', en: 'Ministry / province', kind: 'text' },
          { key: 'last', vi: 'Họp báo gần nhất', en: 'Last held', kind: 'datetime' }, { key: 'overdue', vi: 'Quá hạn họp báo', en: 'Overdue', kind: 'text' },
        ],
        rows: units.map((u) => {
          const hosts = subtree(reader.orgs, [u.id]);
          const latest = [...last].filter(([host]) => hosts.has(host)).map(([, at]) => at).sort().at(-1) ?? null;
          const overdue = latest === null || localDate(new Date(latest)) < since;
          return { code: u.code, unit: u.name, last: latest, overdue: overdue ? 'Quá hạn / overdue' : 'Đúng hạn / on time' };
        }),
      };
    },
  };
}

/** A notice's acknowledgement per province and per commune, and who has not acknowledged. */
function noticeTables(title: string, rows: Awaited<ReturnType<typeof noticeRecipients>>, orgs: readonly OrgEntry[]): Table[] {
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const provinceOf = (id: number | null): OrgEntry | undefined => {
    for (let cur = id, guard = 0; cur !== null && guard < 50; cur = byId.get(cur)?.parent_id ?? null, guard += 1) if (byId.get(cur)?.type === 'province') return byId.get(cur);
    return undefined;
  };
  const tally = (key: (r: (typeof rows)[number]) => string) => {
    const m = new Map<string, { name: string; delivered: number; acked: number }>();
    for (const r of rows) {
      const k = key(r);
      const e = m.get(k) ?? { name: k, delivered: 0, acked: 0 };
      if (r.status === 'sent') e.delivered += 1;
      if (r.acked_at) e.acked += 1;
      m.set(k, e);
    }
    return [...m.values()].map((e) => ({ ...e, rate: e.delivered === 0 ? null : e.acked / e.delivered })).sort((a, b) => (a.rate ?? 2) - (b.rate ?? 2) || a.name.localeCompare(b.name));
  };
  const cols = [
    { key: 'name', vi: 'Đơn vị', en: 'Unit', kind: 'text' as const }, { key: 'delivered', vi: 'Đã gửi tới', en: 'Delivered', kind: 'int' as const },
    { key: 'acked', vi: 'Đã xác nhận', en: 'Acknowledged', kind: 'int' as const }, { key: 'rate', vi: 'Tỉ lệ', en: 'Rate', kind: 'pct' as const },
  ];
  return [
    { name: 'ack-provinces', vi: `${title}: theo tỉnh`, en: 'By province', columns: cols, rows: tally((r) => provinceOf(r.org_id)?.name ?? '–') },
    { name: 'ack-communes', vi: `${title}: theo xã, phường`, en: 'By commune', columns: cols, rows: tally((r) => (r.org_id === null ? '–' : byId.get(r.org_id)?.name ?? '–')) },
    {
      name: 'unacked', vi: `${title}: chưa xác nhận`, en: 'Not acknowledged',
      columns: [{ key: 'person', vi: 'Người nhận', en: 'Recipient', kind: 'text' }, { key: 'unit', vi: 'Đơn vị', en: 'Unit', kind: 'text' }, { key: 'status', vi: 'Trạng thái gửi', en: 'Delivery', kind: 'text' }],
      rows: rows.filter((r) => !r.acked_at).map((r) => ({ person: r.full_name, unit: r.org_id === null ? '–' : byId.get(r.org_id)?.name ?? '–', status: r.status })),
    },
  ];
}
