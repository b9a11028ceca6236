import type { Logger } from 'pino';
import { AuthError, type ChatError } from '../types.js';
import { fromOaFailure, ParameterTooLongError, TokenRejectedError } from './errors.js';
import { zaloErrorOf, zaloPost, type ZaloHttpResponse } from './http.js';
import type { TokenManager } from './tokens.js';

/** What every authenticated OA call needs from the adapter. */
export interface OaCallDeps {
  /** OpenAPI origin, e.g. `https://openapi.zalo.me`. */
  openapiUrl: string;
  tokens: TokenManager;
  logger: Logger;
}

/**
 * Runs one authenticated call; when Zalo refuses the access token (-216/-220, ZNS -124) it renews
 * the token once (a newer stored one, or a refresh) and retries once. A second refusal is an
 * {@link AuthError}.
 */
export async function withAccessToken<T>(deps: OaCallDeps, call: (token: string) => Promise<T>): Promise<T> {
  const token = await deps.tokens.accessToken();
  try {
    return await call(token);
  } catch (err) {
    if (!(err instanceof TokenRejectedError)) throw err;
    deps.logger.warn('zalo-oa: access token refused; renewing once');
    const renewed = await deps.tokens.renewAfterRejection(token);
    try {
      return await call(renewed);
    } catch (again) {
      if (again instanceof TokenRejectedError) throw new AuthError(again.message);
      throw again;
    }
  }
}

/** Maps a non-success answer to our error, logging Zalo's own message text (never the token). */
export function failureOf(
  deps: Pick<OaCallDeps, 'logger'>, res: ZaloHttpResponse, what: string, table: typeof fromOaFailure = fromOaFailure,
): ChatError {
  const { code, message } = zaloErrorOf(res.body);
  const error = table({ code, message, httpStatus: res.httpStatus, ...(res.retryAfterMs ? { retryAfterMs: res.retryAfterMs } : {}) });
  deps.logger.warn({ what, zaloCode: code, httpStatus: res.httpStatus, zaloMessage: message, error: error.code }, 'zalo-oa: request refused');
  return error;
}

/**
 * One consultation message, `POST /v3.0/oa/message/cs` with `message` as given (a text, or an
 * attachment); resolves with Zalo's message id. Throws ChatErrors only.
 */
export function postCsMessage(deps: OaCallDeps, userId: string, message: Record<string, unknown>, what = 'send'): Promise<string> {
  return withAccessToken(deps, async (token) => {
    const res = await zaloPost(`${deps.openapiUrl}/v3.0/oa/message/cs`, {
      headers: { 'content-type': 'application/json', access_token: token },
      body: JSON.stringify({ recipient: { user_id: userId }, message }),
    }, what);
    const { code } = zaloErrorOf(res.body);
    const messageId = messageIdOf(res.body);
    if (res.httpStatus !== 200 || code !== 0 || messageId === undefined) {
      const error = failureOf(deps, res, what);
      if (error instanceof ParameterTooLongError) {
        const text = typeof message.text === 'string' ? message.text : '';
        deps.logger.error({ what, characters: text.length, fields: Object.keys(message) }, 'zalo-oa: Zalo refused a message part as too long (-210); the message failed');
      }
      throw error;
    }
    return messageId;
  });
}

function messageIdOf(body: unknown): string | undefined {
  const data = (body as { data?: { message_id?: unknown; msg_id?: unknown } } | undefined)?.data;
  const id = data?.message_id ?? data?.msg_id;
  return typeof id === 'string' && id.length > 0 ? id : typeof id === 'number' ? String(id) : undefined;
}
