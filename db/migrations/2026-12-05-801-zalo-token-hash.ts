import type { Kysely } from 'kysely';
import { secretLookupHash } from '../secret-box.js';

/**
 * Zalo OA tokens encrypted at rest (issue #10): the tokens become AES-GCM sealed values, which a
 * compare-and-swap cannot match, so each row also keeps a lookup hash of its refresh token. Rows
 * stored before get their hash here; their tokens are sealed at the next start, when the key is
 * known (`sealStoredZaloTokens`), and read as they are until then.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('zalo_oa_tokens').addColumn('refresh_token_hash', 'text').execute();
  const k = db as unknown as Kysely<{ zalo_oa_tokens: { app_id: string; refresh_token: string; refresh_token_hash: string | null } }>;
  for (const row of await k.selectFrom('zalo_oa_tokens').select(['app_id', 'refresh_token']).execute()) {
    await k.updateTable('zalo_oa_tokens').set({ refresh_token_hash: secretLookupHash(row.refresh_token) }).where('app_id', '=', row.app_id).execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('zalo_oa_tokens').dropColumn('refresh_token_hash').execute();
}
