import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, type MessageEvent } from '../../adapters/types.js';
import { OaSetupError, UnlistedOaError } from '../../adapters/zalo-oa/errors.js';
import { ZALO_OA_WEBHOOK_BODY_LIMIT_BYTES } from '../../adapters/zalo-oa/webhook.js';
import { createZaloOaHarness, type ZaloOaHarness } from '../fakes/zalo-oa/harness.js';
import { OA_ERRORS, OAUTH_TRANSIENT, ZNS_ERRORS } from '../fakes/zalo-oa/server.js';

const USER = '2468458835296197922';
const HOUR = 3_600_000;
const QUESTION = 'Khi nào có kết quả xét nghiệm nước sinh hoạt ở phường Bến Nghé?';

/** The Zalo OA behaviours the platform shows and public sources report (README "What is confirmed"). */
describe('zalo-oa adapter as Zalo behaves', () => {
  let h: ZaloOaHarness | undefined;
  afterEach(async () => { await h?.teardown(); h = undefined; });

  describe('webhook', () => {
    it(`refuses a body over ${ZALO_OA_WEBHOOK_BODY_LIMIT_BYTES} bytes with 413 before reading it; a large signed event below the bound is accepted`, async () => {
      h = await createZaloOaHarness();
      const big = await fetch(h.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"x":"${'a'.repeat(ZALO_OA_WEBHOOK_BODY_LIMIT_BYTES)}"}` });
      expect(big.status).toBe(413);
      // 2,000 Vietnamese letters (6 KB of UTF-8), the OA API's own text limit, is far below the bound.
      const escaped = await h.driver.userText(USER, 'ệ'.repeat(2000));
      expect(escaped.status).toBe(200);
    });

    it('a signed event Zalo re-delivers hours late is processed (200); one older than the limit is acknowledged and dropped', async () => {
      const now = new Date();
      h = await createZaloOaHarness({ now: () => now, lateEventMaxAgeMs: 12 * HOUR });
      const late = await h.driver.userText(USER, 'gửi trong lúc bot ngừng', { at: new Date(now.getTime() - 5 * HOUR) });
      expect(late.status).toBe(200);
      const event = await h.waitForEvent((e): e is MessageEvent => e.kind === 'message' && e.messageId === late.msgId);
      expect(event.at.getTime()).toBe(now.getTime() - 5 * HOUR);
      const tooOld = await h.driver.userText(USER, 'quá cũ', { at: new Date(now.getTime() - 13 * HOUR) });
      expect(tooOld.status).toBe(200);
      expect(h.events.map((e) => e.eventId)).toEqual([late.msgId]);
      expect(h.logLines.some((l) => l.includes(tooOld.msgId) && l.includes('dropped'))).toBe(true);
    });

    it('the console can probe the webhook URL (GET and an unsigned POST without an event get 200; nothing is stored)', async () => {
      h = await createZaloOaHarness();
      expect((await fetch(h.webhookUrl)).status).toBe(200);
      expect((await h.driver.postRaw('{}', {})).status).toBe(200);
      const forged = h.driver.buildText(USER, 'giả mạo');
      expect((await h.driver.postRaw(forged.rawBody, { 'x-zevent-signature': 'mac=00' })).status).toBe(401);
      expect(h.events).toEqual([]);
    });

    it('serves Zalo\'s domain verification file at the site root, and the meta tag at / when asked', async () => {
      h = await createZaloOaHarness({ domainVerification: 'MeVd6DceSpupfjWIxOznI1I4', serveSiteRoot: true });
      const file = await fetch(`${h.origin}/zalo_verifierMeVd6DceSpupfjWIxOznI1I4.html`);
      expect(file.status).toBe(200);
      expect(await file.text()).toContain('<meta property="zalo-platform-site-verification" content="MeVd6DceSpupfjWIxOznI1I4" />');
      const root = await fetch(`${h.origin}/`);
      expect(await root.text()).toContain('name="zalo-platform-site-verification" content="MeVd6DceSpupfjWIxOznI1I4"');
      expect((await fetch(`${h.origin}/zalo_verifierOTHER.html`)).status).toBe(404);
    });
  });

  describe('quoting a reply', () => {
    it('when Zalo refuses the quote field, the answer goes again without it, the question quoted in its text', async () => {
      h = await createZaloOaHarness({ quotedText: async (chat, id) => (chat === USER && id === 'user-msg-1' ? QUESTION : undefined) });
      h.fake.refuseField('react_message_id');
      const result = await h.adapter.send(USER, { text: 'Trả lời câu hỏi Q-7: có vào thứ Sáu.', replyTo: 'user-msg-1' });
      const [sent] = h.fake.sentTo(USER);
      expect(sent).toMatchObject({ messageId: result.messageId, text: `«${QUESTION}»\n\nTrả lời câu hỏi Q-7: có vào thứ Sáu.` });
      expect(sent?.quote).toBeUndefined();
      expect(h.fake.calls.filter((c) => c.path === '/v3.0/oa/message/cs').map((c) => c.error)).toEqual([OA_ERRORS.badParam.code, 0]);
    });

    it('after three refusals in a row the process stops sending the field (one request per answer again)', async () => {
      h = await createZaloOaHarness();
      h.fake.refuseField('react_message_id');
      for (let i = 0; i < 4; i += 1) await h.adapter.send(USER, { text: `tin ${i}`, replyTo: `m-${i}` });
      expect(h.fake.calls.filter((c) => c.path === '/v3.0/oa/message/cs').map((c) => c.error))
        .toEqual([-201, 0, -201, 0, -201, 0, 0]);
      expect(h.logLines.some((l) => l.includes('ZALO_OA_QUOTE_FIELD'))).toBe(true);
    });

    it('ZALO_OA_QUOTE_FIELD picks the field a Zalo takes; a field it does not know leaves the answer unthreaded', async () => {
      h = await createZaloOaHarness({ quoteField: 'quote_message_id' }, { quoteField: 'quote_message_id' });
      await h.adapter.send(USER, { text: 'có luồng', replyTo: 'user-msg-2' });
      expect(h.fake.sentTo(USER)[0]?.quote).toBe('user-msg-2');
      await h.teardown();
      h = await createZaloOaHarness({}, { quoteField: 'quote_message_id' });
      await h.adapter.send(USER, { text: 'không có luồng', replyTo: 'user-msg-3' });
      expect(h.fake.sentTo(USER)[0]?.quote).toBeUndefined();
    });
  });

  describe('error codes', () => {
    it.each([
      ['-227 user banned or inactive 45 days', OA_ERRORS.userInactive, 'zalo_user_inactive'],
      ['-244 user refuses this message type', OA_ERRORS.userRefuses, 'zalo_user_refuses_messages'],
    ] as const)('%s: unreachable at once', async (_n, error, reason) => {
      h = await createZaloOaHarness();
      h.fake.failNext(USER, error);
      await expect(h.adapter.send(USER, { text: 'x' })).rejects.toMatchObject({ name: 'UnreachableError', reason });
    });

    it('-210 parameter too long fails the message at once, with a log line saying so', async () => {
      h = await createZaloOaHarness();
      h.fake.failNext(USER, OA_ERRORS.tooLong);
      await expect(h.adapter.send(USER, { text: 'dài' })).rejects.toMatchObject({ name: 'ParameterTooLongError', code: 'bad_request' });
      expect(h.logLines.some((l) => l.includes('too long (-210)'))).toBe(true);
    });

    it.each([
      OA_ERRORS.oaDeleted, OA_ERRORS.oaMissing, OA_ERRORS.appDisabled, OA_ERRORS.oaUnverified,
      OA_ERRORS.oaNoPermission, OA_ERRORS.oaPackage, OA_ERRORS.cloudNotLinked, OA_ERRORS.cloudNoFunds,
    ])('set-up problem $code: an AuthError (the outbox holds the message) and one admin alert however many sends', async (error) => {
      const problems: Array<{ code: number }> = [];
      h = await createZaloOaHarness({ onSetupProblem: (p) => { problems.push(p); } });
      h.fake.failNext(USER, error, 3);
      for (let i = 0; i < 3; i += 1) {
        const thrown = await h.adapter.send(USER, { text: 'x' }).catch((e: unknown) => e);
        expect(thrown).toBeInstanceOf(AuthError);
        expect(thrown).toBeInstanceOf(OaSetupError);
      }
      expect(problems.map((p) => p.code)).toEqual([error.code]);
    });

    it('a code no table lists is retried (transient), keeping Zalo\'s code', async () => {
      h = await createZaloOaHarness();
      h.fake.failNext(USER, { code: -999, message: 'Something new' });
      const thrown = await h.adapter.send(USER, { text: 'x' }).catch((e: unknown) => e);
      expect(thrown).toBeInstanceOf(UnlistedOaError);
      expect(thrown).toMatchObject({ code: 'transient', zaloCode: -999 });
    });
  });

  describe('ZNS has its own codes', () => {
    const request = { phone: '0912345678', templateId: '1', templateData: { inquiry_code: 'Q-1' }, trackingId: 't-1' };

    it('-124 (access token invalid) refreshes the token once and retries once', async () => {
      h = await createZaloOaHarness();
      h.fake.expireAccessTokens();
      expect(await h.adapter.sendTemplate(request)).toMatch(/^[0-9a-f]{32}$/);
      expect(h.fake.calls.filter((c) => c.path === '/message/template').map((c) => c.error)).toEqual([ZNS_ERRORS.tokenInvalid.code, 0]);
      expect(h.fake.tokenCalls).toBe(1);
    });

    it('-118 (no Zalo account for the phone) fails at once, saying so', async () => {
      h = await createZaloOaHarness();
      h.fake.phoneWithoutZalo('84912345678');
      await expect(h.adapter.sendTemplate(request)).rejects.toMatchObject({ name: 'UnreachableError', reason: 'zns_no_zalo_account' });
      expect(h.fake.calls.filter((c) => c.path === '/message/template')).toHaveLength(1);
    });
  });

  describe('token refresh answers', () => {
    it.each(Object.entries(OAUTH_TRANSIENT))('%s is tried again later: the refresh token is not marked rejected and no one is alerted', async (_name, answer) => {
      h = await createZaloOaHarness();
      h.fake.expireAccessTokens();
      h.fake.scriptTokenAnswers(answer);
      const thrown = await h.adapter.send(USER, { text: 'x' }).catch((e: unknown) => e);
      expect(thrown).toMatchObject({ code: answer.httpStatus === 429 ? 'rate_limited' : 'transient' });
      expect(h.tokenStore.current?.state).toBe('ok');
      expect(h.authFailures).toEqual([]);
      await h.adapter.send(USER, { text: 'lần sau được' });
      expect(h.fake.sentTo(USER).map((s) => s.text)).toEqual(['lần sau được']);
    });

    it('a failed early refresh keeps using the access token while it is still valid', async () => {
      h = await createZaloOaHarness();
      const current = h.tokenStore.current!;
      h.tokenStore.install({ ...current, accessExpiresAt: new Date(Date.now() + 60_000) });
      h.fake.scriptTokenAnswers(OAUTH_TRANSIENT.busy);
      await h.adapter.send(USER, { text: 'vẫn gửi được' });
      expect(h.fake.sentTo(USER)).toHaveLength(1);
      expect(h.tokenStore.current?.refreshToken).toBe(current.refreshToken);
    });

    it('Zalo refusing the app secret is a set-up problem: held and alerted once, the refresh token kept', async () => {
      const problems: Array<{ code: number }> = [];
      h = await createZaloOaHarness({ appSecret: 'wrong-app-secret', onSetupProblem: (p) => { problems.push(p); } });
      h.fake.expireAccessTokens();
      for (let i = 0; i < 2; i += 1) await expect(h.adapter.send(USER, { text: 'x' })).rejects.toBeInstanceOf(OaSetupError);
      expect(problems.map((p) => p.code)).toEqual([-14002]);
      expect(h.tokenStore.current?.state).toBe('ok');
      expect(h.authFailures).toEqual([]);
    });
  });
});
