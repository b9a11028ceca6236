import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOaMedia, type OaUpload } from './media.js';

export { OA_UPLOAD_ERRORS, OA_UPLOAD_RULES, type OaUpload } from './media.js';

/** A consultation message the fake accepted. */
export interface OaSent {
  messageId: string;
  userId: string;
  text: string;
  /** The user message it quotes (`message[quoteField]`, by default `react_message_id`), if any. */
  quote?: string;
  /** Whether the request carried an attachment (a file, an image, or anything else). */
  hadAttachment: boolean;
  /** The uploaded file the message carries (an image by `attachment_id`, a file by `token`). */
  file?: OaUpload;
  at: Date;
}

/** A ZNS template send the fake accepted. */
export interface ZnsSent {
  phone: string;
  templateId: string;
  templateData: Record<string, unknown>;
  trackingId: string;
}

/** One request the fake answered. */
export interface OaCall {
  path: string;
  /** Zalo `error` code returned (0 = success), or the HTTP status for transport failures. */
  error: number;
  httpStatus: number;
  userId?: string;
  at: Date;
}

/** A scripted refusal for the next send(s) to one user. */
export interface OaScriptedError {
  code: number;
  message: string;
  /** Answer with this HTTP status and no Zalo body (5xx). */
  httpStatus?: number;
  /** `Retry-After` header, in seconds. */
  retryAfterS?: number;
}

/** Real-shaped Zalo error texts. */
export const OA_ERRORS = {
  tokenInvalid: { code: -216, message: 'Access token is invalid' },
  tokenExpired: { code: -220, message: 'Access token has expired' },
  notFollower: { code: -213, message: 'User has not followed OA' },
  outsideWindow: { code: -230, message: 'User has not interacted with the OA in the past 7 days' },
  outsideWindowFree: { code: -232, message: 'User has not interacted with the OA in the last 48 hours' },
  quota: { code: -211, message: 'Out of quota' },
  rate: { code: -32, message: 'Exceeded the rate limit' },
  badParam: { code: -201, message: 'Parameters are invalid' },
  tooLong: { code: -210, message: 'Parameter exceeds the allowed limit' },
  userInactive: { code: -227, message: 'User is banned or has been inactive for more than 45 days' },
  userRefuses: { code: -244, message: 'User has rejected this type of message' },
  oaDeleted: { code: -204, message: 'Official Account has been deleted' },
  oaMissing: { code: -205, message: 'Official Account does not exist' },
  appDisabled: { code: -219, message: 'Application has been removed or disabled' },
  oaUnverified: { code: -221, message: 'Official Account is not verified' },
  oaNoPermission: { code: -223, message: 'Official Account has not been granted this feature' },
  oaPackage: { code: -224, message: 'Official Account service package does not allow this' },
  cloudNotLinked: { code: -320, message: 'Application needs to link a Zalo Cloud Account to use paid services' },
  cloudNoFunds: { code: -321, message: 'Zalo Cloud Account has insufficient balance' },
} as const satisfies Record<string, OaScriptedError>;

/** ZNS's own codes (a separate table from the OA's). */
export const ZNS_ERRORS = {
  tokenInvalid: { code: -124, message: 'Access token is invalid' },
  noZaloAccount: { code: -118, message: 'Zalo account does not exist' },
} as const satisfies Record<string, OaScriptedError>;

/**
 * A scripted answer of the token endpoint. *Assumed shapes* (no public source shows Zalo's OAuth
 * error bodies): an HTTP status with an optional body and Retry-After.
 */
export interface OAuthScripted {
  httpStatus: number;
  body?: unknown;
  retryAfterS?: number;
}

/** Token endpoint answers the bot must treat as "try again later", not as a dead refresh token. */
export const OAUTH_TRANSIENT = {
  tooMany: { httpStatus: 429, retryAfterS: 2, body: { error: -32, message: 'Too many requests' } },
  badGateway: { httpStatus: 502, body: '<html><body>502 Bad Gateway</body></html>' },
  busy: { httpStatus: 200, body: { error: -14000, error_name: 'Internal error', error_description: 'System is busy, please try again later' } },
} as const satisfies Record<string, OAuthScripted>;

/** Options of {@link createFakeZaloOa}. */
export interface FakeZaloOaOptions {
  appId: string;
  /** Expected in header `secret_key` of token requests. */
  appSecret: string;
  /** Lifetime of issued access tokens, in seconds (Zalo: ~25 h). Default 90000. */
  expiresInS?: number;
  /** The `message` field this Zalo takes as the quoted message id (others are ignored). Default `react_message_id`. */
  quoteField?: string;
}

/**
 * A local server speaking the OA Open API (`/v3.0/oa/message/cs`), the OAuth token endpoint
 * (`/v4/oa/access_token`, refresh tokens single-use) and ZNS (`/message/template`), all on one
 * origin. Tests script expiries, window and quota errors, and read what was sent.
 */
export function createFakeZaloOa(options: FakeZaloOaOptions) {
  const changes = new EventEmitter().setMaxListeners(0);
  const sent: OaSent[] = [];
  const zns: ZnsSent[] = [];
  const calls: OaCall[] = [];
  const validAccess = new Set<string>();
  let currentRefresh = '';
  const scripted = new Map<string, OaScriptedError[]>();
  const closedWindows = new Set<string>();
  /** Answers of delivered sends held back while `state.holdAnswers` (dropped by `dropHeldAnswers`). */
  const heldAnswers: ServerResponse[] = [];
  const state: { tokenDelayMs: number; tokenCalls: number; origin: string; quoteField: string; everySend?: OaScriptedError | undefined; holdAnswers?: boolean } = {
    tokenDelayMs: 0, tokenCalls: 0, origin: '', quoteField: options.quoteField ?? 'react_message_id',
  };
  /** Sends whose `message` carries one of these fields are refused with the given error. */
  const refusedFields = new Map<string, OaScriptedError>();
  const oauthScript: OAuthScripted[] = [];
  const phonesWithoutZalo = new Set<string>();
  const media = createOaMedia();

  const issuePair = () => {
    const pair = { access_token: `acc_${randomBytes(12).toString('hex')}`, refresh_token: `ref_${randomBytes(12).toString('hex')}` };
    validAccess.add(pair.access_token);
    currentRefresh = pair.refresh_token;
    return pair;
  };

  const record = (call: Omit<OaCall, 'at'>) => { calls.push({ ...call, at: new Date() }); changes.emit('change'); };

  const onSend = (req: IncomingMessage, body: Record<string, unknown>): Answer => {
    const userId = String((body.recipient as { user_id?: unknown } | undefined)?.user_id ?? '');
    const message = (body.message ?? {}) as Record<string, unknown>;
    const queued = scripted.get(userId)?.shift() ?? state.everySend;
    if (queued) return refusal(queued);
    if (!validAccess.has(String(req.headers.access_token ?? ''))) return refusal(OA_ERRORS.tokenInvalid);
    const file = media.attachmentOf(message);
    const text = typeof message.text === 'string' ? message.text : '';
    if (!/^\d+$/.test(userId) || file === 'invalid' || (text.length === 0 && file === undefined)) return refusal(OA_ERRORS.badParam);
    if (text.length > 2000) return refusal(OA_ERRORS.tooLong);
    const refusedField = Object.keys(message).find((f) => refusedFields.has(f));
    if (refusedField !== undefined) return refusal(refusedFields.get(refusedField)!);
    if (closedWindows.has(userId)) return refusal(OA_ERRORS.outsideWindowFree);
    const messageId = randomBytes(16).toString('hex');
    // A field this Zalo does not know is ignored, as JSON APIs do: the message arrives unthreaded.
    const quoted = message[state.quoteField];
    const quote = typeof quoted === 'string' ? { quote: quoted } : {};
    sent.push({ messageId, userId, text, ...quote, hadAttachment: 'attachment' in message, ...(file ? { file } : {}), at: new Date() });
    return { status: 200, body: { error: 0, message: 'Success', data: { message_id: messageId, user_id: userId } } };
  };

  const onToken = async (req: IncomingMessage, form: URLSearchParams): Promise<Answer> => {
    state.tokenCalls += 1;
    if (state.tokenDelayMs > 0) await new Promise((r) => setTimeout(r, state.tokenDelayMs));
    const scriptedAnswer = oauthScript.shift();
    if (scriptedAnswer) {
      return {
        status: scriptedAnswer.httpStatus, body: scriptedAnswer.body,
        ...(scriptedAnswer.retryAfterS !== undefined ? { headers: { 'retry-after': String(scriptedAnswer.retryAfterS) } } : {}),
      };
    }
    if (req.headers.secret_key !== options.appSecret || form.get('app_id') !== options.appId) {
      return { status: 200, body: { error: -14002, error_name: 'Invalid app', error_description: 'Invalid app id or secret key' } };
    }
    const given = form.get('refresh_token') ?? '';
    if (form.get('grant_type') !== 'refresh_token' || given === '' || given !== currentRefresh) {
      return { status: 200, body: { error: -14014, error_name: 'Invalid refresh token', error_description: 'Refresh token is invalid or has been used' } };
    }
    return { status: 200, body: { ...issuePair(), expires_in: String(options.expiresInS ?? 90_000) } };
  };

  const onZns = (req: IncomingMessage, body: Record<string, unknown>): Answer => {
    if (!validAccess.has(String(req.headers.access_token ?? ''))) return refusal(ZNS_ERRORS.tokenInvalid);
    if (phonesWithoutZalo.has(String(body.phone))) return refusal(ZNS_ERRORS.noZaloAccount);
    zns.push({ phone: String(body.phone), templateId: String(body.template_id), templateData: (body.template_data ?? {}) as Record<string, unknown>, trackingId: String(body.tracking_id) });
    return { status: 200, body: { error: 0, message: 'Success', data: { msg_id: randomBytes(16).toString('hex'), sent_time: String(Date.now()) } } };
  };

  const server = createServer((req, res) => { void route(req, res); });
  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    if (req.method === 'GET' && path.startsWith('/media/')) {
      if (!media.serve(res, path)) res.writeHead(404).end();
      return record({ path: '/media', error: res.statusCode === 200 ? 0 : 404, httpStatus: res.statusCode });
    }
    const upload = /^\/v2\.0\/oa\/upload\/(image|file)$/.exec(path);
    const raw = upload ? '' : (await readBody(req)).toString('utf8');
    let answer: Answer;
    let userId: string | undefined;
    if (req.method === 'POST' && upload) answer = await media.upload(req, upload[1] as 'image' | 'file', validAccess.has(String(req.headers.access_token ?? '')));
    else if (req.method === 'POST' && path === '/v3.0/oa/message/cs') {
      const body = parseObject(raw);
      userId = String((body.recipient as { user_id?: unknown } | undefined)?.user_id ?? '');
      answer = onSend(req, body);
      // A timeout as the sender sees it: the message was delivered (recorded above), the answer never comes.
      if (state.holdAnswers && answer.status === 200) return void heldAnswers.push(res);
    } else if (req.method === 'POST' && path === '/v4/oa/access_token') answer = await onToken(req, new URLSearchParams(raw));
    else if (req.method === 'POST' && path === '/message/template') answer = onZns(req, parseObject(raw));
    else answer = { status: 404, body: { error: 404, message: 'not found' } };
    const text = typeof answer.body === 'string';
    res.writeHead(answer.status, { 'content-type': text ? 'text/html' : 'application/json', ...(answer.headers ?? {}) });
    res.end(answer.body === undefined ? '' : text ? answer.body as string : JSON.stringify(answer.body));
    const error = typeof (answer.body as { error?: unknown } | undefined)?.error === 'number' ? (answer.body as { error: number }).error : answer.status === 200 ? 0 : answer.status;
    record({ path, error, httpStatus: answer.status, ...(userId !== undefined ? { userId } : {}) });
  };

  return {
    sent: sent as readonly OaSent[],
    zns: zns as readonly ZnsSent[],
    calls: calls as readonly OaCall[],
    /** How many times the token endpoint was called. */
    get tokenCalls() { return state.tokenCalls; },
    get origin() {
      if (!state.origin) throw new Error('fake zalo-oa: call start() first');
      return state.origin;
    },
    async start() {
      await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve); });
      state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      media.state.origin = state.origin;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => { server.close(() => resolve()); });
    },
    /** Issues a fresh pair (as the OA console does) and returns it, for seeding the bot. */
    issueTokens: () => issuePair(),
    /** Every access token issued so far stops working (-216), as at expiry. */
    expireAccessTokens() { validAccess.clear(); },
    /** The current refresh token is refused from now on (revoked by the OA admin). */
    revokeRefreshToken() { currentRefresh = ''; },
    /** Delay of the token endpoint, in ms, so concurrent refreshes overlap. */
    setTokenDelay(ms: number) { state.tokenDelayMs = ms; },
    /** The next `times` sends to `userId` fail with `error`. */
    failNext(userId: string, error: OaScriptedError, times = 1) {
      const queue = scripted.get(userId) ?? [];
      for (let i = 0; i < times; i += 1) queue.push(error);
      scripted.set(userId, queue);
    },
    /**
     * While `on`, every send that succeeds is delivered (in `sent`) but its answer is held back, as
     * when the platform times out after doing the work; {@link dropHeldAnswers} ends those connections.
     */
    holdAnswers(on: boolean) { state.holdAnswers = on; },
    /** Ends the connections of the held answers (a proxy's idle timeout); returns how many there were. */
    dropHeldAnswers(): number {
      const held = heldAnswers.splice(0);
      for (const res of held) res.socket?.destroy();
      return held.length;
    },
    /** Every send to anyone fails with `error` until called with `undefined` (a platform-wide outage). */
    failEverySend(error: OaScriptedError | undefined) { state.everySend = error; },
    /** Sends whose `message` carries `field` are refused with `error` (Zalo refusing a quote field it does not take). */
    refuseField(field: string, error: OaScriptedError = OA_ERRORS.badParam) { refusedFields.set(field, error); },
    /** The next answers of the token endpoint, in order, instead of a token pair. */
    scriptTokenAnswers(...answers: OAuthScripted[]) { oauthScript.push(...answers); },
    /** ZNS to this phone (`84…`) answers -118: no Zalo account. */
    phoneWithoutZalo(phone: string) { phonesWithoutZalo.add(phone); },
    /** Sends to `userId` are refused as outside the window until {@link openWindow}. */
    closeWindow(userId: string) { closedWindows.add(userId); },
    /** The user wrote to the OA: the window is open again. */
    openWindow(userId: string) { closedWindows.delete(userId); },
    sentTo: (userId: string) => sent.filter((s) => s.userId === userId),
    /** Files the OA accepted by upload, by attachment id or token. */
    uploads: media.uploads,
    /** How many upload requests came (accepted or not). */
    get uploadCalls() { return media.state.uploadCalls; },
    /** Serves `bytes` at a URL of the fake, as Zalo's CDN holds a user's file (for webhook events). */
    hostMedia: (bytes: Buffer, mimeType?: string, name?: string) => media.host(bytes, mimeType, name),
    /** Resolves with `probe()`'s first truthy result, re-checked on every request the fake answers. */
    waitFor<T>(probe: () => T | undefined | null | false, timeoutMs = 10_000, description = 'a condition'): Promise<T> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const value = probe();
          if (!value) return;
          cleanup();
          resolve(value);
        };
        const timer = setTimeout(() => { cleanup(); reject(new Error(`fake zalo-oa: timed out waiting for ${description}`)); }, timeoutMs);
        const cleanup = () => { clearTimeout(timer); changes.off('change', check); };
        changes.on('change', check);
        check();
      });
    },
  };
}

export type FakeZaloOa = ReturnType<typeof createFakeZaloOa>;

interface Answer { status: number; body?: unknown; headers?: Record<string, string> }

function refusal(error: OaScriptedError): Answer {
  const headers = error.retryAfterS !== undefined ? { 'retry-after': String(error.retryAfterS) } : undefined;
  if (error.httpStatus !== undefined) return { status: error.httpStatus, ...(headers ? { headers } : {}) };
  return { status: 200, body: { error: error.code, message: error.message }, ...(headers ? { headers } : {}) };
}

function parseObject(raw: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
