import type { Db } from '../client.js';
import { compiledOnce } from '../compiled.js';
import type { NewOutboxRow, OutboxQueue, OutboxRow } from '../schema.js';
import type { OutboxChat } from './outbox-claims.js';

/**
 * Digests: many notices waiting for one chat sent as one message. Only rows that stand alone can
 * be carried: notices about an inquiry (`staff_notice`: a new question, a reminder) with no files,
 * no reply threading and no part sent yet, unclaimed (or claimed by the caller: the chat's head).
 */

/** An inquiry a digest lists: its code and question. */
export interface DigestItem {
  outboxId: number;
  inquiryId: number;
  code: string;
  question: string;
}

/** What to replace with a digest. */
export interface DigestRequest {
  chat: OutboxChat;
  /** The claim the caller holds on the chat's head (which the digest may carry). */
  owner: string;
  headId: number;
  /** Fewer rows than this: no digest. */
  minRows: number;
  /** At most this many rows in one digest. */
  maxRows: number;
}

/** Thrown inside the transaction to roll it back when another process took one of the rows meanwhile. */
class DigestRace extends Error {}

/**
 * In one transaction: reads the chat's digestible pending rows (oldest first), inserts the digest
 * row `build` makes of them, and marks them `digested` (pointing at it), each only if still
 * pending and unclaimed by anyone else. All or nothing: a row taken meanwhile rolls it all back.
 * Returns the digest's id and the ids it carries, or undefined (too few rows, or a race). `build`
 * reads through the `tx` it is given (SQLite's one connection is the transaction's meanwhile).
 */
export async function replaceWithDigest(
  db: Db, r: DigestRequest, build: (head: OutboxRow, items: readonly DigestItem[], tx: Db) => Promise<NewOutboxRow>,
): Promise<{ digestId: number; carried: number[] } | undefined> {
  try {
    return await db.transaction().execute(async (tx) => {
      const rows = await tx.selectFrom('outbox').selectAll()
        .where('queue', '=', r.chat.queue).where('platform', '=', r.chat.platform).where('chat_id', '=', r.chat.chatId)
        .where('status', '=', 'pending').where('ref_kind', '=', 'staff_notice').where('inquiry_id', 'is not', null)
        .where('attachments', 'is', null).where('reply_to_outbox_id', 'is', null).where('parts_sent', '=', 0)
        .where((eb) => eb.or([eb('lease_owner', 'is', null), eb.and([eb('id', '=', r.headId), eb('lease_owner', '=', r.owner)])]))
        .orderBy('id').limit(r.maxRows).execute();
      if (rows.length < r.minRows) return undefined;
      const inquiries = await tx.selectFrom('inquiries').select(['id', 'code', 'question'])
        .where('id', 'in', rows.map((x) => x.inquiry_id ?? 0)).execute();
      const byId = new Map(inquiries.map((i) => [Number(i.id), i]));
      const items = rows.map((x) => {
        const inquiry = byId.get(Number(x.inquiry_id));
        return { outboxId: x.id, inquiryId: Number(x.inquiry_id), code: inquiry?.code ?? `Q-${x.inquiry_id}`, question: inquiry?.question ?? '' };
      });
      const digest = await tx.insertInto('outbox').values(await build(rows[0]!, items, tx)).returning('id').executeTakeFirstOrThrow();
      const ids = rows.map((x) => x.id);
      const moved = await tx.updateTable('outbox').set({ status: 'digested', digest_id: digest.id, held_reason: null, lease_owner: null, lease_until: null })
        .where('id', 'in', ids).where('status', '=', 'pending')
        .where((eb) => eb.or([eb('lease_owner', 'is', null), eb.and([eb('id', '=', r.headId), eb('lease_owner', '=', r.owner)])]))
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== ids.length) throw new DigestRace();
      return { digestId: digest.id, carried: ids };
    });
  } catch (err) {
    if (err instanceof DigestRace) return undefined;
    throw err;
  }
}

/** A row a digest carried, for opening it from the digest's button; undefined when it is not one. */
export async function findDigestedRow(db: Db, id: number): Promise<OutboxRow | undefined> {
  return db.selectFrom('outbox').selectAll().where('id', '=', id).where('status', '=', 'digested').executeTakeFirst();
}

/** How many digestible rows wait for `chat`, counted up to `limit` (a cheap check before {@link replaceWithDigest}). */
export async function countDigestible(db: Db, chat: OutboxChat, limit: number): Promise<number> {
  const { rows } = await countDigestibleStatement(db, chat.queue, chat.platform, chat.chatId, limit);
  return rows.length;
}

const countDigestibleStatement = compiledOnce((db: Db, queue: OutboxQueue, platform: OutboxRow['platform'], chatId: string, limit: number) => db
  .selectFrom('outbox').select('id')
  .where('queue', '=', queue).where('platform', '=', platform).where('chat_id', '=', chatId)
  .where('status', '=', 'pending').where('ref_kind', '=', 'staff_notice').where('inquiry_id', 'is not', null)
  .where('attachments', 'is', null).where('reply_to_outbox_id', 'is', null).where('parts_sent', '=', 0)
  .limit(limit));
