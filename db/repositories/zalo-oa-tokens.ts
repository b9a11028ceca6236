import type { Db } from '../client.js';
import { isSealed, secretLookupHash, type SecretBox } from '../secret-box.js';

/** A Zalo OA token pair (the shape of `adapters/zalo-oa`'s `ZaloTokenPair`, kept here so db/ imports no adapter). */
export interface ZaloTokenPair {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: Date;
  refreshExpiresAt: Date | null;
}

/** The stored pair and its state. */
export interface ZaloTokenRecord extends ZaloTokenPair {
  state: 'ok' | 'refresh_rejected';
}

/** Compare-and-swap access to one OA's row; structurally the adapter's `ZaloTokenStore`. */
export interface ZaloTokenRepository {
  read(): Promise<ZaloTokenRecord | undefined>;
  tryLease(refreshToken: string, now: Date, until: Date): Promise<boolean>;
  releaseLease(refreshToken: string): Promise<void>;
  replace(previous: string, next: ZaloTokenPair, now: Date): Promise<boolean>;
  markRejected(previous: string, now: Date): Promise<boolean>;
}

/**
 * The database behind the OA adapter's token manager, for one OA (`appId`). Every write names the
 * refresh token it replaces (by its lookup hash), so concurrent processes cannot both install a
 * pair. Tokens are stored sealed by `box`.
 * @throws {SecretsKeyError} from `read` when the stored tokens were sealed under another key.
 */
export function createZaloTokenStore(db: Db, appId: string, box: SecretBox): ZaloTokenRepository {
  const matches = (refreshToken: string) => secretLookupHash(refreshToken);
  return {
    async read(): Promise<ZaloTokenRecord | undefined> {
      const row = await db.selectFrom('zalo_oa_tokens').selectAll().where('app_id', '=', appId).executeTakeFirst();
      if (!row) return undefined;
      return {
        accessToken: box.open(row.access_token), refreshToken: box.open(row.refresh_token), state: row.state,
        accessExpiresAt: new Date(row.access_expires_at),
        refreshExpiresAt: row.refresh_expires_at ? new Date(row.refresh_expires_at) : null,
      };
    },
    async tryLease(refreshToken, now, until) {
      const result = await db.updateTable('zalo_oa_tokens').set({ refresh_lease_until: until.toISOString() })
        .where('app_id', '=', appId).where('refresh_token_hash', '=', matches(refreshToken)).where('state', '=', 'ok')
        .where((eb) => eb.or([eb('refresh_lease_until', 'is', null), eb('refresh_lease_until', '<', now.toISOString())]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async releaseLease(refreshToken) {
      await db.updateTable('zalo_oa_tokens').set({ refresh_lease_until: null })
        .where('app_id', '=', appId).where('refresh_token_hash', '=', matches(refreshToken)).execute();
    },
    async replace(previous, next, now) {
      const result = await db.updateTable('zalo_oa_tokens').set({ ...pairColumns(next, box), state: 'ok', refresh_lease_until: null, updated_at: now.toISOString() })
        .where('app_id', '=', appId).where('refresh_token_hash', '=', matches(previous)).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async markRejected(previous, now) {
      const result = await db.updateTable('zalo_oa_tokens').set({ state: 'refresh_rejected', refresh_lease_until: null, updated_at: now.toISOString() })
        .where('app_id', '=', appId).where('refresh_token_hash', '=', matches(previous)).where('state', '=', 'ok').executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

/** Installs a pair an operator obtained (CLI, or the env seed), replacing whatever is stored; state back to ok. */
export async function installZaloTokens(db: Db, appId: string, pair: ZaloTokenPair, now: Date, box: SecretBox): Promise<void> {
  const values = { ...pairColumns(pair, box), state: 'ok' as const, refresh_lease_until: null, updated_at: now.toISOString() };
  await db.insertInto('zalo_oa_tokens').values({ app_id: appId, ...values })
    .onConflict((oc) => oc.column('app_id').doUpdateSet(values)).execute();
}

/** Installs `pair` only when this OA has no tokens yet (the env seed); true when it did. */
export async function seedZaloTokens(db: Db, appId: string, pair: ZaloTokenPair, now: Date, box: SecretBox): Promise<boolean> {
  const result = await db.insertInto('zalo_oa_tokens')
    .values({ app_id: appId, ...pairColumns(pair, box), state: 'ok', refresh_lease_until: null, updated_at: now.toISOString() })
    .onConflict((oc) => oc.column('app_id').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Seals tokens stored in clear before encryption (rows from an earlier version; the migration gave
 * them their lookup hash). Idempotent; returns how many rows it sealed.
 */
export async function sealStoredZaloTokens(db: Db, box: SecretBox): Promise<number> {
  let sealed = 0;
  for (const row of await db.selectFrom('zalo_oa_tokens').select(['app_id', 'access_token', 'refresh_token']).execute()) {
    if (isSealed(row.access_token) && isSealed(row.refresh_token)) continue;
    // Guarded on the clear values read: a refresh by another process in between wins, already sealed.
    const r = await db.updateTable('zalo_oa_tokens')
      .set({ access_token: box.seal(box.open(row.access_token)), refresh_token: box.seal(box.open(row.refresh_token)), refresh_token_hash: secretLookupHash(box.open(row.refresh_token)) })
      .where('app_id', '=', row.app_id).where('access_token', '=', row.access_token).where('refresh_token', '=', row.refresh_token)
      .executeTakeFirst();
    sealed += Number(r.numUpdatedRows);
  }
  return sealed;
}

function pairColumns(pair: ZaloTokenPair, box: SecretBox) {
  return {
    access_token: box.seal(pair.accessToken), refresh_token: box.seal(pair.refreshToken), refresh_token_hash: secretLookupHash(pair.refreshToken),
    access_expires_at: pair.accessExpiresAt.toISOString(), refresh_expires_at: pair.refreshExpiresAt?.toISOString() ?? null,
  };
}
