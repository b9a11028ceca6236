import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { GroupMessage, UserMessage, ZaloApiError, type TGroupMessage, type TMessage } from 'zca-js';
import {
  QrLoginFailed, type QrLoginCallbacks, type ZaloCredentials, type ZcaClient, type ZcaFile, type ZcaListener, type ZcaSendQuote, type ZcaSession,
} from '../../../adapters/zalo-personal/zca.js';

/** A 1×1 PNG, standing in for Zalo's QR image. */
export const FAKE_QR_PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/** One text the bot's account sent. */
export interface FakeSend {
  threadId: string;
  text: string;
  /** The quote zca-js was given, as the seam passed it. */
  quote?: ZcaSendQuote;
  msgId: string;
  at: number;
  /** A file the account sent (zca-js `sendMessage` with one attachment and no text). */
  file?: { name: string; sizeBytes: number; sha256: string; width?: number; height?: number; bytes: Buffer };
}

/** What a person sends the account: zca-js message types for a photo, a shared file, a video or a voice message. */
export interface FakeUserFile {
  kind: 'photo' | 'file' | 'video' | 'voice' | 'sticker';
  bytes?: Buffer;
  /** A shared file's name (`content.title`). */
  name?: string;
  /** A photo's caption (`content.title`). */
  caption?: string;
}

const MSG_TYPES: Record<FakeUserFile['kind'], string> = {
  photo: 'chat.photo', file: 'share.file', video: 'chat.video.msg', voice: 'chat.voice', sticker: 'chat.sticker',
};

/** How the next QR login ends. `hang`: never, until the caller's signal aborts it. */
export type QrScenario = 'scan' | 'expire' | 'decline' | 'hang';

/**
 * How a saved-credentials login can fail, with zca-js 2.2.0's own errors: `http` and `server_info`
 * are HTTP failures on the way (`dist/apis/login.js`), `network` a fetch that never got an answer,
 * `refused` Zalo refusing the saved session (`dist/zalo.js`). All but the last are worth a retry.
 */
export type LoginFailure = 'http' | 'server_info' | 'network' | 'refused';

/** The error zca-js 2.2.0 throws for each {@link LoginFailure}. */
export function loginError(kind: LoginFailure): Error {
  switch (kind) {
    case 'http': return new ZaloApiError('Failed to fetch login info: Bad Gateway');
    case 'server_info': return new ZaloApiError('Failed to fetch server info: Service Unavailable');
    case 'network': return new TypeError('fetch failed');
    case 'refused': return new ZaloApiError('Đăng nhập thất bại');
  }
}

/** What a send answers once Zalo no longer takes the session: error 600 (zca-js issue #211) or 102. */
export const DEAD_SESSION_ERRORS = {
  600: () => new ZaloApiError('zpw_sek bị thiếu hoặc không đúng', 600),
  102: () => new ZaloApiError('Phiên đăng nhập đã hết hạn', 102),
} as const;

/**
 * An in-memory Zalo for the personal-account seam ({@link ZcaClient}). It emits zca-js's own
 * `UserMessage`/`GroupMessage` instances built from `TMessage` data, keeps the account's history
 * (for `old_messages` after a reconnect), and scripts the failures the adapter must survive:
 * socket closes (1006, 3000), `error` events, duplicate deliveries, refused sends (ZaloApiError
 * codes) and session expiry.
 */
export class FakeZalo implements ZcaClient {
  readonly ownId = '900000000000000001';
  readonly sends: FakeSend[] = [];
  /** Every message of the account as the server stores it (own messages with `uidFrom` "0"). */
  readonly history: TMessage[] = [];
  /** Every `login` call's credentials, in order. */
  readonly logins: ZaloCredentials[] = [];
  /** Every `requestOldMessages` call. */
  oldMessageRequests = 0;
  /** Connections opened (the first and every reconnect). */
  connects = 0;
  qrScenario: QrScenario = 'scan';
  /** The clock stamped on {@link FakeSend.at} (tests of pacing pass a virtual one). */
  now: () => number = Date.now;
  /**
   * The cookie jar as zca-js serialises it (tough-cookie JSON). Like tough-cookie, every request
   * stamps `lastAccessed`; only {@link rotateCookies} changes the session itself.
   */
  cookies: Array<Record<string, unknown>> = [{
    key: 'zpw_sek', value: 'sek-1', domain: 'chat.zalo.me', path: '/', hostOnly: false,
    creation: new Date(0).toISOString(), lastAccessed: new Date(0).toISOString(),
  }];
  private sessionValid = true;
  private loginRefused = false;
  private deadSessionCode: 102 | 600 = 102;
  private readonly loginFailures: LoginFailure[] = [];
  private connectFailures = 0;
  private sendsWithoutId = 0;
  private lastTouchMs = 0;
  private nextMsgId = 7_100_000_000_000;
  private nextCliMsgId = Date.now();
  private readonly failures = new Map<string, Error[]>();
  private current?: FakeListener;
  /** Files behind the `href`s of messages people sent, as Zalo's CDN holds them. */
  private readonly media = new Map<string, Buffer>();
  /** URLs `openMedia` was asked for, in order. */
  readonly mediaRequests: string[] = [];

  /** Zalo answers `login` and every send as a dead session (error 102, or 600), and the socket closes. */
  expireSession(code: 102 | 600 = 102): void {
    this.sessionValid = false;
    this.loginRefused = true;
    this.deadSessionCode = code;
  }

  /**
   * The account is opened in another Zalo Web: the socket closes with 3003. With `sessionDies`, the
   * session ends with it (sends answer 600, the saved login is refused); without, a new login works.
   */
  kick(options: { sessionDies: boolean }): void {
    if (options.sessionDies) this.expireSession(600);
    this.drop(3003);
  }

  /** The next saved-credentials logins fail the given ways, in order. */
  failLogins(...kinds: LoginFailure[]): void {
    this.loginFailures.push(...kinds);
  }

  /** The next `n` socket opens fail as `ws` reports it: an `error` event, then `closed` 1006. */
  failConnects(n: number): void {
    this.connectFailures += n;
  }

  /** The next `n` sends are delivered but resolve without a msgId (zca-js issue #312). */
  sendWithoutMsgId(n = 1): void {
    this.sendsWithoutId += n;
  }

  /** Zalo sets a new session cookie (as on a real response); the adapter should save it. */
  rotateCookies(): void {
    this.cookies = this.cookies.map((c) => ({ ...c, value: `sek-${Date.now()}-${Math.random()}` }));
  }

  /**
   * tough-cookie's bookkeeping on every request: nothing about the session changes, but
   * `lastAccessed` does (one ms later at least, so two quick requests differ as on a real clock).
   */
  private touchCookies(): void {
    this.lastTouchMs = Math.max(this.now(), this.lastTouchMs + 1);
    const at = new Date(this.lastTouchMs).toISOString();
    this.cookies = this.cookies.map((c) => ({ ...c, lastAccessed: at }));
  }

  /** The person recalls one of their messages: live it is an `undo` event; the history keeps a `deleteMsg` item. */
  userRecalls(message: UserMessage | GroupMessage): void {
    const d = message.data;
    const recall = {
      ...this.messageData(d.uidFrom, d.idTo, '', undefined),
      content: { globalMsgId: Number(d.msgId), cliMsgId: Number(d.cliMsgId), deleteMsg: 1, srcId: Number(d.uidFrom), destId: Number(d.idTo) },
      msgType: 'chat.undo',
    } as unknown as TMessage;
    this.history.push(recall);
    if (this.connected) this.current?.emit('undo', { data: recall });
  }

  /** The next send to `threadId` (or any, `'*'`) throws `error` (e.g. `new ZaloApiError('…', 123)`). */
  failNextSend(threadId: string, error: Error): void {
    this.failures.set(threadId, [...(this.failures.get(threadId) ?? []), error]);
  }

  get connected(): boolean {
    return this.current?.connected ?? false;
  }

  /** A person writes to the account. Delivered live when the socket is open, else only kept in history. */
  userSends(userId: string, text: string, options: { quoteMsgId?: string; group?: string } = {}): UserMessage | GroupMessage {
    const data = this.messageData(userId, options.group ?? '0', text, options.quoteMsgId);
    if (!options.group) this.history.push(structuredClone(data));
    const message = options.group ? new GroupMessage(this.ownId, { ...data, mentions: undefined } as TGroupMessage) : new UserMessage(this.ownId, data);
    if (this.connected) this.current?.emit('message', message);
    return message;
  }

  /**
   * A person sends a photo, a file, a video, a voice message or a sticker: a `UserMessage` whose
   * content is zca-js's `TAttachmentContent` (`href` to the file on the CDN, `title` a photo's
   * caption or a file's name, `params` a JSON string with `fileSize`).
   */
  userSendsFile(userId: string, f: FakeUserFile): UserMessage {
    const href = `https://f${this.media.size + 1}-zpc.zdn.vn/${this.nextMsgId}/${encodeURIComponent(f.name ?? 'photo.jpg')}`;
    if (f.bytes) this.media.set(href, f.bytes);
    const title = f.kind === 'file' ? f.name ?? '' : f.kind === 'photo' ? f.caption ?? '' : '';
    const content = f.kind === 'sticker'
      ? { id: 21584, catId: 10, type: 7 }
      : { title, description: '', href, thumb: href, childnumber: 0, action: '', type: '', params: JSON.stringify({ fileSize: String(f.bytes?.length ?? 0), fileExt: (f.name ?? 'x.jpg').split('.').pop(), checksum: 'fake' }) };
    const data = { ...this.messageData(userId, '0', '', undefined), msgType: MSG_TYPES[f.kind], content } as TMessage;
    this.history.push(structuredClone(data));
    const message = new UserMessage(this.ownId, data);
    if (this.connected) this.current?.emit('message', message);
    return message;
  }

  /** Zalo delivers the same message again (same cliMsgId), as it does around reconnects. */
  redeliver(message: UserMessage | GroupMessage): void {
    const copy = new UserMessage(this.ownId, structuredClone(message.data) as TMessage);
    this.current?.emit('message', copy);
  }

  /** The socket closes with `code` (1006: dropped; 3000: another Zalo Web session opened). */
  drop(code = 1006): void {
    const listener = this.current;
    if (!listener?.connected) throw new Error('fake zalo: not connected');
    listener.connected = false;
    listener.cipherKey = undefined;
    listener.emit('closed', code, code === 1006 ? '' : 'closed by server');
  }

  /** The listener reports an error (socket or decoding); the socket stays as it is. */
  emitError(error: unknown = new Error('fake socket error')): void {
    this.current?.emit('error', error);
  }

  async login(credentials: ZaloCredentials): Promise<ZcaSession> {
    this.logins.push(structuredClone(credentials));
    this.touchCookies();
    const failure = this.loginFailures.shift();
    if (failure) throw loginError(failure);
    if (this.loginRefused) throw loginError('refused');
    return this.session(credentials.cookie);
  }

  async loginQR(callbacks: QrLoginCallbacks, signal?: AbortSignal): Promise<{ credentials: ZaloCredentials; session: ZcaSession }> {
    callbacks.onQr({ imageBase64: FAKE_QR_PNG_BASE64, code: 'fake-qr-code-0123' });
    await Promise.resolve();
    switch (this.qrScenario) {
      case 'expire':
        callbacks.onExpired?.();
        throw new QrLoginFailed('expired', 'the QR code expired before it was scanned');
      case 'decline':
        callbacks.onScanned?.('Người quét');
        callbacks.onDeclined?.();
        throw new QrLoginFailed('declined', 'the login was declined on the phone');
      case 'hang':
        return new Promise((_resolve, reject) => {
          const fail = () => reject(new QrLoginFailed('aborted', 'QR login timed out'));
          if (signal?.aborted) fail();
          signal?.addEventListener('abort', fail, { once: true });
        });
      case 'scan': {
        callbacks.onScanned?.('Người quét');
        this.loginRefused = false;
        this.sessionValid = true;
        const credentials = { cookie: structuredClone(this.cookies), imei: 'fake-imei-0001', userAgent: 'Mozilla/5.0 (fake)' };
        return { credentials, session: this.session(credentials.cookie) };
      }
    }
  }

  private session(_cookie: unknown[]): ZcaSession {
    const listener = new FakeListener(this);
    this.current = listener;
    return {
      ownId: this.ownId,
      listener,
      sendText: async (threadId, text, quote) => this.acceptSend(threadId, text, quote),
      sendFile: async (threadId, file) => this.acceptSend(threadId, '', undefined, file),
      openMedia: async (url) => {
        this.mediaRequests.push(url);
        const bytes = this.media.get(url);
        if (!bytes) throw new Error(`fake zalo: no file at ${url}`);
        return Readable.from([bytes]);
      },
      cookies: () => structuredClone(this.cookies),
    };
  }

  private acceptSend(threadId: string, text: string, quote?: ZcaSendQuote, file?: ZcaFile): { msgId: string | undefined } {
    this.touchCookies();
    if (!this.sessionValid) throw DEAD_SESSION_ERRORS[this.deadSessionCode]();
    for (const key of [threadId, '*']) {
      const queued = this.failures.get(key);
      const error = queued?.shift();
      if (queued?.length === 0) this.failures.delete(key);
      if (error) throw error;
    }
    const msgId = String(this.nextMsgId++);
    if (file && !/\.[A-Za-z0-9]+$/.test(file.fileName)) throw new ZaloApiError('Missing filename');
    const sent = file ? {
      file: {
        name: file.fileName, sizeBytes: file.data.length, sha256: createHash('sha256').update(file.data).digest('hex'), bytes: file.data,
        ...(file.width ? { width: file.width } : {}), ...(file.height ? { height: file.height } : {}),
      },
    } : {};
    this.sends.push({ threadId, text, ...(quote ? { quote } : {}), msgId, at: this.now(), ...sent });
    this.history.push({ ...this.messageData('0', threadId, text, quote?.msgId), msgId });
    if (this.sendsWithoutId > 0) {
      this.sendsWithoutId -= 1;
      return { msgId: undefined };
    }
    return { msgId };
  }

  private messageData(uidFrom: string, idTo: string, text: string, quoteMsgId?: string): TMessage {
    const quoted = quoteMsgId ? this.findByMsgId(quoteMsgId) : undefined;
    const ts = Date.now();
    return {
      actionId: String(this.nextMsgId), msgId: String(this.nextMsgId++), cliMsgId: String(this.nextCliMsgId++), msgType: 'webchat',
      uidFrom, idTo, dName: uidFrom === '0' ? '' : `Người dùng ${uidFrom}`, ts: String(ts), status: 1, content: text, notify: '1',
      ttl: 0, userId: '0', uin: '0', topOut: '0', topOutTimeOut: '0', topOutImprTimeOut: '0', propertyExt: undefined,
      paramsExt: { countUnread: 1, containType: 0, platformType: 1 }, cmd: 501, st: 3, at: 5, realMsgId: '0',
      quote: quoted ? {
        ownerId: quoted.uidFrom === '0' ? this.ownId : quoted.uidFrom, cliMsgId: Number(quoted.cliMsgId), globalMsgId: Number(quoted.msgId), cliMsgType: 1,
        ts: Number(quoted.ts), msg: typeof quoted.content === 'string' ? quoted.content : '', attach: '', fromD: quoted.dName, ttl: 0,
      } : undefined,
    };
  }

  private findByMsgId(msgId: string): TMessage {
    const found = this.history.find((m) => m.msgId === msgId);
    if (!found) throw new Error(`fake zalo: no message ${msgId} to quote`);
    return found;
  }

  /**
   * @internal called by the listener. The socket opens (`connected`), then the server sends the
   * cipher key in a later frame (`cipher_key`), as zca-js reports them.
   */
  openSocket(listener: FakeListener): void {
    if (listener !== this.current) return;
    this.connects += 1;
    setImmediate(() => {
      if (this.connectFailures > 0) {
        this.connectFailures -= 1;
        listener.emit('error', { type: 'error', message: 'Unexpected server response: 502' });
        listener.emit('closed', 1006, '');
        return;
      }
      if (!this.sessionValid) {
        listener.emit('closed', 1006, '');
        return;
      }
      listener.connected = true;
      listener.emit('connected');
      setImmediate(() => {
        if (!listener.connected) return;
        listener.cipherKey = 'fake-cipher-key';
        listener.emit('cipher_key', listener.cipherKey);
      });
    });
  }

  /**
   * @internal answers `requestOldMessages` with the recent history, as the server would — recalls
   * included as ordinary messages. Asked before the cipher key came, the answer cannot be decrypted:
   * zca-js reports an `error` and no `old_messages`.
   */
  replayHistory(listener: FakeListener): void {
    this.oldMessageRequests += 1;
    if (listener.cipherKey === undefined) {
      setImmediate(() => listener.emit('error', new ZaloApiError('Invalid data length or missing cipher key')));
      return;
    }
    const recent = this.history.slice(-50).map((m) => new UserMessage(this.ownId, structuredClone(m)));
    setImmediate(() => listener.emit('old_messages', recent));
  }
}

/** The fake's socket: zca-js's listener events, on a plain EventEmitter. */
class FakeListener extends EventEmitter implements ZcaListener {
  connected = false;
  cipherKey: string | undefined;
  constructor(private readonly zalo: FakeZalo) {
    super();
  }
  start(): void {
    if (this.connected) throw new Error('Already started');
    this.zalo.openSocket(this);
  }
  stop(): void {
    if (!this.connected) return;
    this.connected = false;
    this.cipherKey = undefined;
    this.emit('closed', 1000, '');
  }
  requestOldMessages(): void {
    this.zalo.replayHistory(this);
  }
}
