import type { CommandEvent, HttpRequest, HttpResponse, HttpRoute, MessageEvent } from '../types.js';
import {
  CSRF_HEADER, WEB_SLOTS, clientAddress, isCrossOrigin, json, parseJsonBody, refuse, sessionCookie, slotPaths, tokensMatch, type SlotPaths,
} from './http.js';
import {
  clearCookie, currentSession, eventBase, isCodeAttempt, rateLimited, type Refusal, type SlotContext, type WebRouteDeps,
} from './route-kit.js';
import { messageFiles, parseMessageFiles } from './file-routes.js';
import { postButton, postPreviewEdit } from './press.js';
import type { WebSession } from './sessions.js';
import { sendCode, sessionView, signIn } from './sign-in.js';

/** Where slot 0's web API lives on the bot's HTTP server (slot n: `/web/u/<n>/api`). */
export const WEB_API_PREFIX = '/web/api';

export type { CodeRedemption, WebRouteDeps } from './route-kit.js';

const CLIENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MESSAGE_ID = /^[1-9][0-9]{0,15}$/;
/** Entries a first load shows; older ones stay stored. */
const FIRST_PAGE = 200;
const LATER_PAGE = 500;
/** Entries a page of older messages holds (`?before=<id>`, loaded when the person scrolls up). */
const OLDER_PAGE = 100;

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
    route('GET', '/session', (req) => withSession(ctx, req, false, async (s) => json(200, await sessionView(deps, s)))),
    route('POST', '/sign-out', (req) => withSession(ctx, req, true, async (s) => {
      await deps.sessions.delete(s);
      // This process's streams of the session end now; other processes' within their next poll.
      deps.live.closeSession(s.tokenHash);
      return json(200, { ok: true }, { 'set-cookie': sessionCookie(paths, '', deps.secureCookies, 0) });
    })),
    route('GET', '/messages', (req) => withSession(ctx, req, false, async (s) => json(200, { messages: await listFor(deps, s, req) }))),
    route('POST', '/messages', (req) => withSession(ctx, req, true, (s, body) => postMessage(deps, s, body, req))),
    route('POST', '/buttons', (req) => withSession(ctx, req, true, (s, body) => postButton(deps, s, body))),
    route('POST', '/preview-edit', (req) => withSession(ctx, req, true, (s, body) => postPreviewEdit(deps, s, body))),
    route('POST', '/language', (req) => withSession(ctx, req, true, (s, body) => postLanguage(deps, s, body))),
    route('POST', '/inquiry-action', (req) => withSession(ctx, req, true, (s, body) => postInquiryAction(deps, s, body))),
    route('GET', '/events', (req) => withSession(ctx, req, false, (s) => openEvents(deps, s, req))),
  ];
}

/** `?rev=<n>`: entries added or edited after change n; `?before=<id>`: the page before id; `?after=<id>`: entries after id; none: the newest. */
async function listFor(deps: WebRouteDeps, s: WebSession, req: HttpRequest) {
  const positive = (v: string | undefined) => { const n = Number(v ?? '0'); return Number.isSafeInteger(n) && n > 0 ? n : undefined; };
  const rev = positive(req.query.rev);
  if (rev !== undefined) return deps.store.listChanges(s.ownerId, rev, LATER_PAGE);
  const before = positive(req.query.before);
  if (before !== undefined) return deps.store.messagesBefore ? deps.store.messagesBefore(s.ownerId, before, OLDER_PAGE) : [];
  const after = positive(req.query.after);
  return after === undefined ? deps.store.latestMessages(s.ownerId, FIRST_PAGE) : deps.store.listMessages(s.ownerId, after, LATER_PAGE);
}

async function authenticate(c: SlotContext, req: HttpRequest, csrf: boolean): Promise<{ session: WebSession } | Refusal> {
  if (csrf && isCrossOrigin(req, c.deps.allowedOrigins, c.deps.allowedHost)) return { refusal: refuse('cross_origin') };
  const session = await currentSession(c, req);
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

async function postMessage(deps: WebRouteDeps, s: WebSession, body: Record<string, unknown>, req: HttpRequest): Promise<HttpResponse> {
  const { text, replyTo, clientId } = body;
  const fileIds = deps.files ? parseMessageFiles(body.files) : [];
  if (fileIds === undefined || typeof text !== 'string' || (text.trim() === '' && fileIds.length === 0) || typeof clientId !== 'string' || !CLIENT_ID.test(clientId)) return refuse('bad_request');
  if (replyTo !== undefined && (typeof replyTo !== 'string' || !MESSAGE_ID.test(replyTo))) return refuse('bad_request');
  if (!deps.isReceiving()) return refuse('unavailable');
  const limited = isCodeAttempt(text) ? codeAttemptRefusal(deps, s, req) : undefined;
  if (limited) return limited;
  // A resent POST (same clientId) finds its stored entry: same message id, same event id.
  const shown = fileIds.length > 0 && deps.files ? await deps.files.describe(s.ownerId, fileIds) : [];
  const { entry } = await deps.store.appendMessage({
    chatId: s.ownerId, from: 'user', text, clientId, at: new Date(deps.now()).toISOString(), ...(replyTo === undefined ? {} : { replyTo }),
    ...(shown.length > 0 ? { files: shown } : {}),
  });
  deps.live.wake();
  const messageId = entry.id;
  const base = { ...eventBase(deps, s, clientId, { text, replyTo, clientId, ...(fileIds.length > 0 ? { files: body.files } : {}) }), messageId, ...(replyTo === undefined ? {} : { replyTo }) };
  const command = fileIds.length > 0 ? undefined : toCommand(text);
  const event: MessageEvent | CommandEvent = command ? { ...base, kind: 'command', ...command } : { ...base, kind: 'message', text, ...messageFiles(fileIds, shown) };
  if (!(await deps.emit(event))) return refuse('unavailable');
  return json(200, { messageId, eventId: event.eventId });
}

/**
 * The page's language button: the bot records the person's language (one setting for every
 * channel) and confirms in it, as `/lang` would, with no bubble the person never typed.
 */
async function postLanguage(deps: WebRouteDeps, s: WebSession, body: Record<string, unknown>): Promise<HttpResponse> {
  const { language, clientId } = body;
  if ((language !== 'vi' && language !== 'en') || typeof clientId !== 'string' || !CLIENT_ID.test(clientId)) return refuse('bad_request');
  if (!deps.isReceiving()) return refuse('unavailable');
  const event: CommandEvent = { ...eventBase(deps, s, clientId, { language, clientId }), kind: 'command', messageId: `lang-${clientId}`, command: 'lang', args: language };
  if (!(await deps.emit(event))) return refuse('unavailable');
  return json(200, { eventId: event.eventId });
}

/** An inquiry's code as the page sends it (`Q-12`). */
const INQUIRY_CODE = /^Q-[0-9]{1,12}$/;
const INQUIRY_ACTIONS = new Set(['follow', 'unfollow', 'merge']);

/**
 * The workspace's own buttons on an inquiry — follow / stop following a similar question, merge a
 * screened duplicate into another — as typed fields, not chat commands: the flows' command handler
 * decides (role, scope, state, exactly as for `/follow Q-12`, `/merge Q-13 Q-12` typed anywhere)
 * and answers in the conversation with the bot, replying to the action's id (`act-<clientId>`), which
 * the page also shows beside the button; no bubble the person never typed.
 */
async function postInquiryAction(deps: WebRouteDeps, s: WebSession, body: Record<string, unknown>): Promise<HttpResponse> {
  const { action, code, into, clientId } = body;
  if (typeof action !== 'string' || !INQUIRY_ACTIONS.has(action) || typeof code !== 'string' || !INQUIRY_CODE.test(code)
    || typeof clientId !== 'string' || !CLIENT_ID.test(clientId)) return refuse('bad_request');
  if ((action === 'merge') !== (typeof into === 'string' && INQUIRY_CODE.test(into))) return refuse('bad_request');
  if (!deps.isReceiving()) return refuse('unavailable');
  const args = action === 'merge' ? `${code} ${String(into)}` : code;
  // The bot's answer replies to the action (`answerTo`): the page shows it beside the button pressed.
  const event: CommandEvent = { ...eventBase(deps, s, clientId, { action, code, into, clientId }), kind: 'command', messageId: `act-${clientId}`, answerTo: `act-${clientId}`, command: action, args };
  if (!(await deps.emit(event))) return refuse('unavailable');
  return json(200, { eventId: event.eventId });
}

/**
 * A code typed in the chat counts against the session's and the address's code attempts (a resent
 * POST counts again: harmless, the limits are generous for people and tight for guessing).
 */
function codeAttemptRefusal(deps: WebRouteDeps, s: WebSession, req: HttpRequest): HttpResponse | undefined {
  const nowMs = deps.now();
  const bySession = deps.codeLimiters.bySession.hit(s.tokenHash, nowMs);
  const byAddress = deps.codeLimiters.byAddress.hit(clientAddress(req, deps.trustProxy), nowMs);
  if (!bySession.ok) return rateLimited(bySession.retryAfterMs, 'too_many_codes');
  return byAddress.ok ? undefined : rateLimited(byAddress.retryAfterMs, 'too_many_codes');
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
  // The heartbeat only keeps proxies from closing an idle connection: it is not activity, so an
  // open page left alone still expires after the idle time (and its stream then ends).
  const heartbeat = setInterval(() => { stream.push(': ping\n\n'); }, deps.heartbeatMs);
  heartbeat.unref();
  const stream = deps.live.open(s.ownerId, after, s.tokenHash, () => { clearInterval(heartbeat); });
  stream.push('retry: 3000\n\n');
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' },
    stream,
  };
}
