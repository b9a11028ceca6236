/**
 * The seam around zca-js: the ONLY module that imports it (an architecture test enforces this).
 * Everything else in the adapter speaks the small interfaces below, so tests can put an in-memory
 * fake of them in place (zca-js has no base-URL option to point at a fake server).
 */
import type { Readable } from 'node:stream';
import type * as ZcaJs from 'zca-js';
import type { Logger } from 'pino';
import { fetchMediaUrl, isHttpsOnHosts, ZALO_MEDIA_HOSTS } from '../media-fetch.js';
import type {
  API, LoginQRCallbackEvent, Message, SendMessageQuote, TMessage, TQuote, ThreadType,
} from 'zca-js';

/**
 * zca-js and its dependencies take ~35 MB of memory: loaded on first use, so processes that never
 * log the personal account in (it is off by default) do not carry them.
 */
let loaded: Promise<typeof ZcaJs> | undefined;
const zcaJs = (): Promise<typeof ZcaJs> => (loaded ??= import('zca-js'));

export type { Message as ZcaMessage, TMessage as ZcaMessageData, TQuote as ZcaQuoteData, SendMessageQuote as ZcaSendQuote };

/**
 * zca-js's close codes we act on (`CloseReason`: 1000 our own stop, 1006 dropped, 3000 another Zalo
 * Web opened, 3003 kicked), as plain numbers so that reading them does not load zca-js (a unit test
 * checks them against the library).
 */
export const ZCA_CLOSE = { manual: 1000, abnormal: 1006, duplicate: 3000, kicked: 3003 } as const;

/** zca-js's thread types (`ThreadType`): a one-to-one chat (0) or a group (1). */
export const ZCA_THREAD = { user: 0, group: 1 } as const;

/**
 * What a saved session needs: zca-js's `{cookie, imei, userAgent}`. `cookie` is the serialised
 * cookie jar (tough-cookie JSON), kept opaque here. Secret: never log it.
 */
export interface ZaloCredentials {
  cookie: unknown[];
  imei: string;
  userAgent: string;
  language?: string;
}

/** The websocket listener of one session (zca-js `api.listener`, narrowed). */
export interface ZcaListener {
  /** Opens the socket. We never let zca-js retry by itself (`retryOnClose: false`). */
  start(): void;
  /** Closes the socket with code 1000. */
  stop(): void;
  /**
   * Asks the server for recent one-to-one messages (answered by an `old_messages` event); used
   * after a reconnect to pick up what arrived while the socket was down. Only after `cipher_key`:
   * zca-js decrypts the answer with that key and drops it ("missing cipher key") without it.
   * *(Exact window unverified: the adapter deduplicates and filters by time, so extra history is
   * harmless.)* Recalls in the answer come as ordinary messages whose content holds `deleteMsg`.
   */
  requestOldMessages(lastMsgId?: string): void;
  on(event: 'connected', cb: () => void): void;
  /** The server sent the socket's cipher key (after `connected`): events can be decrypted from now on. */
  on(event: 'cipher_key', cb: (key: string) => void): void;
  on(event: 'message', cb: (message: Message) => void): void;
  on(event: 'old_messages', cb: (messages: Message[]) => void): void;
  on(event: 'closed', cb: (code: number, reason: string) => void): void;
  on(event: 'error', cb: (error: unknown) => void): void;
  /** Drops every callback (before a re-login builds a new listener). */
  removeAllListeners(): void;
}

/**
 * A file to send, whole in memory: zca-js reads every attachment into a Buffer (a file path too,
 * with `fs.readFile`) and slices it into chunks, so the adapter bounds the size it hands over.
 */
export interface ZcaFile {
  data: Buffer;
  /** With its extension: zca-js picks the upload path by it (`jpg/jpeg/png/webp` a photo, `mp4` a video, others a file). */
  fileName: string;
  /** Pixels, for a photo (zca-js passes them on; unknown: left out). */
  width?: number;
  height?: number;
}

/** Opens a URL from an inbound message's attachment (the seam decides which hosts it fetches). */
export type MediaOpener = (url: string) => Promise<Readable>;

/** One logged-in account. */
export interface ZcaSession {
  /** The account's own Zalo user id. */
  readonly ownId: string;
  readonly listener: ZcaListener;
  /**
   * Sends a text to a one-to-one thread, optionally quoting an earlier message.
   * @returns the new message's id. Throws what zca-js throws (see {@link zaloErrorCode}).
   */
  sendText(threadId: string, text: string, quote?: SendMessageQuote): Promise<{ msgId: string | undefined }>;
  /**
   * Sends one file to a one-to-one thread, as its own message without text (zca-js
   * `sendMessage({msg: '', attachments: [{data, filename, metadata}]})`; a photo's upload answers at
   * once, a document's completes through the socket). Resolves with the attachment message's id.
   */
  sendFile(threadId: string, file: ZcaFile): Promise<{ msgId: string | undefined }>;
  /** Streams the file behind an attachment URL of an inbound message (`content.href`). */
  openMedia: MediaOpener;
  /** The current cookie jar, serialised (Zalo refreshes cookies on responses). Secret. */
  cookies(): unknown[];
}

/** Callbacks of a QR login, in the order they usually fire. */
export interface QrLoginCallbacks {
  /** A QR code to scan: `imageBase64` is a PNG without the `data:` prefix; `code` what it encodes. */
  onQr(qr: { imageBase64: string; code: string }): void;
  /** Someone scanned it on their phone and must confirm there. */
  onScanned?(displayName: string): void;
  /** The QR code expired before a scan (zca-js: after 100 s). The login then fails. */
  onExpired?(): void;
  /** The person declined on their phone. The login then fails. */
  onDeclined?(): void;
}

/** Why a QR login ended without a session. */
export class QrLoginFailed extends Error {
  constructor(readonly reason: 'expired' | 'declined' | 'aborted' | 'failed', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QrLoginFailed';
  }
}

/** The entry points: log in with saved credentials, or by scanning a QR code. */
export interface ZcaClient {
  /** Throws (zca-js `ZaloApiError`, or a network error) when the credentials are refused. */
  login(credentials: ZaloCredentials): Promise<ZcaSession>;
  /**
   * Runs a QR login. Resolves with the credentials to save; rejects with {@link QrLoginFailed}.
   * `signal` aborts it (e.g. an overall timeout).
   */
  loginQR(callbacks: QrLoginCallbacks, signal?: AbortSignal): Promise<{ credentials: ZaloCredentials; session: ZcaSession }>;
}

/**
 * The error code of a zca-js `ZaloApiError` (`null` when zca-js gave none, e.g. an HTTP failure or
 * its own argument checks); `undefined` when `err` is not a `ZaloApiError` at all (network errors).
 */
export function zaloErrorCode(err: unknown): number | null | undefined {
  // By name, not instanceof: zca-js may not be loaded yet, and it ships both ESM and CJS builds.
  if (!(err instanceof Error) || err.name !== 'ZcaApiError') return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : null;
}

const OPTIONS = { checkUpdate: false, selfListen: false, logging: false } as const;

/**
 * The real client over zca-js. `openMedia` fetches inbound attachments over HTTPS from Zalo's CDN
 * hosts only ({@link ZALO_MEDIA_HOSTS}; the URLs carry no token and need no cookie, as far as the
 * messages seen show — *assumed*); `logger` gets the refused hosts.
 */
export function createZcaClient(logger?: Logger): ZcaClient {
  const openMedia: MediaOpener = (url) => fetchMediaUrl(url, { ...(logger ? { logger } : {}), what: 'zalo personal media', allowed: (u) => isHttpsOnHosts(u, ZALO_MEDIA_HOSTS) });
  return {
    async login(credentials) {
      const { Zalo } = await zcaJs();
      const api = await new Zalo(OPTIONS).login(credentials as Parameters<InstanceType<typeof Zalo>['login']>[0]);
      return toSession(api, openMedia);
    },
    loginQR: (callbacks, signal) => loginByQr(callbacks, openMedia, signal),
  };
}

async function loginByQr(callbacks: QrLoginCallbacks, openMedia: MediaOpener, signal?: AbortSignal): Promise<{ credentials: ZaloCredentials; session: ZcaSession }> {
  const { Zalo, LoginQRCallbackEventType } = await zcaJs();
  let credentials: ZaloCredentials | undefined;
  let failure: QrLoginFailed | undefined;
  let abortLogin: (() => unknown) | undefined;
  signal?.addEventListener('abort', () => {
    failure ??= new QrLoginFailed('aborted', 'QR login timed out');
    abortLogin?.();
  }, { once: true });
  const onEvent = (event: LoginQRCallbackEvent) => {
    if (event.actions) abortLogin = event.actions.abort;
    switch (event.type) {
      case LoginQRCallbackEventType.QRCodeGenerated:
        callbacks.onQr({ imageBase64: event.data.image, code: event.data.code });
        break;
      case LoginQRCallbackEventType.QRCodeScanned:
        callbacks.onScanned?.(event.data.display_name);
        break;
      case LoginQRCallbackEventType.QRCodeExpired:
        failure = new QrLoginFailed('expired', 'the QR code expired before it was scanned');
        callbacks.onExpired?.();
        event.actions.abort();
        break;
      case LoginQRCallbackEventType.QRCodeDeclined:
        failure = new QrLoginFailed('declined', 'the login was declined on the phone');
        callbacks.onDeclined?.();
        event.actions.abort();
        break;
      case LoginQRCallbackEventType.GotLoginInfo:
        credentials = { cookie: event.data.cookie, imei: event.data.imei, userAgent: event.data.userAgent };
        break;
    }
  };
  const login = new Zalo(OPTIONS).loginQR({}, onEvent).then((api) => {
    if (!credentials) throw new QrLoginFailed('failed', 'zca-js logged in without giving the credentials');
    return { credentials, session: toSession(api, openMedia) };
  }, (err: unknown) => {
    throw failure ?? new QrLoginFailed('failed', err instanceof Error ? err.message : String(err), { cause: err });
  });
  // Before the first QR event there is nothing to abort inside zca-js: stop waiting anyway.
  const aborted = new Promise<never>((_resolve, reject) => {
    const fail = () => reject(failure ?? new QrLoginFailed('aborted', 'QR login timed out'));
    if (signal?.aborted) fail();
    signal?.addEventListener('abort', fail, { once: true });
  });
  login.catch(() => undefined);
  return Promise.race([login, aborted]);
}

function toSession(api: API, openMedia: MediaOpener): ZcaSession {
  const listener = api.listener;
  return {
    ownId: String(api.getOwnId()),
    listener: {
      start: () => listener.start({ retryOnClose: false }),
      stop: () => listener.stop(),
      requestOldMessages: (lastMsgId) => listener.requestOldMessages(ZCA_THREAD.user as ThreadType, lastMsgId ?? null),
      on: (event: string, cb: (...args: never[]) => void) => { listener.on(event as 'connected', cb as () => void); },
      removeAllListeners: () => { listener.removeAllListeners(); },
    },
    async sendText(threadId, text, quote) {
      const result = await api.sendMessage(quote ? { msg: text, quote } : { msg: text }, threadId, ZCA_THREAD.user as ThreadType);
      const msgId = result.message?.msgId;
      return { msgId: msgId === undefined || msgId === null ? undefined : String(msgId) };
    },
    async sendFile(threadId, file) {
      const source = {
        data: file.data, filename: file.fileName as `${string}.${string}`,
        metadata: { totalSize: file.data.length, ...(file.width && file.height ? { width: file.width, height: file.height } : {}) },
      };
      const result = await api.sendMessage({ msg: '', attachments: [source] }, threadId, ZCA_THREAD.user as ThreadType);
      const msgId = result.attachment[0]?.msgId;
      return { msgId: msgId === undefined || msgId === null ? undefined : String(msgId) };
    },
    openMedia,
    cookies: () => api.getCookie().toJSON()?.cookies ?? [],
  };
}
