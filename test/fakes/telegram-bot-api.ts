/**
 * A local fake of the Telegram Bot API (`POST|GET /bot<token>/<method>`) for e2e tests: the real
 * telegraf client talks HTTP/JSON to it; the test plays users and scripts failures through the
 * driver returned by {@link createFakeTelegram}.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChatStore } from './telegram/chat-store.js';
import { FileStore, type FakeFile } from './telegram/files.js';
import { Faults, type CallInterceptor } from './telegram/faults.js';
import { ApiRefusal, readParams, toChatId, toInteger, writeRefusal, writeResult } from './telegram/http.js';
import { METHODS, type FakeState } from './telegram/methods.js';
import { UpdateQueue, type PollParams } from './telegram/update-queue.js';
import { WebhookPusher, type WebhookRetryOptions } from './telegram/webhook-pusher.js';
import type {
  CallbackAnswerRecord, CallRecord, EditRecord, FailRule, FakeUser, SentRecord, TgMessage, TgUpdate, TgUser,
  WebhookDeliveryRecord,
} from './telegram/types.js';

export type * from './telegram/types.js';
export type { CallInterceptor, InterceptedCall } from './telegram/faults.js';
export { createRateLimiter, type RateLimiter, type RateLimitOptions } from './telegram/rate-limit.js';

/** Options of {@link createFakeTelegram}. */
export interface FakeTelegramOptions {
  /** The only token the fake accepts; any other gets 401 Unauthorized. */
  token: string;
  /** The bot's identity as getMe returns it. Default `{id: 7000001, username: 'liaison_test_bot'}`. */
  bot?: { id?: number; username?: string; first_name?: string };
  /** Webhook push retries. Default 3 attempts, 20 ms × attempt between them. */
  webhookRetry?: Partial<WebhookRetryOptions>;
  /** Extra interceptors (e.g. a rate limiter), run after blocked chats and scripted failures. */
  interceptors?: CallInterceptor[];
  /** Clock for message dates and records. Default the system clock. */
  now?: () => Date;
  /**
   * `instant`: getUpdates answers at once with what is pending (often nothing), whatever its
   * `timeout`, as some Bot API servers and proxies do. Default `long-poll`: a real long poll.
   */
  getUpdates?: 'long-poll' | 'instant';
}

/** A file a user sends: a photo (compressed, no name) or a document (name and type kept). */
export interface UserFile {
  kind: 'photo' | 'document';
  bytes: Buffer;
  name?: string;
  mimeType?: string;
  caption?: string;
  replyTo?: number;
  groupId?: string;
}

/** Options of the driver's wait helpers. */
export interface WaitOptions {
  /** Give up after this many milliseconds. Default 5000. */
  timeoutMs?: number;
}

/** The driver of a fake Bot API server. Records are live arrays, appended as things happen. */
export interface FakeTelegram {
  /** `http://127.0.0.1:<port>`, the `apiRoot` for telegraf; valid after {@link start}. */
  readonly apiRoot: string;
  start(): Promise<void>;
  /** Closes every connection (long polls included) and stops webhook pushes. */
  stop(): Promise<void>;
  /** The user writes to the bot in their private chat; returns the message as Telegram stores it. */
  userSends(user: FakeUser, text: string, options?: { replyTo?: number }): TgMessage;
  /**
   * The user sends a photo or a document (optionally with a caption, as a reply, or as one item
   * of an album: same `groupId`); the bytes are kept for getFile and the download path.
   */
  userSendsFile(user: FakeUser, file: UserFile): TgMessage;
  /** The fake's file storage (what the bot uploaded and what users sent). */
  readonly files: FileStore;
  /** Opens the user's private chat as if they had pressed Start, without sending an update. */
  openChat(user: FakeUser): void;
  /** The user presses an inline button of the bot's message `messageId`; returns the callback query id. */
  userPresses(user: FakeUser, messageId: number, callbackData: string): string;
  /**
   * Delivers an arbitrary (possibly malformed) update as-is. With `assignUpdateId`, an object
   * without `update_id` gets the next one. Returns the update's `update_id` when it is a number.
   */
  injectUpdate(raw: unknown, options?: { assignUpdateId?: boolean }): number | undefined;
  /** Delivers an already-delivered update again, unchanged (Telegram's at-least-once webhooks). */
  replayUpdate(updateId: number): void;
  /** Refuses the next `rule.times` matching calls with `rule.error` (429, 403, 400, 5xx …). */
  failNext(rule: FailRule): void;
  /** Every sending method to this chat now fails with 403 "Forbidden: bot was blocked by the user". */
  blockChat(chatId: number): void;
  unblockChat(chatId: number): void;
  addInterceptor(interceptor: CallInterceptor): void;
  /** Resolves with the first accepted sendMessage matching `predicate`; rejects on timeout. */
  waitForSent(predicate: (sent: SentRecord) => boolean, options?: WaitOptions): Promise<SentRecord>;
  /** Resolves with `probe()`'s first non-empty result, re-checked on every change of the fake. */
  waitFor<T>(probe: () => T | undefined | null | false, options?: WaitOptions & { description?: string }): Promise<T>;
  readonly sent: readonly SentRecord[];
  /** Every accepted edit of a bot message (editMessageText, editMessageReplyMarkup), in order. */
  readonly edits: readonly EditRecord[];
  readonly calls: readonly CallRecord[];
  readonly callbackAnswers: readonly CallbackAnswerRecord[];
  readonly webhookDeliveries: readonly WebhookDeliveryRecord[];
  /** Every update the fake created or was given, in delivery order (replays included). */
  readonly updates: readonly unknown[];
  /** Updates queued for getUpdates or waiting for a webhook push. */
  readonly pendingUpdateCount: number;
  /** A getUpdates long poll is being held open right now. */
  readonly longPollWaiting: boolean;
}

const UNAUTHORIZED = { error_code: 401, description: 'Unauthorized' };
const NOT_FOUND = { error_code: 404, description: 'Not Found' };
const WEBHOOK_ACTIVE = {
  error_code: 409,
  description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
};

/** Creates a fake Bot API server (not yet listening: call `start`). */
export function createFakeTelegram(options: FakeTelegramOptions): FakeTelegram {
  const now = options.now ?? (() => new Date());
  const changes = new EventEmitter().setMaxListeners(0);
  const changed = () => { changes.emit('change'); };
  const records = { calls: [] as CallRecord[], deliveries: [] as WebhookDeliveryRecord[], updates: [] as unknown[] };
  const state: FakeState = {
    bot: toBotUser(options.bot),
    chats: new ChatStore(now),
    queue: new UpdateQueue(changed),
    pusher: new WebhookPusher(
      { attempts: options.webhookRetry?.attempts ?? 3, retryDelayMs: options.webhookRetry?.retryDelayMs ?? 20 },
      (record) => { records.deliveries.push(record); changed(); },
    ),
    callbackQueries: new Map(),
    sent: [],
    edits: [],
    callbackAnswers: [],
    files: new FileStore(),
    now,
  };
  const faults = new Faults();
  for (const interceptor of options.interceptors ?? []) faults.add(interceptor);
  let nextUpdateId = 500_000_001;
  let nextCallbackSeq = 1;

  const publish = (update: unknown) => {
    records.updates.push(update);
    if (state.pusher.target) state.pusher.push(update as TgUpdate);
    else state.queue.enqueue(update as TgUpdate);
    changed();
  };

  const server = createServer((req, res) => {
    void serve(req, res, { token: options.token, state, faults, now, instantPolls: options.getUpdates === 'instant' }).then((call) => {
      records.calls.push(call);
      changed();
    });
  });
  let apiRoot: string | undefined;

  const waitFor: FakeTelegram['waitFor'] = (probe, waitOptions = {}) =>
    waitOnChanges(changes, probe, waitOptions.timeoutMs ?? 5000, waitOptions.description ?? 'a condition');

  return {
    get apiRoot() {
      if (!apiRoot) throw new Error('fake telegram: call start() first');
      return apiRoot;
    },
    async start() {
      await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve); });
      apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async stop() {
      state.pusher.stop();
      state.queue.releaseWaiter();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    userSends(user, text, sendOptions = {}) {
      const chat = state.chats.openPrivateChat(user);
      const replyTo = sendOptions.replyTo === undefined ? undefined : state.chats.get(chat.id, sendOptions.replyTo);
      if (sendOptions.replyTo !== undefined && !replyTo) throw new Error(`fake telegram: no message ${sendOptions.replyTo} in chat ${chat.id}`);
      const message = state.chats.add(chat.id, { from: toTgUser(user), text, replyTo });
      publish({ update_id: nextUpdateId++, message: structuredClone(message) });
      return structuredClone(message);
    },
    userSendsFile(user, f) {
      const chat = state.chats.openPrivateChat(user);
      const replyTo = f.replyTo === undefined ? undefined : state.chats.get(chat.id, f.replyTo);
      const stored: FakeFile = state.files.add(f.bytes, { ...(f.name ? { name: f.name } : {}), ...(f.mimeType ? { mimeType: f.mimeType } : {}), folder: f.kind === 'photo' ? 'photos' : 'documents', ext: f.kind === 'photo' ? 'jpg' : (f.name?.split('.').at(-1) ?? 'dat') });
      const media = f.kind === 'photo'
        ? { photo: [{ file_id: stored.fileId, file_unique_id: stored.fileUniqueId, file_size: stored.bytes.length, width: 1280, height: 960 }] }
        : { document: { file_id: stored.fileId, file_unique_id: stored.fileUniqueId, file_size: stored.bytes.length, ...(f.name ? { file_name: f.name } : {}), ...(f.mimeType ? { mime_type: f.mimeType } : {}) } };
      const message = state.chats.add(chat.id, { from: toTgUser(user), text: f.caption ?? '', media: { ...media, ...(f.groupId ? { media_group_id: f.groupId } : {}) }, replyTo });
      publish({ update_id: nextUpdateId++, message: structuredClone(message) });
      return structuredClone(message);
    },
    get files() { return state.files; },
    openChat(user) {
      state.chats.openPrivateChat(user);
    },
    userPresses(user, messageId, callbackData) {
      const message = state.chats.get(user.id, messageId);
      if (!message) throw new Error(`fake telegram: no message ${messageId} in chat ${user.id}`);
      const id = `${user.id}${String(nextCallbackSeq++).padStart(6, '0')}`;
      state.callbackQueries.set(id, false);
      const callbackQuery = { id, from: toTgUser(user), message: structuredClone(message), chat_instance: String(-user.id), data: callbackData };
      publish({ update_id: nextUpdateId++, callback_query: callbackQuery });
      return id;
    },
    injectUpdate(raw, injectOptions = {}) {
      const update = injectOptions.assignUpdateId && isRecord(raw) && raw.update_id === undefined
        ? { update_id: nextUpdateId++, ...raw }
        : raw;
      publish(update);
      const id = isRecord(update) ? update.update_id : undefined;
      return typeof id === 'number' ? id : undefined;
    },
    replayUpdate(updateId) {
      const update = records.updates.findLast((u) => isRecord(u) && u.update_id === updateId);
      if (update === undefined) throw new Error(`fake telegram: no update ${updateId} to replay`);
      publish(structuredClone(update));
    },
    failNext: (rule) => faults.failNext(rule),
    blockChat: (chatId) => faults.blockChat(chatId),
    unblockChat: (chatId) => faults.unblockChat(chatId),
    addInterceptor: (interceptor) => faults.add(interceptor),
    waitForSent: (predicate, waitOptions = {}) =>
      waitFor(() => state.sent.find(predicate), { ...waitOptions, description: 'a matching sendMessage' }),
    waitFor,
    get sent() { return state.sent; },
    get edits() { return state.edits; },
    get calls() { return records.calls; },
    get callbackAnswers() { return state.callbackAnswers; },
    get webhookDeliveries() { return records.deliveries; },
    get updates() { return records.updates; },
    get pendingUpdateCount() { return state.queue.pendingCount + state.pusher.pendingCount; },
    get longPollWaiting() { return state.queue.isWaiting; },
  };
}

interface ServeContext {
  token: string;
  state: FakeState;
  faults: Faults;
  now: () => Date;
  /** getUpdates ignores its long-poll timeout. */
  instantPolls: boolean;
}

/** Answers one Bot API request; resolves with its record once the answer was written. */
async function serve(req: IncomingMessage, res: ServerResponse, ctx: ServeContext): Promise<CallRecord> {
  const url = new URL(req.url ?? '/', 'http://fake.invalid');
  const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
  if (download && req.method === 'GET') {
    const served = download[1] === ctx.token && ctx.state.files.serveDownload(res, decodeURIComponent(download[2]!));
    if (!served) writeRefusal(res, NOT_FOUND);
    return { method: 'download', params: { path: download[2] }, status: served ? 200 : 404, at: ctx.now() };
  }
  const match = /^\/bot([^/]+)\/([^/]+)$/.exec(url.pathname);
  const method = match?.[2] ?? url.pathname;
  let params: Record<string, unknown> = {};
  let status: number;
  try {
    if (!match) throw new ApiRefusal(NOT_FOUND);
    params = await readParams(req, url);
    if (match[1] !== ctx.token) throw new ApiRefusal(UNAUTHORIZED);
    const refusal = ctx.faults.check({ method, params, chatId: toChatId(params.chat_id), at: ctx.now() });
    if (refusal) throw new ApiRefusal(refusal);
    if (method === 'getUpdates') {
      status = await serveGetUpdates(res, ctx.instantPolls ? { ...params, timeout: 0 } : params, ctx.state);
    } else {
      const handler = METHODS[method];
      if (!handler) throw new ApiRefusal(NOT_FOUND);
      status = writeResult(res, handler(params, ctx.state));
    }
  } catch (err) {
    const refusal = err instanceof ApiRefusal ? err.error : { error_code: 500, description: `Internal Server Error: ${String(err)}` };
    status = writeRefusal(res, refusal);
  }
  return { method, params, status, at: ctx.now() };
}

/** A real long poll: answers when updates arrive, the timeout passes, or a newer poll takes over. */
function serveGetUpdates(res: ServerResponse, params: Record<string, unknown>, state: FakeState): Promise<number> {
  if (state.pusher.target) throw new ApiRefusal(WEBHOOK_ACTIVE);
  return new Promise((resolve) => {
    let settled = false;
    const settle = (status: number) => {
      if (settled) return;
      settled = true;
      resolve(status);
    };
    const cancel = state.queue.poll(toPollParams(params), (outcome) => {
      settle('updates' in outcome ? writeResult(res, outcome.updates) : writeRefusal(res, outcome.refusal));
    });
    // The client aborted (telegraf's stop): forget the waiter; 499 as nginx logs it.
    res.on('close', () => {
      cancel();
      settle(499);
    });
  });
}

function toPollParams(params: Record<string, unknown>): PollParams {
  const allowed = params.allowed_updates;
  return {
    offset: toInteger(params.offset),
    limit: toInteger(params.limit),
    timeoutS: toInteger(params.timeout) ?? 0,
    allowedUpdates: Array.isArray(allowed) ? allowed.filter((k): k is string => typeof k === 'string') : undefined,
  };
}

function waitOnChanges<T>(
  changes: EventEmitter, probe: () => T | undefined | null | false, timeoutMs: number, description: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const value = probe();
      if (value === undefined || value === null || value === false) return;
      cleanup();
      resolve(value);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`fake telegram: timed out after ${timeoutMs} ms waiting for ${description}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      changes.off('change', check);
    };
    changes.on('change', check);
    check();
  });
}

function toBotUser(bot: FakeTelegramOptions['bot'] = {}): TgUser {
  return { id: bot.id ?? 7_000_001, is_bot: true, first_name: bot.first_name ?? 'Liaison Test Bot', username: bot.username ?? 'liaison_test_bot' };
}

function toTgUser(user: FakeUser): TgUser {
  return { ...user, is_bot: false };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
