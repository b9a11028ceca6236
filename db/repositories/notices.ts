import type { Db } from '../client.js';
import type { Platform } from '../../adapters/types.js';
import type { IsoInstant, Notice, NoticeRecipient, NoticeRecipientStatus } from '../schema.js';

/** Reads and writes of notices and their delivery rows (one per recipient). */

/** Rows inserted per statement (SQLite allows 32,766 parameters; a row has 12). */
const INSERT_CHUNK = 500;

export async function findNotice(db: Db, id: number): Promise<Notice | undefined> {
  return db.selectFrom('notices').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A recipient row to insert. */
export interface NewRecipient {
  personId: number;
  orgId: number | null;
  identityId: number | null;
  platform: Platform | null;
  chatId: string | null;
  status: NoticeRecipientStatus;
}

export async function insertRecipients(db: Db, noticeId: number, rows: readonly NewRecipient[], nowIso: IsoInstant): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await db.insertInto('notice_recipients').values(rows.slice(i, i + INSERT_CHUNK).map((r) => ({
      notice_id: noticeId, person_id: r.personId, org_id: r.orgId, identity_id: r.identityId, platform: r.platform,
      chat_id: r.chatId, status: r.status, send_started_at: null, sent_message_id: null, sent_message_ids: null,
      last_error: null, sent_at: null, acked_at: null, reminded_at: null, created_at: nowIso, updated_at: nowIso,
    }))).execute();
  }
}

/** Recipients per status (every status present, zero when none). */
export type StatusCounts = Record<NoticeRecipientStatus, number> & { acked: number; total: number };

export async function countByStatus(db: Db, noticeId: number): Promise<StatusCounts> {
  const rows = await db.selectFrom('notice_recipients')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.count<number>('acked_at').as('acked')])
    .where('notice_id', '=', noticeId).groupBy('status').execute();
  const counts: StatusCounts = { pending: 0, sending: 0, sent: 0, failed: 0, unreachable: 0, not_joined: 0, held: 0, acked: 0, total: 0 };
  for (const r of rows) {
    counts[r.status] = Number(r.n);
    counts.acked += Number(r.acked);
    counts.total += Number(r.n);
  }
  return counts;
}

/** Sent recipients per platform (the preview's "per channel" line). */
export async function countPendingByPlatform(db: Db, noticeId: number): Promise<Array<{ platform: string; n: number }>> {
  const rows = await db.selectFrom('notice_recipients').select(['platform', (eb) => eb.fn.countAll<number>().as('n')])
    .where('notice_id', '=', noticeId).where('status', '=', 'pending').groupBy('platform').orderBy('platform').execute();
  return rows.map((r) => ({ platform: r.platform ?? '-', n: Number(r.n) }));
}

/** Who may take over a send in flight: its claim lapsed (taken before `leaseCutoff`), or its owner is known to be dead. */
export interface NoticeTakeover {
  leaseCutoff: IsoInstant;
  /** True for an owner known to be dead (`LeaseKeeper.isGone`); absent: only the lease decides. */
  ownerGone?(owner: string): boolean;
}

/** Owners of the sends in flight for a notice that are known to be dead. */
async function goneOwners(db: Db, noticeId: number, takeover: NoticeTakeover): Promise<string[]> {
  if (!takeover.ownerGone) return [];
  const rows = await db.selectFrom('notice_recipients').select('send_owner').distinct()
    .where('notice_id', '=', noticeId).where('status', '=', 'sending').where('send_owner', 'is not', null).execute();
  return rows.flatMap((r) => (r.send_owner && takeover.ownerGone!(r.send_owner) ? [r.send_owner] : []));
}

/** Ids of rows still to deliver: pending, or in flight since before the lease cutoff or by a dead process (presumed lost). */
export async function listDeliverableIds(db: Db, noticeId: number, takeover: NoticeTakeover): Promise<number[]> {
  const gone = await goneOwners(db, noticeId, takeover);
  const rows = await db.selectFrom('notice_recipients').select('id')
    .where('notice_id', '=', noticeId)
    .where((eb) => eb.or([
      eb('status', '=', 'pending'),
      eb.and([eb('status', '=', 'sending'), eb.or([eb('send_started_at', '<', takeover.leaseCutoff), ...(gone.length > 0 ? [eb('send_owner', 'in', gone)] : [])])]),
    ]))
    .orderBy('id').execute();
  return rows.map((r) => r.id);
}

export async function firstRecipientId(db: Db, noticeId: number): Promise<number | undefined> {
  const row = await db.selectFrom('notice_recipients').select((eb) => eb.fn.min<number>('id').as('id')).where('notice_id', '=', noticeId).executeTakeFirst();
  return row?.id === null || row?.id === undefined ? undefined : Number(row.id);
}

/** A delivery row with what rendering needs (the recipient's language). */
export type DeliveryRow = Pick<NoticeRecipient, 'id' | 'person_id' | 'identity_id' | 'platform' | 'chat_id' | 'status' | 'attempts' | 'parts_sent' | 'sent_message_ids' | 'send_started_at' | 'send_owner'> & { locale: string | null };

/** Rows of one batch (ids `fromId`..`toId`) not yet settled. */
export async function loadBatch(db: Db, noticeId: number, fromId: number, toId: number): Promise<DeliveryRow[]> {
  return db.selectFrom('notice_recipients as r')
    .leftJoin('identities as i', 'i.id', 'r.identity_id')
    .leftJoin('persons as p', 'p.id', 'r.person_id')
    .select(['r.id', 'r.person_id', 'r.identity_id', 'r.platform', 'r.chat_id', 'r.status', 'r.attempts', 'r.parts_sent', 'r.sent_message_ids', 'r.send_started_at', 'r.send_owner',
      (eb) => eb.fn.coalesce('p.locale', 'i.locale').as('locale')])
    .where('r.notice_id', '=', noticeId).where('r.id', '>=', fromId).where('r.id', '<=', toId)
    .where('r.status', 'in', ['pending', 'sending'])
    .orderBy('r.id').execute();
}

/** A claim of one row for `owner`; `goneOwner`: the dead process whose send in flight may be taken over before its lease lapses. */
export interface RecipientClaim {
  owner: string;
  nowIso: IsoInstant;
  leaseCutoff: IsoInstant;
  goneOwner?: string;
}

/**
 * Claims a row for one send: pending, or in flight since before `leaseCutoff` or by `goneOwner`.
 * Returns whether it was claimed and whether it was a presumed-lost send (a possible repeat).
 */
export async function claimRecipient(db: Db, id: number, c: RecipientClaim): Promise<{ resumed: boolean } | undefined> {
  const fresh = await db.updateTable('notice_recipients')
    .set((eb) => ({ status: 'sending', send_started_at: c.nowIso, send_owner: c.owner, attempts: eb('attempts', '+', 1), updated_at: c.nowIso }))
    .where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
  if (Number(fresh.numUpdatedRows) === 1) return { resumed: false };
  const stale = await db.updateTable('notice_recipients')
    .set((eb) => ({ send_started_at: c.nowIso, send_owner: c.owner, attempts: eb('attempts', '+', 1), updated_at: c.nowIso }))
    .where('id', '=', id).where('status', '=', 'sending')
    .where((eb) => eb.or([eb('send_started_at', '<', c.leaseCutoff), ...(c.goneOwner ? [eb('send_owner', '=', c.goneOwner)] : [])]))
    .executeTakeFirst();
  return Number(stale.numUpdatedRows) === 1 ? { resumed: true } : undefined;
}

/** Moves the claims of sends still in flight forward (`send_started_at` = `nowIso`), so they do not lapse. */
export async function renewRecipientClaims(db: Db, ids: readonly number[], nowIso: IsoInstant): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('notice_recipients').set({ send_started_at: nowIso }).where('id', 'in', [...ids]).where('status', '=', 'sending').execute();
}

/** Puts a claimed row back (rate limited or a transient error); `refund` undoes the attempt count. */
export async function releaseRecipient(db: Db, id: number, nowIso: IsoInstant, lastError: string, refund: boolean): Promise<void> {
  await db.updateTable('notice_recipients')
    .set((eb) => ({ status: 'pending', send_started_at: null, last_error: lastError, updated_at: nowIso, ...(refund ? { attempts: eb('attempts', '-', 1) } : {}) }))
    .where('id', '=', id).where('status', '=', 'sending').execute();
}

export async function recordRecipientParts(db: Db, id: number, messageIds: readonly string[]): Promise<void> {
  await db.updateTable('notice_recipients').set({ parts_sent: messageIds.length, sent_message_ids: JSON.stringify(messageIds) })
    .where('id', '=', id).execute();
}

export async function markRecipientSent(db: Db, id: number, messageIds: readonly string[], nowIso: IsoInstant): Promise<void> {
  await db.updateTable('notice_recipients').set({
    status: 'sent', sent_at: nowIso, sent_message_id: messageIds[0] ?? null, sent_message_ids: JSON.stringify(messageIds),
    parts_sent: messageIds.length, send_started_at: null, updated_at: nowIso,
  }).where('id', '=', id).where('status', '=', 'sending').execute();
}

export async function markRecipientSettled(db: Db, id: number, status: 'failed' | 'unreachable', error: string, nowIso: IsoInstant): Promise<void> {
  await db.updateTable('notice_recipients').set({ status, last_error: error, send_started_at: null, updated_at: nowIso })
    .where('id', '=', id).where('status', '=', 'sending').execute();
}

export async function bumpResent(db: Db, noticeId: number): Promise<void> {
  await db.updateTable('notices').set((eb) => ({ resent_in_flight: eb('resent_in_flight', '+', 1) })).where('id', '=', noticeId).execute();
}

/** Rows not yet settled (pending or in flight). */
export async function countUnsettled(db: Db, noticeId: number): Promise<number> {
  const row = await db.selectFrom('notice_recipients').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('notice_id', '=', noticeId).where('status', 'in', ['pending', 'sending']).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks a sending notice finished; true for the one caller that did it. */
export async function finishNotice(db: Db, id: number, nowIso: IsoInstant): Promise<boolean> {
  const r = await db.updateTable('notices').set({ status: 'sent', finished_at: nowIso, updated_at: nowIso })
    .where('id', '=', id).where('status', '=', 'sending').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function listNoticeIds(db: Db, status: Notice['status']): Promise<number[]> {
  return (await db.selectFrom('notices').select('id').where('status', '=', status).orderBy('id').execute()).map((r) => r.id);
}

/** Notices whose reminder is due or planned and not yet sent. */
export async function listRemindersPlanned(db: Db): Promise<Array<{ id: number; remindAt: string }>> {
  const rows = await db.selectFrom('notices').select(['id', 'remind_at']).where('remind_at', 'is not', null).where('reminded_at', 'is', null)
    .where('status', 'in', ['sending', 'sent']).execute();
  return rows.map((r) => ({ id: r.id, remindAt: r.remind_at! }));
}

/** Records an acknowledgement; false when already acknowledged or not a recipient. */
export async function ackRecipient(db: Db, noticeId: number, personId: number, nowIso: IsoInstant): Promise<'acked' | 'again' | 'none'> {
  const r = await db.updateTable('notice_recipients').set({ acked_at: nowIso, updated_at: nowIso })
    .where('notice_id', '=', noticeId).where('person_id', '=', personId).where('acked_at', 'is', null).executeTakeFirst();
  if (Number(r.numUpdatedRows) > 0) return 'acked';
  const row = await db.selectFrom('notice_recipients').select('id').where('notice_id', '=', noticeId).where('person_id', '=', personId).executeTakeFirst();
  return row ? 'again' : 'none';
}

/** Acknowledgement counts per organisation of the recipients (commune), sent rows only. */
export async function ackByOrg(db: Db, noticeId: number): Promise<Array<{ orgId: number | null; sent: number; acked: number }>> {
  const rows = await db.selectFrom('notice_recipients')
    .select(['org_id', (eb) => eb.fn.countAll<number>().as('sent'), (eb) => eb.fn.count<number>('acked_at').as('acked')])
    .where('notice_id', '=', noticeId).where('status', '=', 'sent').groupBy('org_id').execute();
  return rows.map((r) => ({ orgId: r.org_id, sent: Number(r.sent), acked: Number(r.acked) }));
}

/** Every recipient with names, for the CSV export. */
export async function listRecipientsForExport(db: Db, noticeId: number) {
  return db.selectFrom('notice_recipients as r')
    .innerJoin('persons as p', 'p.id', 'r.person_id')
    .leftJoin('orgs as o', 'o.id', 'r.org_id')
    .select(['p.code as person_code', 'p.full_name', 'o.code as org_code', 'o.name as org_name', 'r.org_id', 'r.platform', 'r.status', 'r.attempts', 'r.sent_at', 'r.acked_at', 'r.last_error'])
    .where('r.notice_id', '=', noticeId).orderBy('r.id').execute();
}

/** Unacknowledged delivered rows of a notice (the reminder's audience). */
export async function listUnacked(db: Db, noticeId: number): Promise<NoticeRecipient[]> {
  return db.selectFrom('notice_recipients').selectAll().where('notice_id', '=', noticeId)
    .where('status', '=', 'sent').where('acked_at', 'is', null).orderBy('id').execute();
}

/** Claims the reminder of a notice; true for the one caller that did. */
export async function claimReminder(db: Db, id: number, nowIso: IsoInstant): Promise<boolean> {
  const r = await db.updateTable('notices').set({ reminded_at: nowIso, updated_at: nowIso })
    .where('id', '=', id).where('reminded_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * A notice handed to the outbox (its channel could not take it then) was delivered by the outbox:
 * its delivery row becomes `sent`. A no-op for every other outbox row.
 */
export async function markHandedOverSent(db: Db, outboxId: number, messageIds: readonly string[], nowIso: IsoInstant): Promise<void> {
  await db.updateTable('notice_recipients').set({
    status: 'sent', sent_at: nowIso, sent_message_id: messageIds[0] ?? null, sent_message_ids: JSON.stringify(messageIds), last_error: null, updated_at: nowIso,
  }).where('outbox_id', '=', outboxId).where('status', '=', 'held').execute();
}


/**
 * Sent notices with a progress message still followed: those finished at or after `sinceIso`
 * (acknowledgements), and older ones whose final summary shows a delivery held (until it settles).
 */
export async function listFinishedWithProgressSince(db: Db, sinceIso: IsoInstant): Promise<number[]> {
  const rows = await db.selectFrom('notices').select('id').where('status', '=', 'sent')
    .where('progress_identity_id', 'is not', null)
    .where((eb) => eb.or([eb('finished_at', '>=', sinceIso), eb('summary_held', '>', 0)])).execute();
  return rows.map((r) => r.id);
}
