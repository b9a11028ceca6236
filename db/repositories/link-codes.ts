import type { Db } from '../client.js';
import type { LinkCode, LinkCodePurpose } from '../schema.js';

/**
 * Stores a new one-time code by its hash; with `supersede`, the person's earlier unused codes of
 * the same purpose stop working.
 */
export async function insertLinkCode(db: Db, c: { codeHash: string; personId: number; identityId: number; purpose: LinkCodePurpose; expiresAt: string; nowIso: string; supersede?: boolean }): Promise<void> {
  if (c.supersede) {
    await db.updateTable('link_codes').set({ used_at: c.nowIso })
      .where('person_id', '=', c.personId).where('purpose', '=', c.purpose).where('used_at', 'is', null).execute();
  }
  await db.insertInto('link_codes').values({
    code: c.codeHash, person_id: c.personId, identity_id: c.identityId, purpose: c.purpose,
    expires_at: c.expiresAt, used_at: null, created_at: c.nowIso,
  }).execute();
}

/** The stored code with this hash and purpose, used or not. */
export async function findLinkCode(db: Db, codeHash: string, purpose: LinkCodePurpose): Promise<LinkCode | undefined> {
  return db.selectFrom('link_codes').selectAll().where('code', '=', codeHash).where('purpose', '=', purpose).executeTakeFirst();
}

/** Why a stored code cannot be used now, or `ok`. */
export function linkCodeState(row: LinkCode | undefined, nowIso: string): 'ok' | 'used' | 'expired' | 'unknown' {
  if (!row) return 'unknown';
  return row.used_at !== null ? 'used' : row.expires_at <= nowIso ? 'expired' : 'ok';
}

/** Marks the code used; false when another request used it first (so a code works once even when two chats race). */
export async function useLinkCode(db: Db, codeHash: string, purpose: LinkCodePurpose, nowIso: string): Promise<boolean> {
  const r = await db.updateTable('link_codes').set({ used_at: nowIso })
    .where('code', '=', codeHash).where('purpose', '=', purpose).where('used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
