import type { Platform } from '../../adapters/types.js';
import type { Db } from '../../db/client.js';
import { createEffects } from '../effects.js';

/**
 * A channel lost its credentials (Zalo rejected the OA's refresh token): tells every active admin
 * in chat, on an identity of another platform when they have one (the broken channel cannot carry
 * its own alert), and writes an audit event. The adapter calls this once per rejection.
 * Returns the outbox ids to deliver.
 */
export async function alertChannelAuthFailure(db: Db, platform: Platform, reason: string, now: Date, defaultLocale: 'vi' | 'en'): Promise<number[]> {
  const effects = createEffects(db, now.toISOString(), defaultLocale, { personId: null, identityId: null });
  await effects.audit('channel.auth_failed', 'channel', platform, null, { reason: reason.slice(0, 200) });
  const admins = await db.selectFrom('role_assignments').select('person_id').distinct()
    .where('role', '=', 'admin').where('status', '=', 'active').execute();
  for (const { person_id: personId } of admins) {
    const identities = await db.selectFrom('identities').selectAll().where('person_id', '=', personId)
      .where('unreachable_at', 'is', null).orderBy('preferred', 'desc').orderBy('last_inbound_at', 'desc').execute();
    const target = identities.find((i) => i.platform !== platform) ?? identities[0];
    if (target) await effects.sendTo(target, (t) => ({ text: t.replyWindow.authAlert(platform) }), { reportUnreachable: false });
  }
  return effects.outboxIds;
}
