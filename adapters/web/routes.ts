import type { ButtonEvent, CommandEvent, HttpRequest, HttpResponse, HttpRoute, InboundEvent, MessageEvent } from '../types.js';
import {
  CODE_SENT, CSRF_HEADER, WEB_SLOTS, clientAddress, isCrossOrigin, json, parseJsonBody, readCookie, refuse, sessionCookie, slotPaths,
  toLanguageCode, tokensMatch, type SlotPaths,
} from './http.js';
import type { LiveStreams } from './live.js';
import type { RateLimiter } from './rate-limit.js';
import type { SessionManager, WebSession } from './sessions.js';
import type { WebStore } from './store.js';

/** Where slot 0's web API lives on the bot's HTTP server (slot n: `/web/u/<n>/api`). */
export const WEB_API_PREFIX = '/web/api';

/** What a one-time sign-in code (issued by `/web` in a linked chat or by the operator) turned out to be. */
export type CodeRedemption =
  | { status: 'ok'; ownerId: string }
  | { status: 'used' | 'expired' }
  /** Not such a code: the text is tried as an invite code. */
  | { status: 'unknown' };

/** What the routes need from the adapter. */
export interface WebRouteDeps {
  sessions: SessionManager;
  store: WebStore;
  live: LiveStreams;
  /** Epoch milliseconds. */
  now(): number;
  secureCookies: boolean;
  /** Key the sign-in rate limit on `X-Forwarded-For`'s last entry (behind a reverse proxy). */
  trustProxy: boolean;
  /** Origins besides this host's that may POST (the public URL). */
  allowedOrigins: readonly string[];
  signInLimiter: RateLimiter;
  /** Interval between SSE heartbeat comments, in milliseconds. */
  heartbeatMs: number;
  isReceiving(): boolean;
  /** Hands the event to the bot; resolves false when it was not accepted (the client should retry). */
  emit(event: InboundEvent): Promise<boolean>;
  /** Redeems a one-time sign-in code (single use); absent: only invite codes sign in. */
  redeemCode?: (code: string) => Promise<CodeRedemption>;
  /** "Send me a code": sends a sign-in code to the linked chat of the person `who` names, if any. */
  requestCode?: (who: string) => Promise<void>;
  /** Limits "send me a code" per client address, and per identifier asked about. */
  sendCodeLimiters: { byAddress: RateLimiter; byTarget: RateLimiter };
  /** Logs a failure the client is not told about. */
  onError(err: unknown, what: string): void;
}

type Refusal = { refusal: HttpResponse };
const CLIENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MESSAGE_ID = /^[1-9][0-9]{0,15}$/;
/** The shape of invite and sign-in codes; whether one is valid is the flows' call. */
const CODE = /^[A-Za-z0-9_-]{1,64}$/;
/** Entries a first load shows; older ones stay stored. */
const FIRST_PAGE = 200;
const LATER_PAGE = 500;

/** The web channel's HTTP API, once per sign-in slot (see the adapter's README for bodies and errors). */
export function createWebRoutes(deps: WebRouteDeps): HttpRoute[] {
  return Array.from({ length: WEB_SLOTS }, (_, slot) => slotRoutes(deps, slotPaths(slot))).flat();
}

function slotRoutes(deps: WebRouteDeps, paths: SlotPaths): HttpRoute[] {
  const route = (method: HttpRoute['method'], path: string, handle: HttpRoute['handle']): HttpRoute =>
    ({ method, path: `${paths.apiPrefix}${path}`, handle });
  const ctx = { deps, paths };
  return [
    route('POST', '/sign-in', (req) => signIn(ctx, req)),
    route('POST', '/send-code', async (req) => sendCode(deps, req)),
    route('GET', '/session', (req) => withSession(ctx, req, false, async (s) => json(200, sessionView(s)))),
    route('POST', '/sign-out', (req) => withSession(ctx, req, true, async (s) => {
      await deps.sessions.delete(s);
      return json(200, { ok: true }, { 'set-cookie': sessionCookie(paths, '', deps.secureCookies, 0) });
    })),
    route('GET', '/messages', (req) => withSession(ctx, req, false, async (s) => json(200, { messages: await listFor(deps, s, req) }))),
    route('POST', '/messages', (req) => withSession(ctx, req, true, (s, body) => postMessage(deps, s, body))),
    route('POST', '/buttons', (req) => withSession(ctx, req, true, (s, body) => postButton(deps, s, body))),
    route('GET', '/events', (req) => withSession(ctx, req, false, (s) => openEvents(deps, s, req))),
  ];
}

interface SlotContext { deps: WebRouteDeps; paths: SlotPaths }

/** `?rev=<n>`: entries added or edited after change n; `?after=<id>`: entries after id; neither: the newest. */
async function listFor(deps: WebRouteDeps, s: WebSession, req: HttpRequest) {
  const positive = (v: string | undefined) => { const n = Number(v ?? '0'); return Number.isSafeInteger(n) && n > 0 ? n : undefined; };
  const rev = positive(req.query.rev);
  if (rev !== undefined) return deps.store.listChanges(s.ownerId, rev, LATER_PAGE);
  const after = positive(req.query.after);
  return after === undefined ? deps.store.latestMessages(s.ownerId, FIRST_PAGE) : deps.store.listMessages(s.ownerId, after, LATER_PAGE);
}

const sessionView = (s: WebSession) => ({ userId: s.ownerId, csrfToken: s.csrfToken });
const clearCookie = (c: SlotContext) => ({ 'set-cookie': sessionCookie(c.paths, '', c.deps.secureCookies, 0) });

async function authenticate(c: SlotContext, req: HttpRequest, csrf: boolean): Promise<{ session: WebSession } | Refusal> {
  if (csrf && isCrossOrigin(req, c.deps.allowedOrigins)) return { refusal: refuse('cross_origin') };
  const token = readCookie(req.headers.cookie, c.paths.cookieName);
  const session = token === undefined ? undefined : await c.deps.sessions.get(token);
  if (!session) return { refusal: refuse('no_session', {}, clearCookie(c)) };
  if (csrf && !tokensMatch(req.headers[CSRF_HEADER], session.csrfToken)) return { refusal: refuse('csrf') };
  return { session };
}

/**
 * Runs `then` for a signed-in request. `csrf`: a state-changing POST, which must also come from
 * this origin, carry the session's CSRF token and a JSON object body.
 */
async function withSession(
  c: SlotContext, req: HttpRequest, csrf: boolean, then: (s: WebSession, body: Record<string, unknown>) => Promise<HttpResponse>,
): Promise<HttpResponse> {
  const auth = await authenticate(c, req, csrf);
  if ('refusal' in auth) return auth.refusal;
  if (!csrf) return then(auth.session, {});
  const parsed = parseJsonBody(req);
  return 'refusal' in parsed ? parsed.refusal : then(auth.session, parsed.body);
}

/** 429 with `Retry-After` in whole seconds. */
function rateLimited(retryAfterMs: number): HttpResponse {
  const retryAfterS = Math.ceil(retryAfterMs / 1000);
  return refuse('rate_limited', { retryAfter: retryAfterS }, { 'retry-after': String(retryAfterS) });
}

async function signIn(c: SlotContext, req: HttpRequest): Promise<HttpResponse> {
  const { deps } = c;
  const limit = deps.signInLimiter.hit(clientAddress(req, deps.trustProxy), deps.now());
  if (!limit.ok) return rateLimited(limit.retryAfterMs);
  if (isCrossOrigin(req, deps.allowedOrigins)) return refuse('cross_origin');
  const parsed = parseJsonBody(req);
  if ('refusal' in parsed) return parsed.refusal;
  const code = typeof parsed.body.code === 'string' ? parsed.body.code.trim() : '';
  if (!CODE.test(code)) return refuse('bad_request');
  if (!deps.isReceiving()) return refuse('unavailable');
  const redeemed = deps.redeemCode ? await deps.redeemCode(code) : { status: 'unknown' as const };
  if (redeemed.status === 'used') return refuse('code_used');
  if (redeemed.status === 'expired') return refuse('code_expired');
  const previous = readCookie(req.headers.cookie, c.paths.cookieName);
  const old = previous === undefined ? undefined : await deps.sessions.get(previous);
  if (old) await deps.sessions.delete(old);
  const { token, session } = await deps.sessions.create(redeemed.status === 'ok' ? redeemed.ownerId : undefined, toLanguageCode(req.headers['accept-language']));
  // The code is a credential: the timeline (shown on the page) keeps only the command. A redeemed
  // sign-in code already chose the person, so `/start` alone greets them; an invite is bound by the flow.
  const { entry } = await deps.store.appendMessage({ chatId: session.ownerId, from: 'user', text: '/start', at: new Date(deps.now()).toISOString() });
  deps.live.wake();
  const event: CommandEvent = {
    ...eventBase(deps, session, `sign-in-${entry.id}`, { route: 'sign-in' }), kind: 'command', messageId: entry.id, command: 'start',
    args: redeemed.status === 'ok' ? '' : code,
  };
  if (!(await deps.emit(event))) {
    await deps.sessions.delete(session);
    return refuse('unavailable');
  }
  return json(200, sessionView(session), { 'set-cookie': sessionCookie(c.paths, token, deps.secureCookies, deps.sessions.maxAgeS) });
}

/** The longest phone number or directory code "send me a code" accepts, in characters. */
const MAX_WHO = 64;

/**
 * "Send me a code". The answer never depends on whether anyone matched (202 `code_sent` always, also
 * when this identifier was asked about too often), and the sending runs after the answer, so neither
 * the body nor the timing tells who is in the directory.
 */
function sendCode(deps: WebRouteDeps, req: HttpRequest): HttpResponse {
  const nowMs = deps.now();
  const limit = deps.sendCodeLimiters.byAddress.hit(clientAddress(req, deps.trustProxy), nowMs);
  if (!limit.ok) return rateLimited(limit.retryAfterMs);
  if (isCrossOrigin(req, deps.allowedOrigins)) return refuse('cross_origin');
  const parsed = parseJsonBody(req);
  if ('refusal' in parsed) return parsed.refusal;
  const who = typeof parsed.body.who === 'string' ? parsed.body.who.trim() : '';
  if (who === '' || who.length > MAX_WHO) return refuse('bad_request');
  const key = who.toUpperCase().replace(/[\s.()-]/g, '');
  if (deps.requestCode && deps.sendCodeLimiters.byTarget.hit(key, nowMs).ok) {
    const request = deps.requestCode;
    setImmediate(() => { request(who).catch((err: unknown) => deps.onError(err, 'send-code')); });
  }
  return json(202, CODE_SENT);
}

function eventBase(deps: WebRouteDeps, s: WebSession, clientId: string, raw: Record<string, unknown>) {
  return {
    platform: 'web' as const,
    // The owner id, not the session token: the cookie value is a secret and event ids are stored.
    eventId: `web-${s.ownerId}-${clientId}`,
    from: { id: s.ownerId, name: '', ...(s.languageCode === undefined ? {} : { languageCode: s.languageCode }) },
    chatId: s.ownerId,
    at: new Date(deps.now()),
    raw,
  };
}

async function postMessage(deps: WebRouteDeps, s: WebSession, body: Record<string, unknown>): Promise<HttpResponse> {
  const { text, replyTo, clientId } = body;
  if (typeof text !== 'string' || text.trim() === '' || typeof clientId !== 'string' || !CLIENT_ID.test(clientId)) return refuse('bad_request');
  if (replyTo !== undefined && (typeof replyTo !== 'string' || !MESSAGE_ID.test(replyTo))) return refuse('bad_request');
  if (!deps.isReceiving()) return refuse('unavailable');
  // A resent POST (same clientId) finds its stored entry: same message id, same event id.
  const { entry } = await deps.store.appendMessage({
    chatId: s.ownerId, from: 'user', text, clientId, at: new Date(deps.now()).toISOString(), ...(replyTo === undefined ? {} : { replyTo }),
  });
  deps.live.wake();
  const messageId = entry.id;
  const base = { ...eventBase(deps, s, clientId, { text, replyTo, clientId }), messageId, ...(replyTo === undefined ? {} : { replyTo }) };
  const command = toCommand(text);
  const event: MessageEvent | CommandEvent = command ? { ...base, kind: 'command', ...command } : { ...base, kind: 'message', text };
  if (!(await deps.emit(event))) return refuse('unavailable');
  return json(200, { messageId, eventId: event.eventId });
}

async function postButton(deps: WebRouteDeps, s: WebSession, body: Record<string, unknown>): Promise<HttpResponse> {
  const { messageId, action, payload, clientId } = body;
  if (typeof messageId !== 'string' || !MESSAGE_ID.test(messageId) || typeof action !== 'string' || typeof payload !== 'string'
    || typeof clientId !== 'string' || !CLIENT_ID.test(clientId)) return refuse('bad_request');
  // Only buttons the bot really sent in this chat can be pressed.
  const entry = await deps.store.findMessage(s.ownerId, messageId);
  if (entry?.from !== 'bot' || !entry.buttons?.some((row) => row.some((b) => b.action === action && b.payload === payload))) return refuse('unknown_button');
  if (!deps.isReceiving()) return refuse('unavailable');
  const event: ButtonEvent = { ...eventBase(deps, s, clientId, { messageId, action, payload, clientId }), kind: 'button', messageId, action, payload };
  if (!(await deps.emit(event))) return refuse('unavailable');
  return json(200, { eventId: event.eventId });
}

/** `/Hoi@bot  rest` → `{command: 'hoi', args: 'rest'}`, as on Telegram; a bare `/` is text. */
function toCommand(text: string): { command: string; args: string } | undefined {
  const match = /^\/(\S+)([\s\S]*)$/.exec(text);
  const command = (match?.[1] ?? '').split('@')[0]!.toLowerCase();
  return command.length > 0 ? { command, args: (match?.[2] ?? '').trim() } : undefined;
}

async function openEvents(deps: WebRouteDeps, s: WebSession, req: HttpRequest): Promise<HttpResponse> {
  if (!deps.isReceiving()) return refuse('unavailable');
  // A reconnecting EventSource sends the last event id (change number) it saw: the stream resumes
  // after it. A first connection starts at the newest change (the page loads the rest itself).
  const lastId = Number(req.headers['last-event-id'] ?? 'NaN');
  const after = Number.isSafeInteger(lastId) && lastId >= 0 ? lastId : await deps.store.lastRev(s.ownerId);
  // Each heartbeat also marks the session active: an open page keeps its session alive.
  const heartbeat = setInterval(() => {
    stream.push(': ping\n\n');
    deps.sessions.touch(s).catch(() => undefined);
  }, deps.heartbeatMs);
  heartbeat.unref();
  const stream = deps.live.open(s.ownerId, after, () => {
    clearInterval(heartbeat);
    deps.sessions.touch(s).catch(() => undefined);
  });
  stream.push('retry: 3000\n\n');
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' },
    stream,
  };
}
