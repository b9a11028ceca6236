import type { Logger } from 'pino';
import { TransientError } from '../types.js';
import { cookieFingerprint, CredentialsMissingError, readSavedCredentials, writeCredentials, type CredentialsBox } from './credentials.js';
import { isLoginRefusal, SessionExpiredError } from './errors.js';
import { zaloErrorCode, ZCA_CLOSE, type ZaloCredentials, type ZcaClient, type ZcaMessage, type ZcaSession } from './zca.js';

/** Reconnect timing after the socket closes, in ms. */
export interface ReconnectPolicy {
  /** First wait after a drop (1006); doubles per failed attempt. */
  baseMs: number;
  /** Longest wait between attempts. */
  maxMs: number;
  /** Least wait after Zalo closed us because another Zalo Web session opened (3000/3003). */
  kickedMs: number;
  /** ± this fraction of each wait is random, so restarts do not reconnect in step. Default 0.2. */
  jitterRatio?: number;
}

/** Options of {@link createConnection}. */
export interface ConnectionOptions {
  client: ZcaClient;
  credentialsPath: string;
  /** Seals the credentials file. */
  box: CredentialsBox;
  logger: Logger;
  reconnect: ReconnectPolicy;
  /** How often refreshed cookies are written back to the credentials file, in ms. */
  cookieSaveIntervalMs: number;
  /** Every message of a one-to-one or group thread, live or caught up after a reconnect. */
  onMessage(message: ZcaMessage): void;
  /** The account needs a new QR scan. Called at most once per process. */
  onNeedsLogin(reason: string): void | Promise<void>;
  random?: () => number;
}

/** One account's session and socket: lazy login, reconnects, cookie persistence. */
export interface Connection {
  /** The logged-in session (logging in on first use). Throws SessionExpiredError or TransientError. */
  session(): Promise<ZcaSession>;
  /** Logs in and opens the listener; a network failure is retried in the background, not thrown. */
  listen(): Promise<void>;
  /** A send found the session expired: stop everything and alert once. */
  sessionExpired(reason: string): void;
  /** Writes the cookie jar back to the credentials file when Zalo changed it. */
  saveCookiesIfChanged(): Promise<void>;
  /** True once a new QR scan is needed; nothing is retried until a restart. */
  readonly needsLogin: boolean;
  stop(): Promise<void>;
}

interface State {
  session?: ZcaSession;
  credentials?: ZaloCredentials;
  login?: Promise<ZcaSession>;
  savedCookies?: string;
  listening: boolean;
  connected: boolean;
  /** When the socket first opened in this process (epoch ms); older history is not caught up. */
  firstConnectedAt?: number;
  /** This connection is a reconnect whose catch-up waits for the cipher key. */
  catchUpPending: boolean;
  /** The next attempt logs in again from the saved credentials instead of reusing the session. */
  relogin: boolean;
  failures: number;
  timer?: NodeJS.Timeout;
  /** Plans a retry if an `error` is not followed by `closed` (zca-js normally sends both). */
  errorTimer?: NodeJS.Timeout;
  cookieTimer?: NodeJS.Timeout;
  needsLogin: boolean;
  stopped: boolean;
}

/** Creates the {@link Connection}; nothing happens until `session` or `listen`. */
export function createConnection(o: ConnectionOptions): Connection {
  const s: State = { listening: false, connected: false, catchUpPending: false, relogin: false, failures: 0, needsLogin: false, stopped: false };
  const wired = new WeakSet<ZcaSession>();
  const log = o.logger;

  const needLogin = (reason: string) => {
    if (s.needsLogin) return;
    s.needsLogin = true;
    clearTimers(s);
    s.session?.listener.removeAllListeners();
    if (s.connected) s.session?.listener.stop();
    s.connected = false;
    log.error({ reason }, 'zalo personal: a new QR login is needed (`liaison zalo login`), then restart; not retrying');
    Promise.resolve().then(() => o.onNeedsLogin(reason)).catch((err: unknown) => {
      log.error({ error: describe(err) }, 'zalo personal: alerting the admins failed');
    });
  };

  const sealClearFile = async (credentials: ZaloCredentials) => {
    try {
      await writeCredentials(o.credentialsPath, credentials, o.box);
      log.info('zalo personal: encrypted the session file an earlier version wrote in clear');
    } catch (err) {
      // The session is still usable; the next start tries again.
      log.warn({ error: describe(err) }, 'zalo personal: could not rewrite the session file encrypted');
    }
  };

  const login = async (): Promise<ZcaSession> => {
    let credentials: ZaloCredentials;
    try {
      const saved = await readSavedCredentials(o.credentialsPath, o.box);
      credentials = saved.credentials;
      if (saved.clear) await sealClearFile(credentials);
    } catch (err) {
      if (err instanceof CredentialsMissingError) {
        log.error({ reason: err.message }, 'zalo personal: the saved session cannot be used');
        needLogin('no_credentials');
      }
      throw new SessionExpiredError(describe(err), { cause: err });
    }
    try {
      const session = await o.client.login(credentials);
      s.credentials = credentials;
      s.savedCookies = cookieFingerprint(credentials.cookie);
      log.info('zalo personal: logged in');
      return session;
    } catch (err) {
      // Only Zalo's refusal means the saved session is dead; an outage on the way is retried with backoff.
      if (isLoginRefusal(err)) {
        needLogin('login_refused');
        throw new SessionExpiredError(`zalo personal: login refused: ${describe(err)}`, { cause: err });
      }
      throw new TransientError(`zalo personal: login failed: ${describe(err)}`, undefined, { cause: err });
    }
  };

  const session = async (): Promise<ZcaSession> => {
    if (s.needsLogin) throw new SessionExpiredError();
    if (s.session) return s.session;
    s.login ??= login().then((created) => {
      s.session = created;
      return created;
    }).finally(() => { s.login = undefined; });
    return s.login;
  };

  const saveCookiesIfChanged = async () => {
    if (!s.session || !s.credentials || s.needsLogin) return;
    const cookies = s.session.cookies();
    const fingerprint = cookieFingerprint(cookies);
    if (fingerprint === s.savedCookies) return;
    s.credentials = { ...s.credentials, cookie: cookies };
    await writeCredentials(o.credentialsPath, s.credentials, o.box);
    s.savedCookies = fingerprint;
    log.debug('zalo personal: refreshed cookies saved');
  };

  const schedule = (delayMs: number) => {
    if (s.timer || s.stopped || s.needsLogin) return;
    s.timer = setTimeout(() => {
      s.timer = undefined;
      void open();
    }, delayMs);
  };

  const backoffMs = (kicked: boolean) => {
    const { baseMs, maxMs, kickedMs, jitterRatio = 0.2 } = o.reconnect;
    const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, s.failures - 1));
    const wait = kicked ? Math.max(kickedMs, exp) : exp;
    return Math.max(0, Math.round(wait * (1 + jitterRatio * (2 * (o.random ?? Math.random)() - 1))));
  };

  const wire = (current: ZcaSession) => {
    const listener = current.listener;
    listener.on('connected', () => {
      const reconnect = s.firstConnectedAt !== undefined;
      s.firstConnectedAt ??= Date.now();
      s.connected = true;
      s.failures = 0;
      clearErrorTimer(s);
      // What arrived while the socket was down comes back as history (duplicates are dropped later);
      // zca-js can decrypt the answer only once the cipher key came, so the request waits for it.
      s.catchUpPending = reconnect;
      log.info({ reconnect }, 'zalo personal: listening');
    });
    listener.on('cipher_key', () => {
      if (!s.catchUpPending) return;
      s.catchUpPending = false;
      listener.requestOldMessages();
    });
    listener.on('message', (m) => o.onMessage(m));
    listener.on('old_messages', (messages) => {
      const since = s.firstConnectedAt ?? Number.POSITIVE_INFINITY;
      for (const m of messages) if (Number(m.data.ts) >= since) o.onMessage(m);
    });
    listener.on('closed', (code, reason) => onClosed(code, reason));
    listener.on('error', (err) => {
      log.warn({ error: describe(err) }, 'zalo personal: listener error');
      // zca-js follows a socket error with `closed`, which counts the failure and plans the retry;
      // counting here too would double the backoff. Only an error with no close after it is counted.
      if (s.connected || s.stopped || s.needsLogin || s.errorTimer) return;
      s.errorTimer = setTimeout(() => {
        s.errorTimer = undefined;
        if (s.connected || s.timer || s.stopped || s.needsLogin) return;
        s.failures += 1;
        schedule(backoffMs(false));
      }, ERROR_WITHOUT_CLOSE_MS);
      s.errorTimer.unref();
    });
  };

  const onClosed = (code: number, reason: string) => {
    s.connected = false;
    s.catchUpPending = false;
    clearErrorTimer(s);
    if (s.stopped || s.needsLogin) return;
    s.failures += 1;
    const kicked = code === ZCA_CLOSE.duplicate || code === ZCA_CLOSE.kicked;
    // 3003: the account was opened elsewhere, which can end this session (sends then fail with 600):
    // log in again from the saved credentials rather than reopen a socket on a session that may be dead.
    if (code === ZCA_CLOSE.kicked) s.relogin = true;
    const delayMs = backoffMs(kicked);
    if (kicked) {
      log.error({ code, delayMs }, 'zalo personal: KICKED — the account was opened in Zalo Web/PC elsewhere; close it there. Reconnecting later');
    } else {
      log.warn({ code, reason: String(reason).slice(0, 100), delayMs }, 'zalo personal: socket closed; reconnecting');
    }
    schedule(delayMs);
  };

  const open = async (): Promise<void> => {
    if (s.stopped || s.needsLogin) return;
    // After several failed reconnects, or a kick, the session itself may be dead: log in again to find out.
    if (s.session && (s.failures >= RELOGIN_AFTER_FAILURES || s.relogin)) {
      s.session.listener.removeAllListeners();
      s.session = undefined;
    }
    s.relogin = false;
    let current: ZcaSession;
    try {
      current = await session();
      // A send may have logged in before `listen`: wire each session's listener exactly once.
      if (!wired.has(current)) {
        wired.add(current);
        wire(current);
      }
    } catch (err) {
      if (s.needsLogin || s.stopped) return;
      s.failures += 1;
      log.warn({ error: describe(err) }, 'zalo personal: login failed; retrying');
      return schedule(backoffMs(false));
    }
    try {
      current.listener.start();
    } catch (err) {
      log.warn({ error: describe(err) }, 'zalo personal: listener did not start');
    }
  };

  return {
    session,
    async listen() {
      if (s.listening) return;
      s.listening = true;
      s.cookieTimer = setInterval(() => {
        saveCookiesIfChanged().catch((err: unknown) => log.warn({ error: describe(err) }, 'zalo personal: saving cookies failed'));
      }, o.cookieSaveIntervalMs);
      s.cookieTimer.unref();
      await open();
    },
    sessionExpired: (reason) => needLogin(reason),
    saveCookiesIfChanged,
    get needsLogin() { return s.needsLogin; },
    async stop() {
      if (s.stopped) return;
      s.stopped = true;
      clearTimers(s);
      await saveCookiesIfChanged().catch((err: unknown) => log.warn({ error: describe(err) }, 'zalo personal: saving cookies failed'));
      if (s.session) {
        s.session.listener.stop();
        s.session.listener.removeAllListeners();
      }
    },
  };
}

/** Consecutive failed reconnects after which the session is logged in again from the saved credentials. */
const RELOGIN_AFTER_FAILURES = 3;
/** How long a listener error may go without the `closed` that normally follows it before it counts, in ms. */
const ERROR_WITHOUT_CLOSE_MS = 5000;

function clearTimers(s: State): void {
  if (s.timer) clearTimeout(s.timer);
  if (s.cookieTimer) clearInterval(s.cookieTimer);
  s.timer = undefined;
  s.cookieTimer = undefined;
  clearErrorTimer(s);
}

function clearErrorTimer(s: State): void {
  if (s.errorTimer) clearTimeout(s.errorTimer);
  s.errorTimer = undefined;
}

/** A short, secret-free description of an error (zca-js errors may carry request details). */
export function describe(err: unknown): string {
  const code = zaloErrorCode(err);
  const text = err instanceof Error ? `${err.name}: ${err.message}` : typeof err === 'object' && err !== null && 'type' in err ? `event ${String((err as { type: unknown }).type)}` : String(err);
  return `${text.slice(0, 200)}${typeof code === 'number' ? ` (code ${code})` : ''}`;
}
