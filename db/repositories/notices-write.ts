import type { Insertable } from 'kysely';
import type { Db } from '../client.js';
import type { IsoInstant, NoticesTable } from '../schema.js';

/** Writes of the notices themselves (drafts, confirmation, reminders) and of hand-overs to the outbox. */

/** Inserts a notice (a draft, or a reminder's child notice); returns its id. */
export async function insertNotice(db: Db, row: Insertable<NoticesTable>): Promise<number> {
  return (await db.insertInto('notices').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

/**
 * Confirms a draft: it becomes `sending` (the workers deliver it once its jobs are queued).
 * `progressIdentityId`: the chat that gets the progress message. False when not a draft any more.
 */
export async function confirmDraft(db: Db, id: number, nowIso: IsoInstant, progressIdentityId: number | null): Promise<boolean> {
  const r = await db.updateTable('notices')
    .set({ status: 'sending', confirmed_at: nowIso, progress_identity_id: progressIdentityId, updated_at: nowIso })
    .where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Cancels a draft; false when not a draft any more. */
export async function cancelDraft(db: Db, id: number, nowIso: IsoInstant): Promise<boolean> {
  const r = await db.updateTable('notices').set({ status: 'cancelled', updated_at: nowIso })
    .where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The outbox row carrying the notice's progress message (edited in place as deliveries go). */
export async function setProgressOutbox(db: Db, noticeId: number, outboxId: number): Promise<void> {
  await db.updateTable('notices').set({ progress_outbox_id: outboxId }).where('id', '=', noticeId).execute();
}

/** What a notice's final summary shows: the deliveries' tally (a fingerprint) and how many it shows held. */
export interface SummaryShown {
  tally: string;
  held: number;
}

/** The outbox row carrying the notice's final summary (edited in place when a held delivery settles later) and what it shows. */
export async function setSummaryOutbox(db: Db, noticeId: number, outboxId: number, shown: SummaryShown): Promise<void> {
  await db.updateTable('notices').set({ summary_outbox_id: outboxId, summary_shown: shown.tally, summary_held: shown.held })
    .where('id', '=', noticeId).execute();
}

/** The final summary was edited to show `shown`. */
export async function setSummaryShown(db: Db, noticeId: number, shown: SummaryShown): Promise<void> {
  await db.updateTable('notices').set({ summary_shown: shown.tally, summary_held: shown.held }).where('id', '=', noticeId).execute();
}

/** Plans the notice's reminder at `remindAt`, unless one is planned already. */
export async function planRemindAt(db: Db, noticeId: number, remindAt: IsoInstant): Promise<void> {
  await db.updateTable('notices').set({ remind_at: remindAt }).where('id', '=', noticeId).where('remind_at', 'is', null).execute();
}

/** Marks the delivered, unacknowledged recipients of a notice as reminded. */
export async function markUnackedReminded(db: Db, noticeId: number, nowIso: IsoInstant): Promise<void> {
  await db.updateTable('notice_recipients').set({ reminded_at: nowIso }).where('notice_id', '=', noticeId)
    .where('status', '=', 'sent').where('acked_at', 'is', null).execute();
}

/** A claimed (`sending`) delivery row becomes `held` for the outbox; false when another lane settled it meanwhile. */
export async function holdRecipientForOutbox(db: Db, recipientId: number, lastError: string, nowIso: IsoInstant): Promise<boolean> {
  const moved = await db.updateTable('notice_recipients').set({ status: 'held', last_error: lastError, send_started_at: null, updated_at: nowIso })
    .where('id', '=', recipientId).where('status', '=', 'sending').executeTakeFirst();
  return Number(moved.numUpdatedRows) > 0;
}

/**
 * The outbox row that delivers a held delivery row; the row is marked (`notice_handover`) so its
 * delivery settles the delivery row in the same transaction. Call in one transaction with the insert.
 */
export async function linkRecipientOutbox(db: Db, recipientId: number, outboxId: number): Promise<void> {
  await db.updateTable('notice_recipients').set({ outbox_id: outboxId }).where('id', '=', recipientId).execute();
  await markNoticeHandover(db, outboxId);
}

/** Outbox row `outboxId` now settles a notice's delivery row when it is delivered or fails. */
async function markNoticeHandover(db: Db, outboxId: number): Promise<void> {
  await db.updateTable('outbox').set({ notice_handover: 1 }).where('id', '=', outboxId).execute();
}

/**
 * A handed-over notice's outbox row was redirected to another chat of the person (`toOutboxId`,
 * its copy): the held delivery row now follows the copy, so the copy's delivery settles it.
 */
export async function followHandOverRedirect(db: Db, fromOutboxId: number, toOutboxId: number): Promise<void> {
  const moved = await db.updateTable('notice_recipients').set({ outbox_id: toOutboxId })
    .where('outbox_id', '=', fromOutboxId).where('status', '=', 'held').executeTakeFirst();
  if (Number(moved.numUpdatedRows) > 0) await markNoticeHandover(db, toOutboxId);
}

/** A handed-over notice's outbox row failed for good: its held delivery row settles the same way. */
export async function markHandedOverUndeliverable(
  db: Db, outboxId: number, status: 'failed' | 'unreachable', lastError: string, nowIso: IsoInstant,
): Promise<void> {
  await db.updateTable('notice_recipients').set({ status, last_error: lastError, updated_at: nowIso })
    .where('outbox_id', '=', outboxId).where('status', '=', 'held').execute();
}
