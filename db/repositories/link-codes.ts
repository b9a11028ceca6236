import type { Db } from '../client.js';
import type { LinkCode, LinkCodePurpose } from '../schema.js';

/** Stores a new one-time code; earlier unused codes of the same person and purpose stop working. */
export async function insertLinkCode(db: Db, c: { code: string; personId: number; identityId: number; purpose: LinkCodePurpose; expiresAt: string; nowIso: string }): Promise<void> {
  await db.updateTable('link_codes').set({ used_at: c.nowIso })
    .where('person_id', '=', c.personId).where('purpose', '=', c.purpose).where('used_at', 'is', null).execute();
  await db.insertInto('link_codes').values({
    code: c.code, person_id: c.personId, identity_id: c.identityId, purpose: c.purpose,
    expires_at: c.expiresAt, used_at: null, created_at: c.nowIso,
  }).execute();
}

/**
 * Marks a code used if it is unused and unexpired; returns it, or undefined (unknown, used or
 * expired). The conditional update makes a code work once even when two chats race.
 */
export async function consumeLinkCode(db: Db, code: string, purpose: LinkCodePurpose, nowIso: string): Promise<LinkCode | undefined> {
  const r = await db.updateTable('link_codes').set({ used_at: nowIso })
    .where('code', '=', code).where('purpose', '=', purpose).where('used_at', 'is', null).where('expires_at', '>', nowIso)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return undefined;
  return db.selectFrom('link_codes').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Why a code cannot be used, for a precise message: `used`, `expired` or `unknown`. */
export async function linkCodeState(db: Db, code: string, purpose: LinkCodePurpose, nowIso: string): Promise<'used' | 'expired' | 'unknown'> {
  const row = await db.selectFrom('link_codes').selectAll().where('code', '=', code).where('purpose', '=', purpose).executeTakeFirst();
  if (!row) return 'unknown';
  return row.used_at ? 'used' : row.expires_at <= nowIso ? 'expired' : 'unknown';
}
