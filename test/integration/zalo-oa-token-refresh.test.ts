import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createZaloOaAdapter, type ZaloOaAdapter } from '../../adapters/zalo-oa/index.js';
import { createDb, type DbHandle } from '../../db/client.js';
import { createZaloTokenStore, installZaloTokens } from '../../db/repositories/zalo-oa-tokens.js';
import { createCapturedLogger } from '../fakes/telegram/harness.js';
import { TEST_APP_ID, TEST_APP_SECRET, TEST_OA_SECRET } from '../fakes/zalo-oa/harness.js';
import { createFakeZaloOa, type FakeZaloOa } from '../fakes/zalo-oa/server.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { createSecretBox } from '../../db/secret-box.js';

/** Every process of a deployment shares one key. */
const box = createSecretBox(Buffer.alloc(32, 7));

const USERS = ['2468458835296197922', '2468458835296197923', '2468458835296197924'];

describe.each(testDialects())('zalo-oa token refresh across processes (%s)', (dialect) => {
  let db: TestDb;
  let second: DbHandle;
  let fake: FakeZaloOa;

  beforeEach(async () => {
    db = await createTestDb(dialect);
    second = createDb({ url: db.url, ...(db.pgSchema ? { pgSchema: db.pgSchema } : {}) });
    fake = createFakeZaloOa({ appId: TEST_APP_ID, appSecret: TEST_APP_SECRET });
    await fake.start();
  });
  afterEach(async () => {
    await second.close();
    await db.drop();
    await fake.stop();
  });

  /** One bot process: its own database handle, token store and adapter. */
  const processOn = (handle: DbHandle, authFailures: string[]): ZaloOaAdapter => createZaloOaAdapter({
    appId: TEST_APP_ID, appSecret: TEST_APP_SECRET, oaSecretKey: TEST_OA_SECRET,
    openapiUrl: fake.origin, oauthUrl: fake.origin, znsUrl: fake.origin, tokenStore: createZaloTokenStore(handle.db, TEST_APP_ID, box),
    refreshMarginMs: 10 * 60_000, lateEventMaxAgeMs: 24 * 3_600_000, paidWindow: false, now: () => new Date(),
    logger: createCapturedLogger().logger, onAuthFailure: (reason) => { authFailures.push(reason); },
  });

  it('two processes refreshing at once against single-use refresh tokens: one refresh call, both use the new pair, nothing rejected', async () => {
    const pair = fake.issueTokens();
    // Inside the refresh margin, so every send refreshes first; the old access token is dead too.
    await installZaloTokens(db.db, TEST_APP_ID, {
      accessToken: pair.access_token, refreshToken: pair.refresh_token, accessExpiresAt: new Date(Date.now() + 60_000), refreshExpiresAt: null,
    }, new Date(), box);
    fake.expireAccessTokens();
    fake.setTokenDelay(300);
    const failures: string[] = [];
    const a = processOn(db, failures);
    const b = processOn(second, failures);

    const results = await Promise.all(USERS.flatMap((user) => [a, b].map((adapter) => adapter.send(user, { text: `Tin từ ${user}` }))));

    expect(results).toHaveLength(USERS.length * 2);
    const tokenCalls = fake.calls.filter((c) => c.path === '/v4/oa/access_token');
    expect(tokenCalls.map((c) => c.error)).toEqual([0]);
    expect(fake.sent).toHaveLength(USERS.length * 2);
    expect(fake.calls.filter((c) => c.path === '/v3.0/oa/message/cs' && c.error !== 0)).toEqual([]);
    expect(failures).toEqual([]);
    for (const handle of [db, second]) {
      const stored = await createZaloTokenStore(handle.db, TEST_APP_ID, box).read();
      expect(stored?.state).toBe('ok');
      expect(stored?.refreshToken).not.toBe(pair.refresh_token);
      expect(stored?.accessExpiresAt.getTime()).toBeGreaterThan(Date.now() + 3_600_000);
    }
  });
});
