import type { InboundEvent } from '../../adapters/types.js';
import type { Db } from '../../db/client.js';
import { touchIdentity } from '../../db/repositories/identities.js';
import type { FlowSettings } from '../../flows/context.js';
import { createEffects } from '../../flows/effects.js';

/** After a failed event: a polite apology to the sender, so nobody is left without an answer. */
export async function genericErrorReply(db: Db, event: InboundEvent, now: Date, settings: FlowSettings): Promise<number[]> {
  return db.transaction().execute(async (tx) => {
    const identity = await touchIdentity(tx, { platform: event.platform, platformUserId: event.from.id, chatId: event.chatId }, now.toISOString());
    const effects = createEffects(tx, now.toISOString(), settings.defaultLocale, { personId: identity.person_id, identityId: identity.id });
    await effects.sendTo(identity, (t) => ({ text: t.genericError }), { reportUnreachable: false });
    return effects.outboxIds;
  });
}
