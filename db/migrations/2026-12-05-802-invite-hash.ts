import type { Kysely } from 'kysely';
import { hashInviteCode } from '../invite-hash.js';

/**
 * Invite codes at rest (issue #10): `persons.invite_code` keeps only the hash of each code (used or
 * not), so a copy of the database lets nobody sign in as an invited person. Not reversible: the
 * codes themselves are gone; unused ones are re-issued with `liaison invites export --reissue`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const k = db as unknown as Kysely<{ persons: { id: number; invite_code: string | null } }>;
  const rows = await k.selectFrom('persons').select(['id', 'invite_code']).where('invite_code', 'is not', null).execute();
  for (const row of rows) {
    await k.updateTable('persons').set({ invite_code: hashInviteCode(row.invite_code!) }).where('id', '=', row.id).execute();
  }
}

export async function down(): Promise<void> {
  // Hashes cannot be turned back into codes; an older version simply finds no invite matching.
}
