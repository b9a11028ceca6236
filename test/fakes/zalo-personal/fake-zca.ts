import { EventEmitter } from 'node:events';
import { GroupMessage, UserMessage, ZaloApiError, type TGroupMessage, type TMessage } from 'zca-js';
import {
  QrLoginFailed, type QrLoginCallbacks, type ZaloCredentials, type ZcaClient, type ZcaListener, type ZcaSendQuote, type ZcaSession,
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
}

/** How the next QR login ends. `hang`: never, until the caller's signal aborts it. */
export type QrScenario = 'scan' | 'expire' | 'decline' | 'hang';

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
  /** The cookie jar the server hands out; {@link rotateCookies} changes it. */
  cookies: unknown[] = [{ key: 'zpw_sek', value: 'sek-1', domain: 'chat.zalo.me', path: '/' }];
  private sessionValid = true;
  private loginRefused = false;
  private nextMsgId = 7_100_000_000_000;
  private nextCliMsgId = Date.now();
  private readonly failures = new Map<string, Error[]>();
  private current?: FakeListener;

  /** Zalo answers `login` and every send as a dead session (error 102), and the socket closes. */
  expireSession(): void {
    this.sessionValid = false;
    this.loginRefused = true;
  }

  /** Zalo sets new cookies (as on a real response); the adapter should save them. */
  rotateCookies(): void {
    this.cookies = [{ key: 'zpw_sek', value: `sek-${Date.now()}-${Math.random()}`, domain: 'chat.zalo.me', path: '/' }];
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
    listener.emit('closed', code, code === 1006 ? '' : 'closed by server');
  }

  /** The listener reports an error (socket or decoding); the socket stays as it is. */
  emitError(error: unknown = new Error('fake socket error')): void {
    this.current?.emit('error', error);
  }

  async login(credentials: ZaloCredentials): Promise<ZcaSession> {
    this.logins.push(structuredClone(credentials));
    if (this.loginRefused) throw new ZaloApiError('Đăng nhập thất bại');
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
      cookies: () => structuredClone(this.cookies),
    };
  }

  private acceptSend(threadId: string, text: string, quote?: ZcaSendQuote): { msgId: string } {
    if (!this.sessionValid) throw new ZaloApiError('Phiên đăng nhập đã hết hạn', 102);
    for (const key of [threadId, '*']) {
      const queued = this.failures.get(key);
      const error = queued?.shift();
      if (queued?.length === 0) this.failures.delete(key);
      if (error) throw error;
    }
    const msgId = String(this.nextMsgId++);
    this.sends.push({ threadId, text, ...(quote ? { quote } : {}), msgId, at: this.now() });
    this.history.push({ ...this.messageData('0', threadId, text, quote?.msgId), msgId });
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

  /** @internal called by the listener. */
  openSocket(listener: FakeListener): void {
    if (listener !== this.current) return;
    this.connects += 1;
    setImmediate(() => {
      if (!this.sessionValid) {
        listener.emit('closed', 1006, '');
        return;
      }
      listener.connected = true;
      listener.emit('connected');
    });
  }

  /** @internal answers `requestOldMessages` with the recent history, as the server would. */
  replayHistory(listener: FakeListener): void {
    this.oldMessageRequests += 1;
    const recent = this.history.slice(-50).map((m) => new UserMessage(this.ownId, structuredClone(m)));
    setImmediate(() => listener.emit('old_messages', recent));
  }
}

/** The fake's socket: zca-js's listener events, on a plain EventEmitter. */
class FakeListener extends EventEmitter implements ZcaListener {
  connected = false;
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
    this.emit('closed', 1000, '');
  }
  requestOldMessages(): void {
    this.zalo.replayHistory(this);
  }
}
