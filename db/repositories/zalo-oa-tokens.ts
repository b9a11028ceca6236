import type { Db } from '../client.js';

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
 * refresh token it replaces, so concurrent processes cannot both install a pair.
 */
export function createZaloTokenStore(db: Db, appId: string): ZaloTokenRepository {
  return {
    async read(): Promise<ZaloTokenRecord | undefined> {
      const row = await db.selectFrom('zalo_oa_tokens').selectAll().where('app_id', '=', appId).executeTakeFirst();
      if (!row) return undefined;
      return {
        accessToken: row.access_token, refreshToken: row.refresh_token, state: row.state,
        accessExpiresAt: new Date(row.access_expires_at),
        refreshExpiresAt: row.refresh_expires_at ? new Date(row.refresh_expires_at) : null,
      };
    },
    async tryLease(refreshToken, now, until) {
      const result = await db.updateTable('zalo_oa_tokens').set({ refresh_lease_until: until.toISOString() })
        .where('app_id', '=', appId).where('refresh_token', '=', refreshToken).where('state', '=', 'ok')
        .where((eb) => eb.or([eb('refresh_lease_until', 'is', null), eb('refresh_lease_until', '<', now.toISOString())]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async releaseLease(refreshToken) {
      await db.updateTable('zalo_oa_tokens').set({ refresh_lease_until: null })
        .where('app_id', '=', appId).where('refresh_token', '=', refreshToken).execute();
    },
    async replace(previous, next, now) {
      const result = await db.updateTable('zalo_oa_tokens').set({ ...pairColumns(next), state: 'ok', refresh_lease_until: null, updated_at: now.toISOString() })
        .where('app_id', '=', appId).where('refresh_token', '=', previous).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async markRejected(previous, now) {
      const result = await db.updateTable('zalo_oa_tokens').set({ state: 'refresh_rejected', refresh_lease_until: null, updated_at: now.toISOString() })
        .where('app_id', '=', appId).where('refresh_token', '=', previous).where('state', '=', 'ok').executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

/** Installs a pair an operator obtained (CLI, or the env seed), replacing whatever is stored; state back to ok. */
export async function installZaloTokens(db: Db, appId: string, pair: ZaloTokenPair, now: Date): Promise<void> {
  const values = { ...pairColumns(pair), state: 'ok' as const, refresh_lease_until: null, updated_at: now.toISOString() };
  await db.insertInto('zalo_oa_tokens').values({ app_id: appId, ...values })
    .onConflict((oc) => oc.column('app_id').doUpdateSet(values)).execute();
}

/** Installs `pair` only when this OA has no tokens yet (the env seed); true when it did. */
export async function seedZaloTokens(db: Db, appId: string, pair: ZaloTokenPair, now: Date): Promise<boolean> {
  const result = await db.insertInto('zalo_oa_tokens')
    .values({ app_id: appId, ...pairColumns(pair), state: 'ok', refresh_lease_until: null, updated_at: now.toISOString() })
    .onConflict((oc) => oc.column('app_id').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

function pairColumns(pair: ZaloTokenPair) {
  return {
    access_token: pair.accessToken, refresh_token: pair.refreshToken,
    access_expires_at: pair.accessExpiresAt.toISOString(), refresh_expires_at: pair.refreshExpiresAt?.toISOString() ?? null,
  };
}
