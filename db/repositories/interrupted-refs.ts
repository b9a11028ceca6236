import type { Platform } from '../../adapters/types.js';
import type { Db } from '../client.js';
import type { MessageRef, OutboxRow } from '../schema.js';

/** Interrupted sends of one chat considered, newest first. */
const CANDIDATES = 20;

/**
 * The inquiry a reply belongs to when it replies to a message of ours whose id was never recorded:
 * the platform accepted a send, and the process stopped before writing the id (a `kill -9`, a
 * power cut). Such a row is either still pending with a claim (in flight, or its process gone) or
 * was sent again later (`resent_in_flight` > 0); a chat has at most one send in flight, so the lost
 * message is the interrupted row's. Where message ids are ordered numbers (Telegram, the web, the
 * personal Zalo account), the reply's target must lie after every message recorded before that row
 * and before its re-sent copy; elsewhere (Zalo OA's opaque ids) the newest interrupted row is taken.
 * Returns a ref shaped like a `message_refs` row (`id` 0), or `undefined`.
 */
export async function findInterruptedSendRef(db: Db, platform: Platform, chatId: string, messageId: string): Promise<MessageRef | undefined> {
  // Rows tied to an inquiry are all interactive (`outbox` queue): the chat index applies.
  const rows = await db.selectFrom('outbox').selectAll()
    .where('queue', '=', 'outbox').where('platform', '=', platform).where('chat_id', '=', chatId)
    .where('inquiry_id', 'is not', null).where('ref_kind', 'is not', null)
    .where((eb) => eb.or([eb('resent_in_flight', '>', 0), eb.and([eb('status', '=', 'pending'), eb('lease_owner', 'is not', null)])]))
    .orderBy('id', 'desc').limit(CANDIDATES).execute();
  const target = asNumber(messageId);
  const row = target === undefined ? rows[0] : await pickByOrder(db, rows, target);
  if (!row || row.inquiry_id === null || row.ref_kind === null) return undefined;
  return {
    id: 0, platform: row.platform, chat_id: row.chat_id, message_id: messageId, inquiry_id: row.inquiry_id,
    kind: row.ref_kind, person_id: row.ref_person_id, created_at: row.sent_at ?? row.created_at,
  };
}

/** The interrupted row whose lost message can be `target`: after the chat's earlier messages, before its own copy. */
async function pickByOrder(db: Db, rows: readonly OutboxRow[], target: number): Promise<OutboxRow | undefined> {
  // A row's own parts recorded before the interruption come before its lost message; its copy after.
  const after = rows
    .map((row) => ({ row, next: Math.min(...idsOf(row).filter((id) => id > target)) }))
    .filter((c) => Number.isFinite(c.next) || c.row.status === 'pending')
    .sort((a, b) => a.next - b.next || a.row.id - b.row.id);
  for (const { row } of after) {
    if ((await lastIdBefore(db, row)) < target) return row;
  }
  return undefined;
}

/** The largest message id recorded in the row's chat for rows sent before it (commit order). */
async function lastIdBefore(db: Db, row: OutboxRow): Promise<number> {
  const earlier = await db.selectFrom('outbox').select(['sent_message_ids'])
    .where('queue', '=', row.queue).where('platform', '=', row.platform).where('chat_id', '=', row.chat_id).where('id', '<', row.id)
    .where('sent_message_ids', 'is not', null).orderBy('id', 'desc').limit(1).executeTakeFirst();
  const ids = earlier?.sent_message_ids ? parseIds(earlier.sent_message_ids) : [];
  return ids.length > 0 ? Math.max(...ids) : Number.NEGATIVE_INFINITY;
}

/** The row's recorded part ids as numbers (a pending row's copy is still to come). */
function idsOf(row: OutboxRow): number[] {
  return row.sent_message_ids ? parseIds(row.sent_message_ids) : [];
}

function parseIds(json: string): number[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.map((v) => asNumber(String(v))).filter((n): n is number => n !== undefined) : [];
  } catch {
    return [];
  }
}

function asNumber(id: string): number | undefined {
  return /^\d{1,15}$/.test(id) ? Number(id) : undefined;
}
