import type { Db } from '../client.js';
import type { IsoInstant, OutboxQueue, OutboxRow } from '../schema.js';
import { PREPARED } from '../pg-prepared.js';
import { compiledOnce } from '../compiled.js';

/**
 * Claims on outbox rows: a row is sent only by the process that claimed it, and only the oldest
 * pending row of a chat can be claimed, so a chat has at most one send in flight and its messages
 * leave in commit order. A claim lasts until `lease_until` (renewed while the send runs) and is
 * cleared with the outcome; a `pending` row whose claim lapsed is a send interrupted by a crash.
 */

/** One chat of one outbox queue. */
export interface OutboxChat {
  queue: OutboxQueue;
  platform: OutboxRow['platform'];
  chatId: string;
}

/** A string naming one chat of one queue, for maps and sets (NUL cannot occur in any of its parts). */
export function outboxChatKey(chat: OutboxChat): string {
  return `${chat.queue}\u0000${chat.platform}\u0000${chat.chatId}`;
}

/** Who claims, and until when. Instants are ISO-8601 UTC on the real clock (queue time). */
export interface ClaimRequest {
  owner: string;
  nowIso: IsoInstant;
  leaseUntil: IsoInstant;
  /** True for a row this process is sending right now (its claim is never taken over by itself). */
  inFlightHere(id: number): boolean;
  /** True for a claim owner known to be dead (its claim need not wait out its lease); see `LeaseKeeper.isGone`. */
  ownerGone?(owner: string): boolean;
}

/** What claiming the chat's oldest pending row gave. */
export type ClaimResult =
  | { kind: 'empty' }
  /** Another send of this chat is in flight (here or in a live process). */
  | { kind: 'busy'; row: OutboxRow }
  /** The oldest row waits for `dueAt` (rate limit, backoff). */
  | { kind: 'not_due'; row: OutboxRow; dueAt: IsoInstant }
  /**
   * Claimed. `interrupted`: an earlier send of it (by `previousOwner`) started and never recorded
   * an outcome, so this send may be a repeat.
   */
  | { kind: 'claimed'; row: OutboxRow; interrupted: boolean; previousOwner: string | null };

/** The oldest pending row of a chat. */
export async function findChatHead(db: Db, chat: OutboxChat): Promise<OutboxRow | undefined> {
  return db.selectFrom('outbox').selectAll()
    .where('queue', '=', chat.queue).where('platform', '=', chat.platform).where('chat_id', '=', chat.chatId)
    .where('status', '=', 'pending').orderBy('id').limit(1).modifyEnd(PREPARED).executeTakeFirst();
}

/**
 * Is `row`'s claim still held? Until its lease ends, unless its owner is known to be dead (a
 * claim taken a moment ago by another job of this very process counts too); after, only while a
 * send of it runs here (a process never takes over its own send, however long it takes).
 */
export function isClaimLive(row: Pick<OutboxRow, 'id' | 'lease_owner' | 'lease_until'>, request: Pick<ClaimRequest, 'owner' | 'nowIso' | 'inFlightHere' | 'ownerGone'>): boolean {
  if (row.lease_owner === null) return false;
  if ((row.lease_until ?? '') > request.nowIso) return !(request.ownerGone?.(row.lease_owner) ?? false);
  return row.lease_owner === request.owner && request.inFlightHere(row.id);
}

/**
 * Claims the oldest pending row of `chat` for one send, unless it is claimed by a live send, or
 * not yet due. The update is conditional on the claim read, so two claimants never both win.
 */
export async function claimChatHead(db: Db, chat: OutboxChat, request: ClaimRequest, options: { freeFirst?: boolean } = {}): Promise<ClaimResult> {
  if (options.freeFirst) {
    const claimed = await claimFreeHead(db, chat, request);
    if (claimed) return { kind: 'claimed', row: claimed, interrupted: false, previousOwner: null };
  }
  const row = await findChatHead(db, chat);
  if (!row) return { kind: 'empty' };
  if (isClaimLive(row, request)) return { kind: 'busy', row };
  if (row.next_attempt_at !== null && row.next_attempt_at > request.nowIso) return { kind: 'not_due', row, dueAt: row.next_attempt_at };
  const interrupted = row.lease_owner !== null;
  let update = db.updateTable('outbox')
    .set((eb) => ({
      lease_owner: request.owner, lease_until: request.leaseUntil,
      resent_in_flight: interrupted ? eb('resent_in_flight', '+', 1) : eb.ref('resent_in_flight'),
    }))
    .where('id', '=', row.id).where('status', '=', 'pending');
  if (row.lease_owner === null) update = update.where('lease_owner', 'is', null);
  else update = update.where('lease_owner', '=', row.lease_owner);
  if (row.lease_until === null) update = update.where('lease_until', 'is', null);
  else update = update.where('lease_until', '=', row.lease_until);
  const result = await update.executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return { kind: 'busy', row };
  const resent = Number(row.resent_in_flight) + (interrupted ? 1 : 0);
  const claimed = { ...row, lease_owner: request.owner, lease_until: request.leaseUntil, resent_in_flight: resent };
  return { kind: 'claimed', row: claimed, interrupted, previousOwner: row.lease_owner };
}

/**
 * The common case of {@link claimChatHead} in one statement: claims the chat's oldest pending row
 * when nobody has ever claimed it unfinished (no lease) and it is due, and returns it as claimed.
 * Undefined otherwise (no row, claimed, not due, or a lapsed claim to take over): the caller then
 * reads the head and decides as {@link claimChatHead} does. The conditions are re-checked on the
 * row itself in the same statement, so two claimants never both win.
 */
async function claimFreeHead(db: Db, chat: OutboxChat, request: ClaimRequest): Promise<OutboxRow | undefined> {
  const result = await claimFreeHeadStatement(db, chat.queue, chat.platform, chat.chatId, request.owner, request.leaseUntil, request.nowIso);
  return result.rows[0];
}

const claimFreeHeadStatement = compiledOnce((
  db: Db, queue: OutboxQueue, platform: OutboxRow['platform'], chatId: string, owner: string, leaseUntil: IsoInstant, nowIso: IsoInstant,
) => db.updateTable('outbox').set({ lease_owner: owner, lease_until: leaseUntil })
  .where('id', '=', (eb) => eb.selectFrom('outbox as head').select('head.id')
    .where('head.queue', '=', queue).where('head.platform', '=', platform).where('head.chat_id', '=', chatId)
    .where('head.status', '=', 'pending').orderBy('head.id').limit(1))
  .where('status', '=', 'pending').where('lease_owner', 'is', null).where('lease_until', 'is', null)
  .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', nowIso)]))
  .returningAll().modifyEnd(PREPARED));

/** Extends the claims `owner` holds on `ids` (sends still running) until `leaseUntil`. */
export async function renewClaims(db: Db, owner: string, ids: readonly number[], leaseUntil: IsoInstant): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('outbox').set({ lease_until: leaseUntil })
    .where('id', 'in', [...ids]).where('lease_owner', '=', owner).where('status', '=', 'pending').execute();
}

/**
 * Gives a claimed row back without an outcome: it stays pending, not before `nextAttemptAt`
 * (null: at once). `attempts`/`lastError` record a failed attempt when given.
 */
export async function releaseClaim(
  db: Db, id: number, owner: string, next: { nextAttemptAt: IsoInstant | null; attempts?: number; lastError?: string },
): Promise<void> {
  await db.updateTable('outbox').set({
    lease_owner: null, lease_until: null, next_attempt_at: next.nextAttemptAt,
    ...(next.attempts !== undefined ? { attempts: next.attempts } : {}),
    ...(next.lastError !== undefined ? { last_error: next.lastError } : {}),
  }).where('id', '=', id).where('lease_owner', '=', owner).where('status', '=', 'pending').execute();
}

/**
 * Makes rows due at once that still wait on a backoff (pending, unclaimed, due after `nowIso`);
 * returns the ids it changed.
 */
export async function clearBackoff(db: Db, ids: readonly number[], nowIso: IsoInstant): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db.updateTable('outbox').set({ next_attempt_at: null })
    .where('id', 'in', [...ids]).where('status', '=', 'pending').where('lease_owner', 'is', null).where('next_attempt_at', '>', nowIso)
    .returning('id').execute();
  return rows.map((r) => Number(r.id));
}

/**
 * The oldest pending row of every chat of `queue` (one row per chat that has anything to send),
 * for the sweep that wakes chats whose delivery job or whose sender was lost.
 */
export async function listChatHeads(db: Db, queue: OutboxQueue): Promise<OutboxRow[]> {
  const heads = db.selectFrom('outbox').select((eb) => eb.fn.min('id').as('id'))
    .where('status', '=', 'pending').where('queue', '=', queue).groupBy(['platform', 'chat_id']);
  const rows = await db.selectFrom('outbox').selectAll().where('id', 'in', heads).orderBy('id').execute();
  return rows;
}

/** An outbox row's id and the chat it goes to. */
export type OutboxRowChat = OutboxChat & { id: number };

/** The chats of the given rows that are still pending, with the oldest given id of each. */
export async function chatsOfPending(db: Db, ids: readonly number[]): Promise<OutboxRowChat[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('outbox').select(['id', 'queue', 'platform', 'chat_id'])
    .where('id', 'in', [...ids]).where('status', '=', 'pending').execute();
  return oldestPerChat(rows.map((r) => ({ id: Number(r.id), queue: r.queue, platform: r.platform, chatId: r.chat_id })));
}

/** Each chat of `rows` once, with its oldest row's id. */
export function oldestPerChat(rows: readonly OutboxRowChat[]): OutboxRowChat[] {
  const byChat = new Map<string, OutboxRowChat>();
  for (const r of [...rows].sort((a, b) => a.id - b.id)) {
    const key = outboxChatKey(r);
    if (!byChat.has(key)) byChat.set(key, { id: r.id, queue: r.queue, platform: r.platform, chatId: r.chatId });
  }
  return [...byChat.values()];
}
