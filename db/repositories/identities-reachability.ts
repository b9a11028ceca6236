import type { Db } from '../client.js';
import type { IsoInstant } from '../schema.js';

/**
 * Records that the platform refused delivery to an identity for good (blocked the bot, chat gone,
 * outside the Zalo window). Keeps the first `unreachable_at` of a run of failures.
 */
export async function markIdentityUnreachable(db: Db, identityId: number, reason: string, at: IsoInstant): Promise<void> {
  await db.updateTable('identities')
    .set((eb) => ({
      unreachable_at: eb.fn.coalesce('unreachable_at', eb.val(at)),
      unreachable_reason: reason,
      updated_at: at,
    }))
    .where('id', '=', identityId).execute();
}

/** Clears the unreachable mark, e.g. when the person writes to the bot again. */
export async function clearIdentityUnreachable(db: Db, identityId: number, at: IsoInstant): Promise<void> {
  await db.updateTable('identities')
    .set({ unreachable_at: null, unreachable_reason: null, updated_at: at })
    .where('id', '=', identityId).where('unreachable_at', 'is not', null).execute();
}
