import type { Db } from '../client.js';
import type { OutboxRow } from '../schema.js';

/**
 * The screening notice (the inquiry with its screening buttons) delivered to the chat `identityId`,
 * newest first; undefined when none was delivered there (not yet sent, or sent elsewhere). What a
 * settled screening edits: its buttons, to show what was done.
 */
export async function findSentScreeningNotice(db: Db, inquiryId: number, identityId: number): Promise<OutboxRow | undefined> {
  return db.selectFrom('outbox').selectAll()
    .where('inquiry_id', '=', inquiryId).where('identity_id', '=', identityId).where('ref_kind', '=', 'screening_notice')
    .where('edit_of_outbox_id', 'is', null).where('status', '=', 'sent')
    .orderBy('id', 'desc').executeTakeFirst();
}
