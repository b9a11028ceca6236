import type { Logger } from 'pino';
import { Telegraf } from 'telegraf';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import {
  BadRequestError, TransientError,
  type AdapterCapabilities, type Button, type ChatAdapter, type ChatError, type InboundFile, type InboundHandler, type OutboundMessage, type SendOptions, type SendResult,
  type WebhookRequest, type WebhookResponse,
} from '../types.js';
import { createUpdateDispatcher } from './dispatch.js';
import { untilReachable } from './reach.js';
import { createTokenScrubber, toChatError, toScrubbedError } from './errors.js';
import { ALLOWED_UPDATES, startPolling, type PollingHandle } from './polling.js';
import { boundTelegramRequests } from './timeout.js';
import { useJsonTransport } from './transport.js';
import { editTelegramButtons, editTelegramMessage, sendTelegramMessage, TELEGRAM_MAX_TEXT_LENGTH, type TelegramFileIds } from './send.js';
import { createWebhookHandler, TELEGRAM_WEBHOOK_PATH } from './webhook.js';

export { TELEGRAM_WEBHOOK_PATH } from './webhook.js';

/** Options of {@link createTelegramAdapter}. */
export interface TelegramAdapterOptions {
  /** Bot token from @BotFather. Never logged; scrubbed from every error message. */
  token: string;
  /** Bot API origin without a path, e.g. `https://api.telegram.org` or a local fake's `http://127.0.0.1:1234`. */
  apiRoot: string;
  /** `polling`: long-poll getUpdates (one process only). `webhook`: Telegram POSTs to {@link webhookUrl}. */
  mode: 'polling' | 'webhook';
  /** Required in webhook mode: echoed by Telegram in `X-Telegram-Bot-Api-Secret-Token`; 1–256 of `A-Za-z0-9_-`. */
  webhookSecret?: string;
  /** Required in webhook mode: the full public URL registered with setWebhook on `start`. */
  webhookUrl?: string;
  logger: Logger;
  /** Long-poll timeout of each getUpdates call, in seconds. Default 30. */
  pollingTimeoutS?: number;
  /** Bound of every other Bot API request, in ms (file uploads: 10 times it); a timeout is a TransientError. Default 30000. */
  requestTimeoutMs?: number;
  /** Remembered `file_id`s of this bot's uploads, keyed by the bot's id and the bytes' SHA-256; absent: always upload. */
  fileIds?: (botId: string) => TelegramFileIds;
  /** Whether a press of `action` settles its message: the keyboard then shows only the chosen button, marked (see settle.ts). */
  settles?: (action: string) => boolean;
}

/** The Telegram {@link ChatAdapter}, plus the bot's own username. */
export type TelegramAdapter = ChatAdapter & {
  /** The bot's `@username` without `@`, from getMe (called once, then cached). Throws ChatError. */
  botUsername(): Promise<string>;
};

/** What the Telegram adapter supports. */
export const TELEGRAM_CAPABILITIES: AdapterCapabilities = Object.freeze({
  buttons: true, replies: true, maxTextLength: TELEGRAM_MAX_TEXT_LENGTH, edits: true, startLinks: true,
  // The Bot API's limits for bots: getFile serves files up to 20 MB, uploads take up to 50 MB.
  files: Object.freeze({ maxUploadBytes: 50 * 1024 * 1024, maxDownloadBytes: 20 * 1024 * 1024, kinds: Object.freeze(['image', 'document', 'video', 'audio'] as const) }),
});

const DEFAULT_POLLING_TIMEOUT_S = 30;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Builds the Telegram adapter; nothing touches the network until `start`, `send` or `botUsername`. */
export function createTelegramAdapter(options: TelegramAdapterOptions): TelegramAdapter {
  assertValidOptions(options);
  const scrub = createTokenScrubber(options.token);
  const toError = (err: unknown) => toChatError(err, scrub);
  const state: AdapterState = { stopped: false, inflight: new Set() };
  const bot = createBot(options, scrub, () => state.onEvent);
  const botUsername = createBotUsername(bot, toError);
  const fileIds = options.fileIds?.(options.token.split(':')[0] ?? '');
  return {
    platform: 'telegram',
    capabilities: TELEGRAM_CAPABILITIES,
    botUsername,
    ...(options.mode === 'webhook' ? { webhook: createWebhook(bot, options, state) } : {}),
    async start(onEvent: InboundHandler): Promise<void> {
      if (state.onEvent || state.stopped) throw new Error('telegram adapter: start() may be called once, before stop()');
      state.onEvent = onEvent;
      try {
        const reach = { logger: options.logger, stopped: () => state.stopped };
        await untilReachable('getMe', botUsername, reach);
        if (options.mode === 'webhook') {
          await untilReachable('setWebhook', () => bot.telegram.setWebhook(options.webhookUrl ?? '', {
            secret_token: options.webhookSecret, allowed_updates: [...ALLOWED_UPDATES],
          }).catch((err: unknown) => { throw toError(err); }), reach);
          return;
        }
      } catch (err) {
        state.onEvent = undefined;
        throw err;
      }
      if (state.stopped) return; // stop() was called while getMe was in flight
      const timeoutS = options.pollingTimeoutS ?? DEFAULT_POLLING_TIMEOUT_S;
      state.polling = startPolling(bot, { timeoutS, logger: options.logger, scrub });
    },
    stop(): Promise<void> {
      state.stopping ??= (async () => {
        state.stopped = true;
        await state.polling?.stop();
        await Promise.allSettled([...state.inflight]);
      })();
      return state.stopping;
    },
    send(chatId: string, message: OutboundMessage, sendOptions?: SendOptions): Promise<SendResult> {
      return sendTelegramMessage({ telegram: bot.telegram, toError, ...(fileIds ? { fileIds } : {}) }, chatId, message, sendOptions);
    },
    fetchFile: (file: InboundFile) => fetchTelegramFile(bot, options, file, toError),
    edit(chatId: string, messageId: string, message: OutboundMessage): Promise<void> {
      return editTelegramMessage({ telegram: bot.telegram, toError }, chatId, messageId, message);
    },
    editButtons(chatId: string, messageId: string, buttons: Button[][]): Promise<void> {
      return editTelegramButtons({ telegram: bot.telegram, toError }, chatId, messageId, buttons);
    },
  };
}

/**
 * getFile, then the file's bytes from `<apiRoot>/file/bot<token>/<file_path>`, streamed. The URL
 * holds the token: it never leaves this function, and errors are scrubbed.
 */
async function fetchTelegramFile(bot: Telegraf, options: TelegramAdapterOptions, file: InboundFile, toError: (err: unknown) => ChatError): Promise<Readable> {
  const info = await bot.telegram.getFile(file.ref).catch((err: unknown) => { throw toError(err); });
  if (!info.file_path) throw new BadRequestError('telegram getFile gave no file_path');
  let res: Response;
  try {
    res = await fetch(`${options.apiRoot}/file/bot${options.token}/${info.file_path}`);
  } catch (err) {
    throw new TransientError(`telegram file download failed: ${err instanceof Error ? err.name : 'error'}`);
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    throw res.status >= 500 || res.status === 429 ? new TransientError(`telegram file download: HTTP ${res.status}`) : new BadRequestError(`telegram file download: HTTP ${res.status}`);
  }
  return Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
}

interface AdapterState {
  onEvent?: InboundHandler;
  stopped: boolean;
  polling?: PollingHandle;
  stopping?: Promise<void>;
  /** Webhook updates being handled, so `stop` can wait for them. */
  inflight: Set<Promise<unknown>>;
}

function createBot(
  options: TelegramAdapterOptions, scrub: (text: string) => string, handler: () => InboundHandler | undefined,
): Telegraf {
  const { logger } = options;
  const bot = new Telegraf(options.token, { telegram: { apiRoot: options.apiRoot, webhookReply: false } });
  useJsonTransport(bot.telegram, options);
  boundTelegramRequests(bot.telegram, options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
  // telegraf's default handler prints the whole update (personal data) to stderr and rethrows.
  bot.catch((err, ctx) => {
    logger.error({ err: toScrubbedError(err, scrub), updateId: ctx.update.update_id }, 'telegram update handling failed');
    // Rethrown so the update is delivered again: webhook → 500 (Telegram retries), polling → our
    // loop does not move the offset past it.
    throw err;
  });
  const dispatch = createUpdateDispatcher({
    logger, scrub, handler, now: () => new Date(),
    answerCallbackQuery: (id) => bot.telegram.answerCbQuery(id),
    ...(options.settles ? { settles: options.settles } : {}),
    editKeyboard: (s) => bot.telegram.editMessageReplyMarkup(s.chatId, s.messageId, undefined, s.keyboard),
  });
  bot.use((ctx) => dispatch(ctx.update));
  return bot;
}

/** getMe once, cached; also sets `bot.botInfo` so telegraf never calls getMe per update. */
function createBotUsername(bot: Telegraf, toError: (err: unknown) => Error): () => Promise<string> {
  let me: Promise<string> | undefined;
  return () => {
    me ??= bot.telegram.getMe().then((info) => {
      bot.botInfo = info;
      return info.username;
    }, (err: unknown) => {
      me = undefined;
      throw toError(err);
    });
    return me;
  };
}

function createWebhook(
  bot: Telegraf, options: TelegramAdapterOptions, state: AdapterState,
): NonNullable<ChatAdapter['webhook']> {
  const handle = createWebhookHandler({
    secret: options.webhookSecret ?? '',
    logger: options.logger,
    isReceiving: () => state.onEvent !== undefined && !state.stopped && bot.botInfo !== undefined,
    handleUpdate: (update) => track(state.inflight, bot.handleUpdate(update as unknown as Parameters<Telegraf['handleUpdate']>[0])),
  });
  return { path: TELEGRAM_WEBHOOK_PATH, handle: (req: WebhookRequest): Promise<WebhookResponse> => handle(req) };
}

function track<T>(inflight: Set<Promise<unknown>>, work: Promise<T>): Promise<T> {
  inflight.add(work);
  const forget = () => { inflight.delete(work); };
  work.then(forget, forget);
  return work;
}

function assertValidOptions(options: TelegramAdapterOptions): void {
  if (options.token.length === 0) throw new Error('telegram adapter: token is empty');
  const apiRoot = new URL(options.apiRoot);
  if (apiRoot.pathname !== '/' || apiRoot.search !== '') {
    throw new Error('telegram adapter: apiRoot must be an origin without a path');
  }
  if (options.pollingTimeoutS !== undefined && !(Number.isInteger(options.pollingTimeoutS) && options.pollingTimeoutS >= 0)) {
    throw new Error('telegram adapter: pollingTimeoutS must be a non-negative integer');
  }
  if (options.mode !== 'webhook') return;
  if (!options.webhookUrl) throw new Error('telegram adapter: webhookUrl is required in webhook mode');
  if (!/^[A-Za-z0-9_-]{1,256}$/.test(options.webhookSecret ?? '')) {
    throw new Error('telegram adapter: webhookSecret (1-256 of A-Za-z0-9_-) is required in webhook mode');
  }
}
