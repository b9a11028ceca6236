// The web API of this tab's sign-in slot: /web/api, or /web/u/<n>/api on the page /web/u/<n>/.
import { state } from './dom.js';

const { fetch, location, crypto, setTimeout } = globalThis;

/** This tab's slot (0 on /web): each slot is signed in as its own person, with its own cookie. */
export const SLOT = Number(/^\/web\/u\/([1-9])(\/|$)/.exec(location.pathname)?.[1] ?? '0');
export const API = SLOT === 0 ? '/web/api' : `/web/u/${SLOT}/api`;

export class ApiError extends Error {
  constructor(status, body) { super(body.error ?? `HTTP ${status}`); this.status = status; this.body = body; }
}

export async function api(method, path, body) {
  const headers = body === undefined ? {} : { 'content-type': 'application/json', 'x-csrf-token': state.csrf };
  const res = await fetch(`${API}${path}`, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

const wait = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/** A state-changing POST, retried with the same body (same clientId) while the service is busy or unreachable. */
export async function post(path, body, attempts = 3) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await api('POST', path, body);
    } catch (err) {
      const retryable = !(err instanceof ApiError) || err.status === 503;
      if (!retryable || attempt >= attempts) throw err;
      await wait(1000 * attempt);
    }
  }
}

export function newClientId() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID needs a secure context; plain http on a LAN address has only getRandomValues.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Fetches every entry added or edited since the newest change shown and hands each to `add`. */
export async function catchUp(add) {
  const data = await api('GET', state.lastRev > 0 ? `/messages?rev=${state.lastRev}` : '/messages');
  for (const entry of data.messages ?? []) add(entry);
}
