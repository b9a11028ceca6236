import type { ButtonEvent, CommandEvent, HttpRequest, HttpResponse, HttpRoute, InboundEvent, MessageEvent } from '../types.js';
import {
  CSRF_HEADER, SESSION_COOKIE, json, parseJsonBody, readCookie, refuse, sessionCookie, toLanguageCode, tokensMatch,
} from './http.js';
import type { RateLimiter } from './rate-limit.js';
import { toSseMessage, type SessionStore, type WebSession } from './sessions.js';

/** Where the web API lives on the bot's HTTP server. */
export const WEB_API_PREFIX = '/web/api';

/** What the routes need from the adapter. */
export interface WebRouteDeps {
  sessions: SessionStore;
  /** Epoch milliseconds. */
  now(): number;
  secureCookies: boolean;
  signInLimiter: RateLimiter;
  /** Interval between SSE heartbeat comments, in milliseconds. */
  heartbeatMs: number;
  isReceiving(): boolean;
  /** Hands the event to the bot; resolves false when it was not accepted (the client should retry). */
  emit(event: InboundEvent): Promise<boolean>;
}

type Refusal = { refusal: HttpResponse };
const CLIENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MESSAGE_ID = /^[1-9][0-9]{0,15}$/;
/** The shape of invite codes (the import allows A-Z, a-z, 0-9, `_`, `-`); whether one is valid is the flow's call. */
const INVITE_CODE = /^[A-Za-z0-9_-]{1,64}$/;
/** Remembered client ids per session, so a resent POST is recognised; the oldest are forgotten. */
const MAX_CLIENT_IDS = 1000;

/** The web channel's HTTP API (see the adapter's README section for bodies and errors). */
export function createWebRoutes(deps: WebRouteDeps): HttpRoute[] {
  const route = (method: HttpRoute['method'], path: string, handle: HttpRoute['handle']): HttpRoute =>
    ({ method, path: `${WEB_API_PREFIX}${path}`, handle });
  return [
    route('POST', '/sign-in', (req) => signIn(deps, req)),
    route('GET', '/session', async (req) => withSession(deps, req, false, (s) => json(200, sessionView(s)))),
    route('POST', '/sign-out', async (req) => withSession(deps, req, true, (s) => {
      deps.sessions.delete(s);
      return json(200, { ok: true }, { 'set-cookie': sessionCookie('', deps.secureCookies) });
    })),
    route('GET', '/messages', async (req) => withSession(deps, req, false, (s) => {
      const after = Number(req.query.after ?? '0');
      return json(200, { messages: s.timeline.filter((e) => !(Number(e.id) <= after)) });
    })),
    route('POST', '/messages', (req) => withSessionAsync(deps, req, (s, body) => postMessage(deps, s, body))),
    route('POST', '/buttons', (req) => withSessionAsync(deps, req, (s, body) => postButton(deps, s, body))),
    route('GET', '/events', async (req) => withSession(deps, req, false, (s) => openEvents(deps, s, req))),
  ];
}

const sessionView = (s: WebSession) => ({ userId: s.ownerId, csrfToken: s.csrfToken });

function authenticate(deps: WebRouteDeps, req: HttpRequest, csrf: boolean): { session: WebSession } | Refusal {
  const id = readCookie(req.headers.cookie, SESSION_COOKIE);
  const session = id === undefined ? undefined : deps.sessions.get(id, deps.now());
  if (!session) return { refusal: refuse('no_session', {}, { 'set-cookie': sessionCookie('', deps.secureCookies) }) };
  if (csrf && !tokensMatch(req.headers[CSRF_HEADER], session.csrfToken)) return { refusal: refuse('csrf') };
  return { session };
}

function withSession(deps: WebRouteDeps, req: HttpRequest, csrf: boolean, then: (s: WebSession) => HttpResponse): HttpResponse {
  const auth = authenticate(deps, req, csrf);
  return 'refusal' in auth ? auth.refusal : then(auth.session);
}

/** A state-changing POST: session, CSRF token, then a JSON body. */
async function withSessionAsync(
  deps: WebRouteDeps, req: HttpRequest, then: (s: WebSession, body: Record<string, unknown>) => Promise<HttpResponse>,
): Promise<HttpResponse> {
  const auth = authenticate(deps, req, true);
  if ('refusal' in auth) return auth.refusal;
  const parsed = parseJsonBody(req);
  return 'refusal' in parsed ? parsed.refusal : then(auth.session, parsed.body);
}

async function signIn(deps: WebRouteDeps, req: HttpRequest): Promise<HttpResponse> {
  const limit = deps.signInLimiter.hit(req.ip, deps.now());
  if (!limit.ok) {
    const retryAfterS = Math.ceil(limit.retryAfterMs / 1000);
    return refuse('rate_limited', { retryAfter: retryAfterS }, { 'retry-after': String(retryAfterS) });
  }
  const parsed = parseJsonBody(req);
  if ('refusal' in parsed) return parsed.refusal;
  const code = typeof parsed.body.code === 'string' ? parsed.body.code.trim() : '';
  if (!INVITE_CODE.test(code)) return refuse('bad_request');
  if (!deps.isReceiving()) return refuse('unavailable');
  const previous = readCookie(req.headers.cookie, SESSION_COOKIE);
  const old = previous === undefined ? undefined : deps.sessions.get(previous, deps.now());
  if (old) deps.sessions.delete(old);
  const session = deps.sessions.create(deps.now(), toLanguageCode(req.headers['accept-language']));
  // The code is a credential: the timeline (shown on the page) keeps only the command.
  const entry = deps.sessions.append(session, { from: 'user', text: '/start', at: new Date(deps.now()).toISOString() });
  const event: CommandEvent = {
    ...eventBase(deps, session, 'sign-in', { route: 'sign-in' }), kind: 'command', messageId: entry.id, command: 'start', args: code,
  };
  if (!(await deps.emit(event))) {
    deps.sessions.delete(session);
    return refuse('unavailable');
  }
  return json(200, sessionView(session), { 'set-cookie': sessionCookie(session.id, deps.secureCookies) });
}

function eventBase(deps: WebRouteDeps, s: WebSession, clientId: string, raw: Record<string, unknown>) {
  return {
    platform: 'web' as const,
    // The owner id, not the session id: the cookie value is a secret and event ids are stored.
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
  const messageId = s.clientMessages.get(clientId) ?? rememberClientMessage(s, clientId, deps.sessions.append(s, {
    from: 'user', text, ...(replyTo === undefined ? {} : { replyTo }), at: new Date(deps.now()).toISOString(),
  }).id);
  const base = { ...eventBase(deps, s, clientId, { text, replyTo, clientId }), messageId, ...(replyTo === undefined ? {} : { replyTo }) };
  const command = toCommand(text);
  const event: MessageEvent | CommandEvent = command ? { ...base, kind: 'command', ...command } : { ...base, kind: 'message', text };
  if (!(await deps.emit(event))) return refuse('unavailable');
  return json(200, { messageId, eventId: event.eventId });
}

function rememberClientMessage(s: WebSession, clientId: string, messageId: string): string {
  s.clientMessages.set(clientId, messageId);
  if (s.clientMessages.size > MAX_CLIENT_IDS) s.clientMessages.delete(s.clientMessages.keys().next().value ?? '');
  return messageId;
}

async function postButton(deps: WebRouteDeps, s: WebSession, body: Record<string, unknown>): Promise<HttpResponse> {
  const { messageId, action, payload, clientId } = body;
  if (typeof messageId !== 'string' || typeof action !== 'string' || typeof payload !== 'string'
    || typeof clientId !== 'string' || !CLIENT_ID.test(clientId)) return refuse('bad_request');
  // Only buttons the bot really sent in this chat can be pressed.
  const entry = s.timeline.find((e) => e.id === messageId && e.from === 'bot');
  if (!entry?.buttons?.some((row) => row.some((b) => b.action === action && b.payload === payload))) return refuse('unknown_button');
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

function openEvents(deps: WebRouteDeps, s: WebSession, req: HttpRequest): HttpResponse {
  if (!deps.isReceiving()) return refuse('unavailable');
  const heartbeat = setInterval(() => { stream.push(': ping\n\n'); }, deps.heartbeatMs);
  heartbeat.unref();
  const stream = deps.sessions.openStream(s, deps.now, () => { clearInterval(heartbeat); });
  stream.push('retry: 3000\n\n');
  // A reconnecting EventSource sends the last id it saw; replay what it missed.
  const lastId = Number(req.headers['last-event-id'] ?? 'NaN');
  if (Number.isSafeInteger(lastId)) for (const e of s.timeline) if (Number(e.id) > lastId) stream.push(toSseMessage(e));
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' },
    stream,
  };
}
