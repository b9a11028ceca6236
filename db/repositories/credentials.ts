import type { Platform } from '../../adapters/types.js';
import { maskSecrets } from '../../adapters/types.js';
import type { Db } from '../client.js';

/** The audit action of one wrong invite, link or sign-in code. */
export const CODE_FAILED_ACTION = 'code.failed';

/**
 * Wrong codes sent since `sinceIso` by this identity or, when it belongs to a person, by any of
 * that person's identities (read from the audit trail, indexed by actor identity and action).
 */
export async function countFailedCodes(db: Db, identityId: number, personId: number | null, sinceIso: string): Promise<number> {
  const row = await db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', CODE_FAILED_ACTION).where('at', '>=', sinceIso)
    .where((eb) => (personId === null
      ? eb('actor_identity_id', '=', identityId)
      : eb.or([eb('actor_identity_id', '=', identityId), eb('actor_identity_id', 'in', eb.selectFrom('identities').select('id').where('person_id', '=', personId))])))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Where a typed code was stored on its way in. */
export interface TypedCodeSite {
  platform: Platform;
  eventId: string;
  chatId: string;
  /** The platform message id of what the person typed (on the web: the timeline entry). */
  messageId?: string;
}

/**
 * Masks a credential someone typed (an invite, link or sign-in code) wherever its message was
 * stored: the inbound event's payload and, on the web, the person's own timeline entry. Called in
 * the transaction that processes the event, so the clear code does not outlive its processing.
 */
export async function maskTypedCode(db: Db, site: TypedCodeSite, typed: string): Promise<void> {
  if (typed.length === 0) return;
  const event = await db.selectFrom('inbound_events').select('payload')
    .where('platform', '=', site.platform).where('event_id', '=', site.eventId).executeTakeFirst();
  if (event && event.payload.includes(typed)) {
    await db.updateTable('inbound_events').set({ payload: maskSecrets(event.payload, [typed]) })
      .where('platform', '=', site.platform).where('event_id', '=', site.eventId).execute();
  }
  const seq = Number(site.messageId);
  if (site.platform !== 'web' || !Number.isSafeInteger(seq)) return;
  const entry = await db.selectFrom('web_messages').select('text').where('chat_id', '=', site.chatId).where('seq', '=', seq)
    .where('sender', '=', 'user').executeTakeFirst();
  if (entry?.text.includes(typed)) {
    await db.updateTable('web_messages').set({ text: maskSecrets(entry.text, [typed]) })
      .where('chat_id', '=', site.chatId).where('seq', '=', seq).where('sender', '=', 'user').execute();
  }
}
