import { sql, type SqlBool } from 'kysely';
import type { Db } from '../client.js';
import { OPEN_INQUIRY_STATUSES } from '../schema.js';

/** Reads of the dashboard besides the figures: notices' acknowledgement, an inquiry's thread, what changed. */

const inOrgs = (ids: readonly number[]) => (ids.length > 0 ? ids : [-1]);

/** Notices confirmed in [fromIso, toIso), with their recipients in `orgIds` (null: all) delivered and acknowledged. */
export async function noticesWithAcks(db: Db, fromIso: string, toIso: string, orgIds: readonly number[] | null) {
  let q = db.selectFrom('notices as n').innerJoin('notice_recipients as r', 'r.notice_id', 'n.id')
    .select(['n.id', 'n.title', 'n.confirmed_at', 'n.status',
      sql<number>`count(*)`.as('recipients'),
      sql<number>`sum(case when r.status = 'sent' then 1 else 0 end)`.as('delivered'),
      sql<number>`sum(case when r.acked_at is not null then 1 else 0 end)`.as('acked')])
    .where('n.confirmed_at', '>=', fromIso).where('n.confirmed_at', '<', toIso).where('n.parent_id', 'is', null);
  if (orgIds) q = q.where('r.org_id', 'in', inOrgs(orgIds));
  const rows = await q.groupBy(['n.id', 'n.title', 'n.confirmed_at', 'n.status']).orderBy('n.confirmed_at', 'desc').execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), recipients: Number(r.recipients), delivered: Number(r.delivered), acked: Number(r.acked) }));
}

/** One notice's recipients in `orgIds` (null: all): per organisation, and who has not acknowledged. */
export async function noticeRecipients(db: Db, noticeId: number, orgIds: readonly number[] | null) {
  let q = db.selectFrom('notice_recipients as r').innerJoin('persons as p', 'p.id', 'r.person_id')
    .select(['r.org_id', 'r.status', 'r.acked_at', 'p.full_name', 'p.code']).where('r.notice_id', '=', noticeId);
  if (orgIds) q = q.where('r.org_id', 'in', inOrgs(orgIds));
  const rows = await q.orderBy('r.id').execute();
  return rows.map((r) => ({ ...r, org_id: r.org_id === null ? null : Number(r.org_id) }));
}

/** A notice's title, if it exists. */
export async function noticeTitle(db: Db, id: number): Promise<string | undefined> {
  return (await db.selectFrom('notices').select('title').where('id', '=', id).executeTakeFirst())?.title;
}

/** An inquiry with its agency, topic and reporter, for its thread. */
export async function inquiryForThread(db: Db, id: number) {
  return db.selectFrom('inquiries as i')
    .leftJoin('orgs as o', (j) => j.on(sql<SqlBool>`o.id = coalesce(i.org_id, i.suggested_org_id)`))
    .leftJoin('topics as t', 't.id', 'i.topic_id').leftJoin('persons as p', 'p.id', 'i.reporter_person_id')
    .leftJoin('outlets as ou', 'ou.id', 'p.outlet_id')
    .select(['i.id', 'i.code', 'i.status', 'i.question', 'i.received_at', 'i.due_at', 'i.original_due_at', 'i.closed_at', 'i.deadline_class', 'i.legal_basis',
      'i.rating', 'i.decline_ground', sql<number>`coalesce(i.org_id, i.suggested_org_id, 0)`.as('org_id'), 'o.name as agency', 't.name as topic',
      'p.full_name as reporter', sql<string | null>`coalesce(ou.name, p.outlet_name)`.as('outlet')])
    .where('i.id', '=', id).executeTakeFirst();
}

/** An inquiry's history entries, oldest first, with their authors. */
export async function threadEntries(db: Db, inquiryId: number) {
  return db.selectFrom('inquiry_entries as e').leftJoin('persons as p', 'p.id', 'e.author_person_id')
    .select(['e.id', 'e.kind', 'e.text', 'e.created_at', 'p.full_name as author']).where('e.inquiry_id', '=', inquiryId).orderBy('e.id').execute();
}

/**
 * What live dashboards watch besides the sums' version: the latest acknowledgement and press
 * record change, and how many open inquiries are past due / due within `soonIso` (so a due time
 * passing is a change too).
 */
export async function liveFingerprint(db: Db, nowIso: string, soonIso: string): Promise<string> {
  const acks = await db.selectFrom('notice_recipients').select(sql<string | null>`max(acked_at)`.as('at')).executeTakeFirst();
  const press = await Promise.all((['press_conferences', 'correction_requests', 'statements'] as const).map((t) =>
    db.selectFrom(t).select(sql<string | null>`max(updated_at)`.as('at')).executeTakeFirst()));
  const due = await db.selectFrom('inquiries').select([
    sql<number>`sum(case when due_at <= ${nowIso} then 1 else 0 end)`.as('late'),
    sql<number>`sum(case when due_at <= ${soonIso} then 1 else 0 end)`.as('soon'),
  ]).where('status', 'in', OPEN_INQUIRY_STATUSES).where('due_at', '<=', soonIso).executeTakeFirst();
  return JSON.stringify([acks?.at ?? null, ...press.map((p) => p?.at ?? null), Number(due?.late ?? 0), Number(due?.soon ?? 0)]);
}
