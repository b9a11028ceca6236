import { PostgresAdapter, sql, type ExpressionBuilder, type QueryCreator } from 'kysely';
import { insertPushIfSubscribed, type PushBesideRow } from './web-push.js';
import type { Db } from '../client.js';
import type { Database } from '../schema.js';
import type { IsoInstant, NewOutboxRow, OutboxHeldReason, OutboxQueue, OutboxRow, OutboxStatus } from '../schema.js';
import { PREPARED } from '../pg-prepared.js';
import { compiledOnce, compiledRowOnce } from '../compiled.js';

/**
 * A row leaving `pending` no longer needs the clear text of a credential it carried (a one-time
 * code): its masked text replaces it, in the same statement as the status change, so a row is
 * never both finished and readable. Until then (a retry, a resend after a crash) it keeps it.
 */
const forgetSecrets = (eb: ExpressionBuilder<Database, 'outbox'>) => ({
  text: eb.fn.coalesce('masked_text', 'text'), masked_text: null, secrets: null,
});

/** Inserts one outbound message (committed with the state change that caused it); returns its id. */
export async function insertOutbox(db: Db, row: NewOutboxRow): Promise<number> {
  const { rows: [inserted] } = await insertOutboxStatement(db, row);
  return inserted!.id;
}

const insertOutboxStatement = compiledRowOnce((db: Db, row: NewOutboxRow) => db.insertInto('outbox').values(row).returning('id').modifyEnd(PREPARED));

/**
 * {@link insertOutbox} and, when given, the push event beside it, keyed `outbox-<the row's id>`,
 * if its person has a browser subscribed and the key is new (the flow that wrote it ran again).
 * PostgreSQL: one statement; SQLite: two. Returns the row's id.
 */
export async function insertOutboxWithPush(db: Db, row: NewOutboxRow, push: PushBesideRow | undefined): Promise<number> {
  if (!push) return insertOutbox(db, row);
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    const id = await insertOutbox(db, row);
    await insertPushStatement(db, { push, key: `outbox-${id}` });
    return id;
  }
  const { rows: [inserted] } = await insertWithPushStatement(db, { row, push });
  return inserted!.id;
}

const insertPushStatement = compiledRowOnce((db: Db, r: { push: PushBesideRow; key: string }) => insertPushIfSubscribed(db, r.push, sql<string>`${r.key}`));

const insertWithPushStatement = compiledRowOnce((db: Db, r: { row: NewOutboxRow; push: PushBesideRow }) => db
  .with('row_in', (qb) => qb.insertInto('outbox').values(r.row).returning('id'))
  // The CTE's scope only adds `row_in`, read by the key's raw SQL.
  .with('push_in', (qb) => insertPushIfSubscribed(qb as unknown as QueryCreator<Database>, r.push, sql<string>`(select 'outbox-' || id from row_in)`).returning('id'))
  .selectFrom('row_in').select('id').modifyEnd(PREPARED));

/** One row for {@link insertOutboxRows}, with the push event to write beside it (if any). */
export interface OutboxRowWithPush {
  row: NewOutboxRow;
  push: PushBesideRow | undefined;
}

/**
 * {@link insertOutboxWithPush} for several rows, which take ids in the order given (a chat's rows
 * leave in id order). PostgreSQL: ONE statement; SQLite: each in turn (in-process calls).
 * Returns their ids in the same order.
 */
export async function insertOutboxRows(db: Db, items: readonly OutboxRowWithPush[]): Promise<number[]> {
  if (items.length <= 1 || !(db.getExecutor().adapter instanceof PostgresAdapter)) {
    const ids: number[] = [];
    for (const item of items) ids.push(await insertOutboxWithPush(db, item.row, item.push));
    return ids;
  }
  const rows: Record<string, object> = {};
  items.forEach((item, i) => {
    rows[`row${i}`] = item.row;
    if (item.push) rows[`push${i}`] = item.push;
  });
  const result = await insertRowsStatement(db, rows);
  return result.rows.map((r) => Number(r.id));
}

/**
 * One INSERT of all the rows, so they take the sequence's values in the order of its VALUES list
 * (the statement calls nextval row by row; another session's ids may fall between, never out of
 * order); the k-th push event is keyed by the k-th smallest id.
 */
const insertRowsStatement = compiledRowOnce((db: Db, r: Record<string, object>) => {
  const count = Object.keys(r).filter((k) => k.startsWith('row')).length;
  const rows = Array.from({ length: count }, (_, i) => r[`row${i}`] as NewOutboxRow);
  let query = db.with('rows_in', (qb) => qb.insertInto('outbox').values(rows).returning('id'));
  for (let i = 0; i < count; i += 1) {
    const push = r[`push${i}`] as PushBesideRow | undefined;
    if (!push) continue;
    const key = sql<string>`(select 'outbox-' || id from rows_in order by id limit 1 offset ${sql.lit(i)})`;
    // As in insertWithPushStatement: the CTE's scope only adds `rows_in`, read by the key's raw SQL.
    query = query.with(`push_in${i}`, (qb) => insertPushIfSubscribed(qb as unknown as QueryCreator<Database>, push, key).returning('id')) as unknown as typeof query;
  }
  return query.selectFrom('rows_in').select('id').orderBy('id').modifyEnd(PREPARED);
});

/** Loads one outbox row, or `undefined`. */
export async function findOutbox(db: Db, id: number): Promise<OutboxRow | undefined> {
  return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The row that first delivered platform message `messageId` to this chat (the original, not the
 * edit rows that changed it in place since), if any.
 */
export async function findSentByMessageId(db: Db, platform: OutboxRow['platform'], chatId: string, messageId: string): Promise<OutboxRow | undefined> {
  return db.selectFrom('outbox').selectAll().where('platform', '=', platform).where('chat_id', '=', chatId)
    .where('sent_message_id', '=', messageId).where('status', '=', 'sent').orderBy('id').limit(1).executeTakeFirst();
}

export async function recordOutboxPartsSent(db: Db, id: number, messageIds: readonly string[]): Promise<void> {
  await db.updateTable('outbox')
    .set({ parts_sent: messageIds.length, sent_message_ids: JSON.stringify(messageIds) })
    .where('id', '=', id).where('status', '=', 'pending').execute();
}

/** Columns that end a claim (see outbox-claims.ts): every outcome clears them. */
const UNCLAIMED = { lease_owner: null, lease_until: null, next_attempt_at: null } as const;

/**
 * What marking a row sent saw of its chat: `more` when another pending row of the same queue and
 * chat existed as the mark was made (committed before it), so the drain goes on with it; else the
 * chat was empty and the drain needs no read of its head to know it.
 */
export interface SentMark {
  more: boolean;
}

/**
 * Marks a pending row delivered and ends its claim, and says whether its chat has more to send
 * (one statement). Undefined when the row was no longer pending (another worker finished it),
 * in which case nothing changed.
 */
export async function markOutboxSent(db: Db, row: OutboxRowChatKey, outcome: SentOutcome): Promise<SentMark | undefined> {
  const sent = sentValues(outcome);
  const { rows: [marked] } = await markSentStatement(db, row.id, row.queue, row.platform, row.chat_id,
    sent.sent_message_id, sent.sent_message_ids, sent.parts_sent, sent.sent_at, sent.attempts);
  return marked ? { more: Boolean(marked.more) } : undefined;
}

const markSentStatement = compiledOnce((
  db: Db, id: number, queue: OutboxQueue, platform: OutboxRow['platform'], chatId: string,
  sentMessageId: string | null, sentMessageIds: string, partsSent: number, sentAt: IsoInstant, attempts: number,
) => db.updateTable('outbox')
  .set((eb) => sentColumns(eb, { sent_message_id: sentMessageId, sent_message_ids: sentMessageIds, parts_sent: partsSent, sent_at: sentAt, attempts }))
  .where('id', '=', id).where('status', '=', 'pending')
  .returning((eb) => moreInChat(eb, { id, queue, platform, chat_id: chatId }).as('more')).modifyEnd(PREPARED));

/** The row being marked, as the mark needs it: its id and its chat. */
export type OutboxRowChatKey = Pick<OutboxRow, 'id' | 'queue' | 'platform' | 'chat_id'>;

/** Is another row of `row`'s chat and queue pending (SQLite: 0/1, PostgreSQL: boolean)? */
function moreInChat(eb: ExpressionBuilder<Database, 'outbox'>, row: OutboxRowChatKey) {
  // The chat as values, not as references to the updated row: SQLite's planner then seeks the
  // pending heads index on all four columns; with references (inside UPDATE … RETURNING) it used the
  // status alone and walked every pending row of every queue and chat: 1.34 ms a mark with 12,000
  // rows pending (a backlog after a platform outage), 15 µs now.
  return eb.exists(eb.selectFrom('outbox as other').select('other.id')
    .where('other.status', '=', 'pending').where('other.queue', '=', row.queue).where('other.platform', '=', row.platform)
    .where('other.chat_id', '=', row.chat_id).where('other.id', '!=', row.id));
}

/** A send the platform accepted: its message ids (one per part), when, and the attempts it took. */
export interface SentOutcome {
  messageIds: readonly string[];
  sentAt: IsoInstant;
  attempts: number;
}

/** The values a sent mark records (besides the status, the forgotten secrets and the ended claim). */
function sentValues(outcome: SentOutcome) {
  return {
    sent_message_id: outcome.messageIds[0] ?? null,
    sent_message_ids: JSON.stringify(outcome.messageIds),
    parts_sent: outcome.messageIds.length,
    sent_at: outcome.sentAt,
    attempts: outcome.attempts,
  };
}

/** The columns of a sent mark: its values, the status, the forgotten secrets and the ended claim. */
function sentColumns(eb: ExpressionBuilder<Database, 'outbox'>, sent: ReturnType<typeof sentValues>) {
  return { ...forgetSecrets(eb), status: 'sent' as const, held_reason: null, ...UNCLAIMED, ...sent };
}

/**
 * {@link markOutboxSent} and {@link insertDeliveryRefs} without a transaction. PostgreSQL: ONE
 * statement (a data-modifying WITH, atomic like a transaction), the refs written only when the row
 * was still pending and is now sent. Other databases (SQLite): two statements, the refs first
 * (each once), then the mark; a crash between them leaves refs to a message that was delivered,
 * and the row pending, so it is sent again as after any crash before its record. Returns the
 * mark (as {@link markOutboxSent}) when the row was marked sent; undefined when it was no longer
 * pending (SQLite: this copy's refs are written, as the transaction writes them), or when the row
 * has no refs to write: the caller then records the send as usual.
 */
export async function markOutboxSentWithRefs(db: Db, row: OutboxRow, outcome: SentOutcome): Promise<SentMark | undefined> {
  if (row.inquiry_id === null || row.ref_kind === null || outcome.messageIds.length === 0) return undefined;
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    await insertDeliveryRefs(db, row, outcome.messageIds, outcome.sentAt);
    return markOutboxSent(db, row, outcome);
  }
  const refs = outcome.messageIds.map((messageId) => sql`(${row.platform}, ${row.chat_id}, ${messageId}, ${row.inquiry_id}::integer, ${row.ref_kind}, ${row.ref_person_id}::integer, ${outcome.sentAt})`);
  const inserted = await db
    .with('marked', (qb) => qb.updateTable('outbox').set((eb) => sentColumns(eb, sentValues(outcome)))
      .where('id', '=', row.id).where('status', '=', 'pending').returning((eb) => ['id', moreInChat(eb, row).as('more')]))
    .insertInto('message_refs').columns(['platform', 'chat_id', 'message_id', 'inquiry_id', 'kind', 'person_id', 'created_at'])
    .expression(sql`select v.* from (values ${sql.join(refs)}) as v(platform, chat_id, message_id, inquiry_id, kind, person_id, created_at) where exists (select 1 from marked)`)
    .returning(sql<boolean>`(select more from marked)`.as('more')).modifyEnd(PREPARED).execute();
  const [first] = inserted;
  return first ? { more: Boolean(first.more) } : undefined;
}

/** Marks a pending row finally undeliverable. Returns false when it was no longer pending. */
export async function markOutboxUndeliverable(
  db: Db, id: number, outcome: { status: 'failed' | 'unreachable'; attempts: number; lastError: string },
): Promise<boolean> {
  const result = await db.updateTable('outbox')
    .set((eb) => ({ ...forgetSecrets(eb), status: outcome.status, attempts: outcome.attempts, last_error: outcome.lastError, held_reason: null, ...UNCLAIMED }))
    .where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Writes one `message_refs` row per delivered part of `row` (when it names an inquiry and a ref
 * kind), so a reply to any part routes to the inquiry; a ref already written (a retried record)
 * is not written again. Returns how many parts have refs.
 */
export async function insertDeliveryRefs(
  db: Db, row: OutboxRow, messageIds: readonly string[], createdAt: IsoInstant,
): Promise<number> {
  if (row.inquiry_id === null || row.ref_kind === null || messageIds.length === 0) return 0;
  const values = messageIds.map((messageId) => sql`(${row.platform}, ${row.chat_id}, ${messageId}, cast(${row.inquiry_id} as integer), ${row.ref_kind}, cast(${row.ref_person_id} as integer), ${createdAt})`);
  await sql`with v(platform, chat_id, message_id, inquiry_id, kind, person_id, created_at) as (values ${sql.join(values)})
    insert into message_refs (platform, chat_id, message_id, inquiry_id, kind, person_id, created_at)
    select v.platform, v.chat_id, v.message_id, v.inquiry_id, v.kind, v.person_id, v.created_at from v
    where not exists (select 1 from message_refs m where m.platform = v.platform and m.chat_id = v.chat_id and m.message_id = v.message_id and m.inquiry_id = v.inquiry_id)`.execute(db);
  return messageIds.length;
}

/**
 * Messages that could not reach a person on their other identities (blocked bot, ended web
 * session, closed Zalo reply window) since `sinceIso`, oldest first: what to send again when the person links a new identity.
 */
export async function listUndeliveredForPerson(db: Db, personId: number, exceptIdentityId: number, sinceIso: string): Promise<OutboxRow[]> {
  return db.selectFrom('outbox').selectAll('outbox')
    .innerJoin('identities', 'identities.id', 'outbox.identity_id')
    .where('identities.person_id', '=', personId).where('outbox.identity_id', '!=', exceptIdentityId)
    .where('outbox.status', 'in', ['unreachable', 'held']).where('outbox.created_at', '>=', sinceIso)
    .orderBy('outbox.id').execute();
}

/**
 * Marks rows as sent again elsewhere, so a later link does not repeat them. Only rows still in one
 * of `from` change (default: undeliverable ones); returns how many did.
 */
export async function markOutboxRedirected(
  db: Db, ids: readonly number[], note: string, from: readonly OutboxStatus[] = ['unreachable', 'held'],
): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db.updateTable('outbox').set((eb) => ({ ...forgetSecrets(eb), status: 'redirected', last_error: note, held_reason: null, ...UNCLAIMED }))
    .where('id', 'in', [...ids]).where('status', 'in', [...from]).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Parks a pending row: until its recipient writes again (`reply_window`, the default), or until
 * the platform accepts our credentials again (`credentials`). False when it was no longer pending.
 * `attempts`, when given, records the attempt that ended in the hold.
 */
export async function markOutboxHeld(
  db: Db, id: number, note: string, reason: OutboxHeldReason = 'reply_window', attempts?: number,
): Promise<boolean> {
  const result = await db.updateTable('outbox').set((eb) => ({ ...forgetSecrets(eb), status: 'held', last_error: note, held_reason: reason, ...UNCLAIMED, ...(attempts !== undefined ? { attempts } : {}) }))
    .where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Rows of `queue` held because `platform` refused our credentials, back to pending; returns their
 * ids, oldest first. `oldestOnly`: just the oldest one (a probe: if it goes out, the rest follow).
 * A probe keeps `held_reason = 'credentials'` while pending, so `/held` still lists it until its
 * send's outcome is recorded (a probe runs every re-check: a listing must not miss it meanwhile).
 */
export async function releaseCredentialHolds(
  db: Db, queue: OutboxQueue, platform: OutboxRow['platform'], options: { oldestOnly?: boolean } = {},
): Promise<number[]> {
  let update = db.updateTable('outbox').set({ status: 'pending', last_error: null, ...(options.oldestOnly ? {} : { held_reason: null }) })
    .where('status', '=', 'held').where('held_reason', '=', 'credentials').where('queue', '=', queue).where('platform', '=', platform);
  if (options.oldestOnly) {
    const oldest = await db.selectFrom('outbox').select('id')
      .where('status', '=', 'held').where('held_reason', '=', 'credentials').where('queue', '=', queue).where('platform', '=', platform)
      .orderBy('id').limit(1).executeTakeFirst();
    if (!oldest) return [];
    update = update.where('id', '=', oldest.id);
  }
  const rows = await update.returning('id').execute();
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/** Platforms with rows of `queue` held because they refused our credentials. */
export async function listCredentialHeldPlatforms(db: Db, queue: OutboxQueue): Promise<OutboxRow['platform'][]> {
  const rows = await db.selectFrom('outbox').select('platform').distinct()
    .where('status', '=', 'held').where('held_reason', '=', 'credentials').where('queue', '=', queue).execute();
  return rows.map((r) => r.platform);
}

/** Held rows of `queue` to one chat back to pending (its person just wrote); returns their ids, oldest first. */
export async function releaseHeldInChat(db: Db, queue: OutboxQueue, platform: OutboxRow['platform'], chatId: string): Promise<number[]> {
  const { rows } = await releaseHeldStatement(db, queue, platform, chatId);
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

const releaseHeldStatement = compiledOnce((db: Db, queue: OutboxQueue, platform: OutboxRow['platform'], chatId: string) => db.updateTable('outbox')
  .set({ status: 'pending', last_error: null, held_reason: null })
  .where('status', '=', 'held').where('queue', '=', queue).where('platform', '=', platform).where('chat_id', '=', chatId)
  .returning('id'));

/**
 * Rows held (waiting for their recipient to write again, or for our credentials), oldest first, for
 * coordinators; with the one out on a credentials probe (pending, still `held_reason = 'credentials'`).
 */
export async function listHeldOutbox(db: Db, limit: number): Promise<OutboxRow[]> {
  return db.selectFrom('outbox').selectAll()
    .where((eb) => eb.or([eb('status', '=', 'held'), eb.and([eb('status', '=', 'pending'), eb('held_reason', '=', 'credentials')])]))
    .orderBy('id').limit(limit).execute();
}
