import { createZaloWebhookDriver, type ZaloWebhookDriver } from '../fakes/zalo-oa/driver.js';
import { TEST_APP_ID, TEST_APP_SECRET, TEST_OA_SECRET } from '../fakes/zalo-oa/harness.js';
import { createFakeZaloOa, type FakeZaloOa, type OaSent } from '../fakes/zalo-oa/server.js';
import { createE2E, type E2E } from './e2e-app.js';

/**
 * The whole bot (as `npm start` builds it) with both Telegram and the Zalo OA channel, in front of
 * the fake Bot API and the fake OA server; tokens seeded through the environment, as an operator would.
 */
export async function createZaloE2E(env: Record<string, string> = {}, options: { logLines?: string[] } = {}) {
  const fake: FakeZaloOa = createFakeZaloOa({ appId: TEST_APP_ID, appSecret: TEST_APP_SECRET });
  await fake.start();
  const pair = fake.issueTokens();
  const e: E2E = await createE2E({
    env: {
      ZALO_OA_APP_ID: TEST_APP_ID, ZALO_OA_APP_SECRET: TEST_APP_SECRET, ZALO_OA_SECRET_KEY: TEST_OA_SECRET,
      ZALO_OA_OPENAPI_URL: fake.origin, ZALO_OA_OAUTH_URL: fake.origin, ZALO_OA_ZNS_URL: fake.origin,
      ZALO_OA_ACCESS_TOKEN: pair.access_token, ZALO_OA_REFRESH_TOKEN: pair.refresh_token, ...env,
    },
    ...(options.logLines ? { logLines: options.logLines } : {}),
  });
  const driver: ZaloWebhookDriver = createZaloWebhookDriver({
    url: `http://127.0.0.1:${e.app.httpPort}/webhooks/zalo-oa`, appId: TEST_APP_ID, oaSecretKey: TEST_OA_SECRET,
    onUserEvent: (userId) => fake.openWindow(userId),
  });
  const nextTo = (userId: string, since: number, expect: string | ((s: OaSent) => boolean)): Promise<OaSent> => {
    const pred = typeof expect === 'string' ? (s: OaSent) => s.text.includes(expect) : expect;
    return fake.waitFor(() => fake.sent.slice(since).find((s) => s.userId === userId && pred(s)), 10_000, `zalo message to ${userId}: ${String(expect)}`);
  };
  return {
    e, fake, driver,
    nextTo,
    /** The Zalo user writes (optionally quoting an OA message); resolves with the bot's next matching message. */
    async say(userId: string, text: string, expect: string | ((s: OaSent) => boolean), quoteMsgId?: string): Promise<OaSent & { userMsgId: string }> {
      const n = fake.sent.length;
      const { msgId } = await driver.userText(userId, text, quoteMsgId ? { quoteMsgId } : {});
      return { ...(await nextTo(userId, n, expect)), userMsgId: msgId };
    },
    /** Replies with the number of the choice labelled `label` in the bot's message `menu`. */
    async choose(userId: string, menu: OaSent, label: string, expect: string | ((s: OaSent) => boolean)): Promise<OaSent> {
      const line = menu.text.split('\n').find((l) => /^\d+\. /.test(l) && l.includes(label));
      if (!line) throw new Error(`no choice "${label}" in: ${menu.text}`);
      const n = fake.sent.length;
      await driver.userText(userId, line.split('.')[0]!, { quoteMsgId: menu.messageId });
      return nextTo(userId, n, expect);
    },
    async close(): Promise<void> {
      await e.close();
      await fake.stop();
    },
  };
}

export type ZaloE2E = Awaited<ReturnType<typeof createZaloE2E>>;
