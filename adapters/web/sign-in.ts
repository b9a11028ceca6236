import { randomUUID } from 'node:crypto';
import type { CommandEvent, HttpRequest, HttpResponse } from '../types.js';
import { CODE_SENT, clientAddress, isCrossOrigin, json, parseJsonBody, refuse, sessionCookie, toLanguageCode } from './http.js';
import { currentSession, eventBase, rateLimited, type SlotContext, type WebRouteDeps } from './route-kit.js';
import type { WebSession } from './sessions.js';

/** The shape of invite and sign-in codes; whether one is valid is the flows' call. */
const CODE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * What the page learns about its session: who, the CSRF token, the bot's name, the language the
 * bot speaks to this chat (the person's one setting), which the page then shows itself in, and the
 * button actions that mark a preview to confirm (shown as a panel by the composer).
 */
export async function sessionView(deps: Pick<WebRouteDeps, 'botName' | 'languageOf' | 'previewActions'>, s: WebSession) {
  const language = deps.languageOf ? await deps.languageOf(s.ownerId) : undefined;
  return {
    userId: s.ownerId, csrfToken: s.csrfToken, botName: deps.botName, ...(language ? { language } : {}),
    ...(deps.previewActions ? { previewActions: deps.previewActions } : {}),
  };
}

/**
 * `POST …/sign-in {code, replace?}`. Nothing is signed in, and nothing signed out, unless the code
 * is a live sign-in code or an unused invite: a made-up code yields no session (so no stranger can
 * register from the web), and a bad code never costs the slot its session. A slot that already has
 * a session answers 409 `signed_in` unless `replace` is true: the page asks the person first.
 */
export async function signIn(c: SlotContext, req: HttpRequest): Promise<HttpResponse> {
  const { deps } = c;
  const address = clientAddress(req, deps.trustProxy);
  const limit = deps.signInLimiter.hit(address, deps.now());
  if (!limit.ok) return rateLimited(limit.retryAfterMs);
  if (isCrossOrigin(req, deps.allowedOrigins, deps.allowedHost)) return refuse('cross_origin');
  const parsed = parseJsonBody(req);
  if ('refusal' in parsed) return parsed.refusal;
  const code = typeof parsed.body.code === 'string' ? parsed.body.code.trim() : '';
  if (!CODE.test(code)) return refuse('bad_request');
  const codes = deps.codeLimiters.byAddress.hit(address, deps.now());
  if (!codes.ok) return rateLimited(codes.retryAfterMs, 'too_many_codes');
  if (!deps.isReceiving()) return refuse('unavailable');
  const old = await currentSession(c, req);
  if (old && parsed.body.replace !== true) return refuse('signed_in', { userId: old.ownerId });
  const redeemed = await deps.redeemCode(code);
  if (redeemed.status === 'used') return refuse('code_used');
  if (redeemed.status === 'expired') return refuse('code_expired');
  if (redeemed.status === 'unknown') return refuse('code_unknown');
  if (old) {
    await deps.sessions.delete(old);
    deps.live.closeSession(old.tokenHash);
  }
  const { token, session } = await deps.sessions.create(redeemed.status === 'ok' ? redeemed.ownerId : undefined, c.paths.slot, toLanguageCode(req.headers['accept-language']));
  // The code is a credential and the person typed no command: the timeline shows no bubble for it,
  // only the bot's greeting. A redeemed sign-in code already chose the person, so `/start` alone
  // greets them; an invite is bound by the flow.
  const signInId = `sign-in-${randomUUID()}`;
  const event: CommandEvent = {
    ...eventBase(deps, session, signInId, { route: 'sign-in' }), kind: 'command', messageId: signInId, command: 'start',
    args: redeemed.status === 'ok' ? '' : code,
  };
  if (!(await deps.emit(event))) {
    await deps.sessions.delete(session);
    return refuse('unavailable');
  }
  return json(200, await sessionView(deps, session), { 'set-cookie': sessionCookie(c.paths, token, deps.secureCookies, deps.sessions.maxAgeS) });
}

/** The longest phone number or directory code "send me a code" accepts, in characters. */
const MAX_WHO = 64;

/**
 * The identifier "send me a code" counts requests by: a phone number in its national form
 * (`+84 900 000 001`, `84900000001` and `0900000001` are one number), a directory code in capitals.
 */
export function requestKey(who: string): string {
  const compact = who.toUpperCase().replace(/[\s.()-]/g, '');
  const international = /^\+?84([0-9]{8,10})$/.exec(compact);
  return international ? `0${international[1]}` : compact;
}

/**
 * "Send me a code". The answer never depends on whether anyone matched (202 `code_sent` always, also
 * when this identifier was asked about too often), and the request only queues the identifier: the
 * lookup and the sending run later, elsewhere, so neither the body nor the timing tells who is in
 * the directory.
 */
export function sendCode(deps: WebRouteDeps, req: HttpRequest): HttpResponse {
  const nowMs = deps.now();
  const limit = deps.sendCodeLimiters.byAddress.hit(clientAddress(req, deps.trustProxy), nowMs);
  if (!limit.ok) return rateLimited(limit.retryAfterMs);
  if (isCrossOrigin(req, deps.allowedOrigins, deps.allowedHost)) return refuse('cross_origin');
  const parsed = parseJsonBody(req);
  if ('refusal' in parsed) return parsed.refusal;
  const who = typeof parsed.body.who === 'string' ? parsed.body.who.trim() : '';
  if (who === '' || who.length > MAX_WHO) return refuse('bad_request');
  if (deps.sendCodeLimiters.byTarget.hit(requestKey(who), nowMs).ok) deps.requestCode?.(who);
  return json(202, CODE_SENT);
}
