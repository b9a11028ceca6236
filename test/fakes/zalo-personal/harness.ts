import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZaloApiError } from 'zca-js';
import { writeCredentials } from '../../../adapters/zalo-personal/credentials.js';
import {
  createZaloPersonalAdapter, type ZaloPersonalAdapter, type ZaloPersonalAdapterOptions,
} from '../../../adapters/zalo-personal/index.js';
import { createEventCollector, fetchedBy, type ContractHarness, type SendFailureKind, type SentView } from '../../helpers/adapter-contract.js';
import { testBox } from '../../helpers/secrets.js';
import { createCapturedLogger } from '../telegram/harness.js';
import { FakeZalo, type FakeSend } from './fake-zca.js';

/**
 * Zalo gives no retry hint on a rate limit, so the adapter waits a configured time; the harness
 * configures the contract's value and refuses any other.
 */
export const CONTRACT_RATE_LIMIT_MS = 3000;

/** A contract harness over the fake seam, plus the fake, the files and the captured log. */
export type ZaloPersonalHarness = ContractHarness & {
  adapter: ZaloPersonalAdapter;
  fake: FakeZalo;
  dir: string;
  credentialsPath: string;
  recentPath: string;
  logLines: string[];
  /** Reasons passed to `onNeedsLogin`, in order. */
  needsLogin: string[];
};

/** Options: overrides of the adapter's options, and whether to save credentials first (default yes). */
export interface ZaloPersonalHarnessOptions {
  adapter?: Partial<ZaloPersonalAdapterOptions>;
  withCredentials?: boolean;
  fake?: FakeZalo;
  /** Reuse this folder (a restart); default a new temp folder. */
  dir?: string;
  /** Wait for the socket to open before returning. Default: when credentials exist. */
  waitConnected?: boolean;
}

/** Starts an adapter over a {@link FakeZalo} with no send pacing (pacing has its own tests) and fast reconnects. */
export async function createZaloPersonalHarness(options: ZaloPersonalHarnessOptions = {}): Promise<ZaloPersonalHarness> {
  const fake = options.fake ?? new FakeZalo();
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'zalo-personal-'));
  const credentialsPath = join(dir, 'zalo-personal', 'credentials.json');
  const recentPath = join(dir, 'zalo-personal', 'recent-messages.jsonl');
  if (options.withCredentials !== false && !options.dir) {
    await writeCredentials(credentialsPath, { cookie: fake.cookies, imei: 'fake-imei-0001', userAgent: 'Mozilla/5.0 (fake)' }, testBox);
  }
  const { logger, lines } = createCapturedLogger();
  const needsLogin: string[] = [];
  const adapter = createZaloPersonalAdapter({
    client: fake, credentialsPath, box: testBox, recentMessagesPath: recentPath, logger,
    sendMinIntervalMs: 0, sendJitterMs: 0, rateLimitRetryMs: CONTRACT_RATE_LIMIT_MS,
    reconnect: { baseMs: 5, maxMs: 50, kickedMs: 100 },
    onNeedsLogin: (reason) => { needsLogin.push(reason); },
    ...options.adapter,
  });
  const collector = createEventCollector();
  await adapter.start(collector.onEvent);
  if (options.waitConnected ?? options.withCredentials !== false) await waitUntil(() => fake.connected, 'the fake socket to open');
  const userMessage = async (userId: string, text: string, replyTo?: string) => {
    const message = fake.userSends(userId, text, replyTo === undefined ? {} : { quoteMsgId: replyTo });
    return { messageId: message.data.msgId };
  };
  return {
    adapter, fake, dir, credentialsPath, recentPath, logLines: lines, needsLogin,
    events: collector.events, waitForEvent: collector.waitForEvent,
    userMessage,
    userCommand: (userId, command, args) => userMessage(userId, `/${command} ${args}`),
    readReceivedFile: fetchedBy(adapter),
    userFile: async (userId, f) => {
      const message = fake.userSendsFile(userId, {
        kind: f.kind === 'image' ? 'photo' : 'file', bytes: f.bytes, ...(f.name ? { name: f.name } : {}), ...(f.caption ? { caption: f.caption } : {}),
      });
      return { messageId: message.data.msgId };
    },
    userPress: async () => { throw new Error('zalo personal has no buttons'); },
    sentTo: (chatId) => fake.sends.filter((s) => s.threadId === chatId).map(toSentView),
    failNextSend: (chatId, kind, retryAfterMs) => {
      if (kind === 'rate_limit' && retryAfterMs !== undefined && retryAfterMs !== CONTRACT_RATE_LIMIT_MS) {
        throw new Error(`zalo personal gives no retry hint; the harness waits ${CONTRACT_RATE_LIMIT_MS} ms`);
      }
      fake.failNextSend(chatId, toZaloError(kind));
    },
    teardown: async () => {
      await adapter.stop();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The zca-js error for each contract failure kind, with Zalo's real codes and texts. */
export function toZaloError(kind: SendFailureKind): Error {
  switch (kind) {
    case 'rate_limit': return new ZaloApiError('Vượt quá số request cho phép', 221);
    case 'blocked': return new ZaloApiError('Không thể nhận tin nhắn từ bạn.', 123);
    case 'not_found': return new ZaloApiError('Bạn chưa thể gửi tin nhắn đến người này vì người này chặn không nhận tin nhắn từ người lạ.', 122);
    case 'server_error': return new ZaloApiError('Request failed with status code 502');
  }
}

function toSentView(sent: FakeSend): SentView {
  return {
    messageId: sent.msgId, text: sent.text, ...(sent.quote ? { replyTo: sent.quote.msgId } : {}),
    ...(sent.file ? { file: { sha256: sent.file.sha256, name: sent.file.name } } : {}),
  };
}

/** Polls `condition` every few ms until true; throws after `timeoutMs` (default 5000). */
export async function waitUntil(condition: () => boolean, description: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
