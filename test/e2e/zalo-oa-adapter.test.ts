import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthError, type MessageEvent } from '../../adapters/types.js';
import { createZaloWebhookDriver } from '../fakes/zalo-oa/driver.js';
import { createZaloOaHarness, TEST_APP_ID, TEST_OA_SECRET, type ZaloOaHarness } from '../fakes/zalo-oa/harness.js';
import { OA_ERRORS } from '../fakes/zalo-oa/server.js';
import { runAdapterContract } from '../helpers/adapter-contract.js';

runAdapterContract('zalo-oa (webhook, fake OA server)', () => createZaloOaHarness());

const USER = '2468458835296197922';

describe('zalo-oa adapter against the fake OA', () => {
  let h: ZaloOaHarness;
  beforeEach(async () => { h = await createZaloOaHarness(); });
  afterEach(async () => { await h.teardown(); });

  it('keeps 19-digit ids exact when Zalo writes them as bare numbers', async () => {
    const numeric = createZaloWebhookDriver({ url: h.webhookUrl, appId: TEST_APP_ID, oaSecretKey: TEST_OA_SECRET, numericIds: true });
    const { msgId, status } = await numeric.userText(USER, 'xin chào');
    expect(status).toBe(200);
    const event = await h.waitForEvent((e): e is MessageEvent => e.kind === 'message' && e.messageId === msgId);
    expect(event.from.id).toBe(USER);
    expect(event.chatId).toBe(USER);
    // What a plain JSON.parse of the bare number would have produced:
    expect(String(Number(USER))).not.toBe(USER);
  });

  it('stickers arrive as empty text without files; follow events are acknowledged and ignored', async () => {
    const image = await h.driver.userSticker(USER);
    const follow = await h.driver.follow(USER);
    expect([image.status, follow.status]).toEqual([200, 200]);
    const event = await h.waitForEvent((e): e is MessageEvent => e.kind === 'message' && e.messageId === image.msgId);
    expect(event.text).toBe('');
    expect(event.files).toBeUndefined();
    expect(h.events).toHaveLength(1);
  });

  it('an expired access token during a send refreshes once and retries once', async () => {
    h.fake.expireAccessTokens();
    const before = h.fake.tokenCalls;
    const result = await h.adapter.send(USER, { text: 'Trả lời sau khi làm mới token' });
    expect(h.fake.tokenCalls - before).toBe(1);
    expect(h.fake.sentTo(USER).map((s) => s.messageId)).toEqual([result.messageId]);
    expect(h.fake.calls.filter((c) => c.path === '/v3.0/oa/message/cs').map((c) => c.error)).toEqual([OA_ERRORS.tokenInvalid.code, 0]);
    expect(h.tokenStore.current?.accessToken).not.toBe(undefined);
  });

  it('concurrent sends with an expired token refresh once', async () => {
    h.fake.expireAccessTokens();
    h.fake.setTokenDelay(150);
    const results = await Promise.all(Array.from({ length: 5 }, (_v, i) => h.adapter.send(USER, { text: `tin ${i}` })));
    expect(results).toHaveLength(5);
    expect(h.fake.tokenCalls).toBe(1);
    expect(h.fake.sentTo(USER)).toHaveLength(5);
  });

  it('a rejected refresh token alerts once, stops calling the token endpoint, and sends nothing', async () => {
    h.fake.expireAccessTokens();
    h.fake.revokeRefreshToken();
    for (let i = 0; i < 3; i += 1) {
      await expect(h.adapter.send(USER, { text: 'không gửi được' })).rejects.toBeInstanceOf(AuthError);
    }
    expect(h.fake.tokenCalls).toBe(1);
    expect(h.authFailures).toHaveLength(1);
    expect(h.tokenStore.current?.state).toBe('refresh_rejected');
    expect(h.fake.sent).toEqual([]);
    expect(h.logLines.join('')).not.toContain(h.tokenStore.current?.refreshToken ?? 'never');
  });

  it('a token close to expiry is refreshed before the send, and the new pair is stored first', async () => {
    const old = h.tokenStore.current!;
    h.tokenStore.install({ ...old, accessExpiresAt: new Date(Date.now() + 60_000) });
    await h.adapter.send(USER, { text: 'làm mới sớm' });
    expect(h.fake.tokenCalls).toBe(1);
    expect(h.tokenStore.current?.refreshToken).not.toBe(old.refreshToken);
    expect(h.fake.calls.filter((c) => c.path === '/v3.0/oa/message/cs').map((c) => c.error)).toEqual([0]);
  });

  it.each([
    ['-213 not a follower', OA_ERRORS.notFollower, 'UnreachableError', 'not_follower'],
    ['-232 outside the window', OA_ERRORS.outsideWindowFree, 'UnreachableError', 'outside_window'],
    ['-211 quota', OA_ERRORS.quota, 'RateLimitError', undefined],
    ['-201 bad parameter', OA_ERRORS.badParam, 'BadRequestError', undefined],
  ] as const)('%s maps through the error table', async (_name, error, errorName, reason) => {
    h.fake.failNext(USER, error);
    const thrown = await h.adapter.send(USER, { text: 'x' }).catch((e: unknown) => e);
    expect(thrown).toMatchObject({ name: errorName, ...(reason ? { reason } : {}) });
    expect(h.logLines.some((l) => l.includes(error.message))).toBe(true);
  });
});
