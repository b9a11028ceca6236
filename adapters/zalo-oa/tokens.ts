import type { Logger } from 'pino';
import { AuthError, TransientError } from '../types.js';

/** `refresh_rejected`: Zalo refused our refresh token; nothing calls the token endpoint until an operator installs new tokens. */
export type ZaloTokenState = 'ok' | 'refresh_rejected';

/** An access/refresh token pair and when each expires. */
export interface ZaloTokenPair {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: Date;
  /** Zalo does not say; 3 months after issue per its documentation. */
  refreshExpiresAt: Date | null;
}

/** The stored pair of one OA. */
export interface ZaloTokenRecord extends ZaloTokenPair {
  state: ZaloTokenState;
}

/**
 * Where tokens live (the database, shared by every process). Every write is a compare-and-swap on
 * the refresh token it replaces, so two processes can never both install a pair.
 */
export interface ZaloTokenStore {
  read(): Promise<ZaloTokenRecord | undefined>;
  /** Takes the refresh lease until `until` if the stored refresh token is `refreshToken` and no unexpired lease exists. */
  tryLease(refreshToken: string, now: Date, until: Date): Promise<boolean>;
  /** Drops our lease (the refresh failed transiently). */
  releaseLease(refreshToken: string): Promise<void>;
  /** Installs `next` (state ok, lease cleared) only while the stored refresh token is still `previous`. */
  replace(previous: string, next: ZaloTokenPair, now: Date): Promise<boolean>;
  /** Sets `refresh_rejected` while the stored refresh token is `previous` and the state is ok; true when this call changed it. */
  markRejected(previous: string, now: Date): Promise<boolean>;
}

/**
 * What the OAuth endpoint said about one refresh token: a new pair, or the token itself refused.
 * Anything else throws (TransientError or RateLimitError to try again; an AuthError for a set-up problem).
 */
export type RefreshOutcome = { kind: 'ok'; pair: ZaloTokenPair } | { kind: 'rejected'; message: string };

/** Options of {@link createTokenManager}. */
export interface TokenManagerOptions {
  store: ZaloTokenStore;
  /** Calls Zalo's token endpoint once. */
  refresh(refreshToken: string): Promise<RefreshOutcome>;
  now(): Date;
  /** Refresh this long before the access token expires, in ms. */
  refreshMarginMs: number;
  /** How long one process may hold the refresh lease, in ms. Default 30 000. */
  leaseMs?: number;
  /** Poll interval while another process refreshes, in ms. Default 100. */
  pollMs?: number;
  /** Called once when Zalo rejects our refresh token (the state changed to `refresh_rejected`). */
  onAuthFailure?(reason: string): Promise<void> | void;
  logger: Logger;
}

/** Hands out valid access tokens; refreshes early, once, under a lock, persisting the new pair first. */
export interface TokenManager {
  /** A token valid for at least the refresh margin. Throws AuthError (no tokens, rejected) or TransientError. */
  accessToken(): Promise<string>;
  /** Zalo refused `usedToken` (-216/-220): a newer stored token, or a refreshed one. */
  renewAfterRejection(usedToken: string): Promise<string>;
}

const NO_TOKENS = 'zalo-oa: no tokens installed; run `liaison zalo-oa tokens --access … --refresh …`';
const REJECTED = 'zalo-oa: the refresh token was rejected; install new tokens with `liaison zalo-oa tokens`';

/** Creates the token manager of one OA. */
export function createTokenManager(o: TokenManagerOptions): TokenManager {
  const leaseMs = o.leaseMs ?? 30_000;
  const pollMs = o.pollMs ?? 100;
  const inflight = new Map<string, Promise<ZaloTokenRecord>>();

  const load = async (): Promise<ZaloTokenRecord> => {
    const record = await o.store.read();
    if (!record) throw new AuthError(NO_TOKENS);
    if (record.state === 'refresh_rejected') throw new AuthError(REJECTED);
    return record;
  };

  // In-process single flight per stale refresh token; across processes, the lease in the store.
  const refreshFrom = (stale: string): Promise<ZaloTokenRecord> => {
    let running = inflight.get(stale);
    if (!running) {
      running = doRefresh(stale).finally(() => inflight.delete(stale));
      inflight.set(stale, running);
    }
    return running;
  };

  const waitForLease = async (stale: string): Promise<ZaloTokenRecord | 'leased'> => {
    const giveUpAt = Date.now() + 2 * leaseMs;
    for (;;) {
      const record = await load();
      if (record.refreshToken !== stale) return record;
      const now = o.now();
      if (await o.store.tryLease(stale, now, new Date(now.getTime() + leaseMs))) return 'leased';
      if (Date.now() > giveUpAt) throw new TransientError('zalo-oa: another process is still refreshing the token');
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  };

  const doRefresh = async (stale: string): Promise<ZaloTokenRecord> => {
    const waited = await waitForLease(stale);
    if (waited !== 'leased') return waited;
    let outcome: RefreshOutcome;
    try {
      outcome = await o.refresh(stale);
    } catch (err) {
      await o.store.releaseLease(stale).catch(() => undefined);
      throw err;
    }
    if (outcome.kind === 'ok') {
      // Persisted before anyone uses it: the old refresh token is spent now.
      if (await o.store.replace(stale, outcome.pair, o.now())) {
        o.logger.info({ accessExpiresAt: outcome.pair.accessExpiresAt.toISOString() }, 'zalo-oa: access token refreshed');
        return { ...outcome.pair, state: 'ok' };
      }
      return load();
    }
    const changed = await o.store.markRejected(stale, o.now());
    o.logger.error({ zaloMessage: outcome.message }, 'zalo-oa: refresh token rejected; token refresh stopped until new tokens are installed');
    if (changed) await notify(o, outcome.message);
    throw new AuthError(REJECTED);
  };

  return {
    async accessToken() {
      const record = await load();
      const now = o.now().getTime();
      if (record.accessExpiresAt.getTime() - o.refreshMarginMs > now) return record.accessToken;
      try {
        return (await refreshFrom(record.refreshToken)).accessToken;
      } catch (err) {
        // An early refresh that failed for now (429, 5xx, a busy answer) need not stop a send while
        // the current token still works; the next send tries the refresh again.
        if (err instanceof AuthError || record.accessExpiresAt.getTime() <= now) throw err;
        o.logger.warn({ error: err instanceof Error ? err.message : String(err) }, 'zalo-oa: early token refresh failed; using the current token until it expires');
        return record.accessToken;
      }
    },
    async renewAfterRejection(usedToken) {
      const record = await load();
      if (record.accessToken !== usedToken) return record.accessToken;
      return (await refreshFrom(record.refreshToken)).accessToken;
    },
  };
}

async function notify(o: TokenManagerOptions, reason: string): Promise<void> {
  try {
    await o.onAuthFailure?.(reason);
  } catch (err) {
    o.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'zalo-oa: alerting the admins failed');
  }
}
