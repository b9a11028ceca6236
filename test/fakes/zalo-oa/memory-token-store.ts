import type { ZaloTokenPair, ZaloTokenRecord, ZaloTokenStore } from '../../../adapters/zalo-oa/tokens.js';

/** An in-memory {@link ZaloTokenStore} with the database's compare-and-swap semantics (unit tests). */
export function createMemoryTokenStore(initial?: ZaloTokenPair) {
  let record: (ZaloTokenRecord & { leaseUntil?: number }) | undefined = initial ? { ...initial, state: 'ok' } : undefined;
  const store: ZaloTokenStore & { install(pair: ZaloTokenPair): void; readonly current: ZaloTokenRecord | undefined } = {
    get current() { return record; },
    install(pair) { record = { ...pair, state: 'ok' }; },
    async read() { return record ? { ...record } : undefined; },
    async tryLease(refreshToken, now, until) {
      if (!record || record.refreshToken !== refreshToken || (record.leaseUntil ?? 0) > now.getTime()) return false;
      record.leaseUntil = until.getTime();
      return true;
    },
    async releaseLease(refreshToken) {
      if (record?.refreshToken === refreshToken) delete record.leaseUntil;
    },
    async replace(previous, next) {
      if (!record || record.refreshToken !== previous) return false;
      record = { ...next, state: 'ok' };
      return true;
    },
    async markRejected(previous) {
      if (!record || record.refreshToken !== previous || record.state !== 'ok') return false;
      record = { ...record, state: 'refresh_rejected' };
      delete record.leaseUntil;
      return true;
    },
  };
  return store;
}
