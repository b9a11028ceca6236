import { randomUUID } from 'node:crypto';

/** A JSON answer of the web API. */
export interface WebReply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A browser, as far as the web API can tell: a cookie jar of one session and its CSRF token. */
export interface WebClient {
  /** `Cookie` header value, once signed in. */
  cookie?: string;
  csrfToken?: string;
  /** Signs in on this client's slot; `extra` joins the body (e.g. `{replace: true}`). */
  signIn(code: string, headers?: Record<string, string>, extra?: Record<string, unknown>): Promise<WebReply>;
  /** POSTs JSON with the session cookie and (unless `csrf` is given, even `undefined`) the CSRF token. */
  post(path: string, body: unknown, options?: { csrf?: string | undefined; raw?: string | Buffer; contentType?: string; headers?: Record<string, string> }): Promise<WebReply>;
  get(path: string): Promise<WebReply>;
  /** A fresh client id for a message or press. */
  newClientId(): string;
}

/**
 * Creates a {@link WebClient} talking to the server at `base` (`http://127.0.0.1:<port>`), signing
 * in on sign-in slot `slot` (0: `/web/api`). Like a browser, it keeps the cookie of that slot only.
 */
export function createWebClient(base: string, slot = 0): WebClient {
  const apiPrefix = slot === 0 ? '/web/api' : `/web/u/${slot}/api`;
  const client: WebClient = {
    async signIn(code, headers = {}, extra = {}) {
      const res = await fetch(`${base}${apiPrefix}/sign-in`, {
        method: 'POST', headers: { 'content-type': 'application/json', ...cookieHeader(), ...headers }, body: JSON.stringify({ code, ...extra }),
      });
      const reply = await toReply(res);
      const setCookie = res.headers.get('set-cookie');
      if (res.status === 200 && setCookie) {
        client.cookie = setCookie.split(';')[0];
        client.csrfToken = String(reply.body.csrfToken);
      }
      return reply;
    },
    async post(path, body, options = {}) {
      const csrf = 'csrf' in options ? options.csrf : client.csrfToken;
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': options.contentType ?? 'application/json', ...cookieHeader(), ...(csrf === undefined ? {} : { 'x-csrf-token': csrf }), ...options.headers },
        body: options.raw ?? JSON.stringify(body),
      });
      return toReply(res);
    },
    async get(path) {
      return toReply(await fetch(`${base}${path}`, { headers: cookieHeader() }));
    },
    newClientId: () => randomUUID(),
  };
  const cookieHeader = (): Record<string, string> => (client.cookie ? { cookie: client.cookie } : {});
  return client;
}

async function toReply(res: Response): Promise<WebReply> {
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    body = { text };
  }
  return { status: res.status, headers: res.headers, body };
}
