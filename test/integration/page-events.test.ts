import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLiveStreams } from '../../adapters/web/live.js';
import { createSessionManager } from '../../adapters/web/sessions.js';
import { setIdentityLocale, touchIdentity } from '../../db/repositories/identities.js';
import { createWebStore } from '../../db/repositories/web.js';
import { createPageEvents } from '../../src/inbox/page-events.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';

const AT = '2026-12-05T02:00:00.000Z';

describe.each(testDialects())('the web page\'s stream events beyond the timeline (%s)', (dialect) => {
  let db: TestDb;
  beforeEach(async () => { db = await createTestDb(dialect); });
  afterEach(async () => { await db.drop(); });

  it('tells a stream its language on its first poll, then only when it changes (written by anyone: no wake needed), with no event id', async () => {
    const store = createWebStore(db.db);
    const identity = await touchIdentity(db.db, { platform: 'web', platformUserId: 'owner-a', chatId: 'owner-a' }, AT);
    const sessions = createSessionManager({ store, idleTimeoutMs: 60_000, maxAgeMs: 600_000, now: () => Date.parse(AT) });
    const { session } = await sessions.create('owner-a', 0);
    const errors: unknown[] = [];
    const live = createLiveStreams({ store, now: () => Date.parse(AT), pollMs: 20, onError: (err) => { errors.push(err); }, events: createPageEvents({ db: db.db, defaultLocale: 'vi' }) });
    const stream = live.open('owner-a', 0, session.tokenHash, () => undefined);
    const read = stream[Symbol.asyncIterator]();
    expect((await read.next()).value).toBe('event: language\ndata: {"language":"vi"}\n\n');
    // Recorded as another process would (no wake): the next poll finds it, once.
    await setIdentityLocale(db.db, identity.id, 'en', AT);
    expect((await read.next()).value).toBe('event: language\ndata: {"language":"en"}\n\n');
    await store.appendMessage({ chatId: 'owner-a', from: 'bot', text: 'Language set to English.', at: AT });
    // The next chunk is the timeline's entry, not the same language again.
    expect((await read.next()).value).toMatch(/^id: 1\nevent: message\n/);
    live.closeAll();
    expect(errors).toEqual([]);
  });
});
