import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slotPaths } from '../../adapters/web/http.js';
import { createSessionManager } from '../../adapters/web/sessions.js';
import { createWebStore } from '../../db/repositories/web.js';
import { createReaderResolver } from '../../src/dashboard/auth.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { linkChat, seedMiniNetwork, type MiniNetwork } from '../helpers/directory-fixture.js';

const AT = '2026-12-05T02:00:00.000Z';
const LIFETIMES = { idleTimeoutMs: 3_600_000, maxAgeMs: 86_400_000, now: () => Date.parse(AT) };

describe.each(testDialects())('who reads the dashboard, from the slot\'s session (%s)', (dialect) => {
  let db: TestDb;
  let net: MiniNetwork;
  beforeEach(async () => {
    db = await createTestDb(dialect);
    net = await seedMiniNetwork(db.db);
  });
  afterEach(async () => { await db.drop(); });

  /** A request carrying the session cookie of a new session of `ownerId` in slot 2. */
  async function requestOf(ownerId: string) {
    const sessions = createSessionManager({ store: createWebStore(db.db), ...LIFETIMES });
    const { token } = await sessions.create(ownerId, 2);
    return { headers: { cookie: `${slotPaths(2).cookieName}=${token}` }, rawBody: Buffer.alloc(0), query: {}, ip: '127.0.0.1' };
  }

  it('an invite still being bound by the flow is "pending" (the page asks again), not a refusal; once bound, the coordinator reads their scope', async () => {
    const readers = createReaderResolver({ db: db.db, ...LIFETIMES });
    const req = await requestOf('owner-new');
    // The sign-in answered, but the flow that binds the invite's person has not committed yet.
    expect(await readers.resolve(req, 2)).toBe('pending');
    await linkChat(db.db, net.coordinatorId, 'web', 'owner-new');
    const reader = await readers.resolve(req, 2);
    expect(reader).toMatchObject({ personId: net.coordinatorId, recordsOnly: false });
  });

  it('a reporter, once bound, has no standing (null), and a slot without a session has none at all (undefined)', async () => {
    const readers = createReaderResolver({ db: db.db, ...LIFETIMES });
    const req = await requestOf('owner-reporter');
    await linkChat(db.db, net.reporterId, 'web', 'owner-reporter');
    expect(await readers.resolve(req, 2)).toBeNull();
    expect(await readers.resolve({ ...req, headers: {} }, 2)).toBeUndefined();
  });
});
