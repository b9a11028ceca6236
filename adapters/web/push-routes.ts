import type { HttpRequest, HttpResponse, HttpRoute } from '../types.js';
import { CSRF_HEADER, WEB_SLOTS, isCrossOrigin, json, parseJsonBody, refuse, slotPaths, tokensMatch } from './http.js';
import { clearCookie, currentSession, type SlotContext, type WebRouteDeps } from './route-kit.js';

/** A browser's push subscription as `PushSubscription.toJSON()` gives it. */
export interface BrowserSubscription { endpoint: string; p256dh: string; auth: string }

/** What the page may know about its signed-in person's notifications. */
export interface NotifyView {
  /** Web Push is configured on the server. */
  pushEnabled: boolean;
  /** The VAPID public key (base64url) the browser subscribes with; absent when push is off. */
  publicKey?: string;
  /** The person holds a staff role (only staff get push; the page offers notifications to them only). */
  staff: boolean;
  /** Subscriptions the person has (all browsers). */
  subscriptions: number;
  prefs: unknown;
}

/**
 * The notifications behind the web API (implemented in `src/push/web-api.ts`). Every call names
 * the signed-in chat (`ownerId`); the implementation finds its person and acts for that person
 * only, so one person can never touch another's subscriptions or preferences.
 */
export interface WebNotifyApi {
  view(ownerId: string): Promise<NotifyView | undefined>;
  /** `not_staff`: the person has no staff role; `no_person`: the chat is not linked to anyone. */
  subscribe(ownerId: string, sub: BrowserSubscription): Promise<'ok' | 'not_staff' | 'no_person'>;
  unsubscribe(ownerId: string, endpoint: string): Promise<'ok' | 'no_person'>;
  /** `bad`: the preferences are malformed. */
  savePrefs(ownerId: string, body: Record<string, unknown>): Promise<'ok' | 'not_staff' | 'no_person' | 'bad'>;
}

const FORBIDDEN = {
  not_staff: ['Chỉ cán bộ (người phát ngôn, điều phối viên…) nhận thông báo đẩy.', 'Push notifications are for staff (spokespersons, coordinators…) only.'],
  no_person: ['Tài khoản này chưa được liên kết với ai trong danh bạ.', 'This account is not linked to anyone in the directory yet.'],
} as const;

const forbidden = (code: keyof typeof FORBIDDEN) => json(403, { error: code, message_vi: FORBIDDEN[code][0], message_en: FORBIDDEN[code][1] });

/** base64url, as browsers encode subscription keys; an endpoint must be https (push services are). */
const B64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const MAX_ENDPOINT = 1024;

export function parseSubscription(body: Record<string, unknown>): BrowserSubscription | undefined {
  const { endpoint, keys } = body;
  if (typeof endpoint !== 'string' || endpoint.length > MAX_ENDPOINT || typeof keys !== 'object' || keys === null) return undefined;
  let url: URL;
  try { url = new URL(endpoint); } catch { return undefined; }
  if (url.protocol !== 'https:') return undefined;
  const { p256dh, auth } = keys as Record<string, unknown>;
  if (typeof p256dh !== 'string' || typeof auth !== 'string' || !B64URL.test(p256dh) || !B64URL.test(auth)) return undefined;
  if (p256dh.length < 80 || p256dh.length > 100 || auth.length < 16 || auth.length > 32) return undefined;
  return { endpoint, p256dh, auth };
}

/**
 * `GET …/notify` (the view), `POST …/notify/subscribe` (`{endpoint, keys: {p256dh, auth}}`),
 * `POST …/notify/unsubscribe` (`{endpoint}`), `POST …/notify/prefs` (`{events, quiet, channel}`),
 * for every sign-in slot; POSTs need the session's CSRF token and this origin, like the chat's.
 */
export function createNotifyRoutes(deps: WebRouteDeps, api: WebNotifyApi): HttpRoute[] {
  return Array.from({ length: WEB_SLOTS }, (_, slot) => {
    const c: SlotContext = { deps, paths: slotPaths(slot) };
    const at = (path: string) => `${c.paths.apiPrefix}/notify${path}`;
    return [
      { method: 'GET' as const, path: at(''), handle: (req: HttpRequest) => signedIn(c, req, false, async (owner) => {
        const view = await api.view(owner);
        return view ? json(200, view) : forbidden('no_person');
      }) },
      { method: 'POST' as const, path: at('/subscribe'), handle: (req: HttpRequest) => signedIn(c, req, true, async (owner, body) => {
        const sub = parseSubscription(body);
        if (!sub) return refuse('bad_request');
        const r = await api.subscribe(owner, sub);
        return r === 'ok' ? json(200, { ok: true }) : forbidden(r);
      }) },
      { method: 'POST' as const, path: at('/unsubscribe'), handle: (req: HttpRequest) => signedIn(c, req, true, async (owner, body) => {
        if (typeof body.endpoint !== 'string' || body.endpoint.length > MAX_ENDPOINT) return refuse('bad_request');
        const r = await api.unsubscribe(owner, body.endpoint);
        return r === 'ok' ? json(200, { ok: true }) : forbidden(r);
      }) },
      { method: 'POST' as const, path: at('/prefs'), handle: (req: HttpRequest) => signedIn(c, req, true, async (owner, body) => {
        const r = await api.savePrefs(owner, body);
        if (r === 'bad') return refuse('bad_request');
        return r === 'ok' ? json(200, { ok: true }) : forbidden(r);
      }) },
    ];
  }).flat();
}

async function signedIn(
  c: SlotContext, req: HttpRequest, csrf: boolean, then: (ownerId: string, body: Record<string, unknown>) => Promise<HttpResponse>,
): Promise<HttpResponse> {
  if (csrf && isCrossOrigin(req, c.deps.allowedOrigins, c.deps.allowedHost)) return refuse('cross_origin');
  const session = await currentSession(c, req);
  if (!session) return refuse('no_session', {}, clearCookie(c));
  if (!csrf) return then(session.ownerId, {});
  if (!tokensMatch(req.headers[CSRF_HEADER], session.csrfToken)) return refuse('csrf');
  const parsed = parseJsonBody(req);
  if ('refusal' in parsed) return parsed.refusal;
  try {
    return await then(session.ownerId, parsed.body);
  } catch (err) {
    c.deps.onError(err, 'notify');
    return refuse('unavailable');
  }
}
