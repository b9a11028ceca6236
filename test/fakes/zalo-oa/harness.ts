import { createZaloOaAdapter, type ZaloOaAdapter, type ZaloOaAdapterOptions } from '../../../adapters/zalo-oa/index.js';
import type { ZaloTokenStore } from '../../../adapters/zalo-oa/tokens.js';
import { createHttpServer } from '../../../src/http/server.js';
import { createEventCollector, fetchedBy, type ContractHarness, type SendFailureKind, type SentView } from '../../helpers/adapter-contract.js';
import { createCapturedLogger } from '../telegram/harness.js';
import { createZaloWebhookDriver, type ZaloWebhookDriver } from './driver.js';
import { createMemoryTokenStore } from './memory-token-store.js';
import { createFakeZaloOa, OA_ERRORS, type FakeZaloOa, type FakeZaloOaOptions, type OaScriptedError } from './server.js';

export const TEST_APP_ID = '1234567890123456789';
export const TEST_APP_SECRET = 'app-secret-for-tests-0123';
export const TEST_OA_SECRET = 'oa-secret-key-for-tests-4567';

/** A contract harness over the fake OA, plus the pieces tests poke directly. */
export type ZaloOaHarness = ContractHarness & {
  adapter: ZaloOaAdapter;
  fake: FakeZaloOa;
  driver: ZaloWebhookDriver;
  /** Full URL of the adapter's webhook on the local HTTP server. */
  webhookUrl: string;
  /** Origin of the local HTTP server (`http://127.0.0.1:<port>`). */
  origin: string;
  tokenStore: ReturnType<typeof createMemoryTokenStore>;
  logLines: string[];
  authFailures: string[];
};

/** Starts a fake OA, the adapter (tokens in memory) and an HTTP server carrying its webhook. */
export async function createZaloOaHarness(
  overrides: Partial<ZaloOaAdapterOptions> & { tokenStore?: ZaloTokenStore } = {}, fakeOptions: Partial<FakeZaloOaOptions> = {},
): Promise<ZaloOaHarness> {
  const fake = createFakeZaloOa({ appId: TEST_APP_ID, appSecret: TEST_APP_SECRET, ...fakeOptions });
  await fake.start();
  const pair = fake.issueTokens();
  const tokenStore = createMemoryTokenStore({
    accessToken: pair.access_token, refreshToken: pair.refresh_token, accessExpiresAt: new Date(Date.now() + 25 * 3_600_000), refreshExpiresAt: null,
  });
  const { logger, lines } = createCapturedLogger();
  const authFailures: string[] = [];
  const adapter = createZaloOaAdapter({
    appId: TEST_APP_ID, appSecret: TEST_APP_SECRET, oaSecretKey: TEST_OA_SECRET,
    openapiUrl: fake.origin, oauthUrl: fake.origin, znsUrl: fake.origin, tokenStore,
    refreshMarginMs: 10 * 60_000, lateEventMaxAgeMs: 24 * 3_600_000, paidWindow: false, now: () => new Date(), logger,
    onAuthFailure: (reason) => { authFailures.push(reason); },
    ...overrides,
  });
  const collector = createEventCollector();
  await adapter.start(collector.onEvent);
  const http = createHttpServer({
    host: '127.0.0.1', port: 0, logger, webhooks: [adapter.webhook!], routes: adapter.routes ?? [], health: async () => ({ ok: true, details: {} }),
  });
  const { port } = await http.start();
  const webhookUrl = `http://127.0.0.1:${port}${adapter.webhook!.path}`;
  const driver = createZaloWebhookDriver({ url: webhookUrl, appId: TEST_APP_ID, oaSecretKey: TEST_OA_SECRET, onUserEvent: (u) => fake.openWindow(u) });
  return {
    adapter, fake, driver, webhookUrl, origin: `http://127.0.0.1:${port}`, tokenStore, logLines: lines, authFailures,
    events: collector.events, waitForEvent: collector.waitForEvent,
    userMessage: async (userId, text, replyTo) => ({ messageId: (await driver.userText(userId, text, replyTo ? { quoteMsgId: replyTo } : {})).msgId }),
    userCommand: async (userId, command, args) => ({ messageId: (await driver.userText(userId, `/${command} ${args}`)).msgId }),
    readReceivedFile: fetchedBy(adapter),
    userFile: async (userId, f) => {
      const url = fake.hostMedia(f.bytes, f.mimeType, f.name ?? 'photo.jpg');
      const sent = f.kind === 'image' ? await driver.userImage(userId, url, f.caption) : await driver.userFile(userId, { url, name: f.name ?? 'file', size: f.bytes.length });
      return { messageId: sent.msgId };
    },
    userPress: () => Promise.reject(new Error('Zalo OA text has no buttons')),
    sentTo: (chatId) => fake.sentTo(chatId).map((s): SentView => ({
      messageId: s.messageId, text: s.text, ...(s.quote ? { replyTo: s.quote } : {}), ...(s.file ? { file: { sha256: s.file.sha256, name: s.file.name } } : {}),
    })),
    failNextSend: (chatId, kind, retryAfterMs) => { fake.failNext(chatId, toScripted(kind, retryAfterMs)); },
    teardown: async () => {
      await adapter.stop();
      await http.close();
      await fake.stop();
    },
  };
}

/** The OA refusal for each contract failure kind. */
export function toScripted(kind: SendFailureKind, retryAfterMs = 1000): OaScriptedError {
  switch (kind) {
    case 'rate_limit': return { ...OA_ERRORS.rate, retryAfterS: Math.ceil(retryAfterMs / 1000) };
    case 'blocked': return OA_ERRORS.notFollower;
    case 'not_found': return OA_ERRORS.outsideWindow;
    case 'server_error': return { code: 0, message: 'Bad Gateway', httpStatus: 502 };
  }
}
