import type { Logger } from 'pino';
import { sendInParts } from '../parts.js';
import { AuthError, type ChatError, type OutboundMessage, type SendOptions, type SendResult } from '../types.js';
import { fromOaFailure, TokenRejectedError } from './errors.js';
import { zaloErrorOf, zaloPost, type ZaloHttpResponse } from './http.js';
import type { TokenManager } from './tokens.js';

/** Longest text of one OA message, in characters. */
export const ZALO_OA_MAX_TEXT_LENGTH = 2000;

/**
 * Field of `message` in a consultation send that quotes a user's message. Confirmed against Zalo's
 * own SDK: zaloplatform/zalo-java-sdk, `src/test/java/v3/SendQuoteCSMessage.java` (commit 3626ae2b)
 * posts `{recipient: {user_id}, message: {text, react_message_id}}` to `/v3.0/oa/message/cs`; the
 * same name marks the target message of `sender_action` in its `SendReactionToMessage.java`.
 * Kept in one place so a correction is one line.
 */
export const OUTBOUND_QUOTE_FIELD = 'react_message_id';

/** What the send functions need from the adapter. */
export interface OaCallDeps {
  /** OpenAPI origin, e.g. `https://openapi.zalo.me`. */
  openapiUrl: string;
  tokens: TokenManager;
  logger: Logger;
}

/**
 * Runs one authenticated call; when Zalo refuses the access token (-216/-220) it renews the token
 * once (a newer stored one, or a refresh) and retries once. A second refusal is an {@link AuthError}.
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
export function failureOf(deps: Pick<OaCallDeps, 'logger'>, res: ZaloHttpResponse, what: string): ChatError {
  const { code, message } = zaloErrorOf(res.body);
  const error = fromOaFailure({ code, message, httpStatus: res.httpStatus, ...(res.retryAfterMs ? { retryAfterMs: res.retryAfterMs } : {}) });
  deps.logger.warn({ what, zaloCode: code, httpStatus: res.httpStatus, zaloMessage: message, error: error.code }, 'zalo-oa: request refused');
  return error;
}

/**
 * Sends a text to a follower as consultation (`cs`) messages of at most
 * {@link ZALO_OA_MAX_TEXT_LENGTH} characters, in order. The first part quotes `message.replyTo`.
 * Buttons are ignored (capabilities.buttons is false: the outbox wrote them into the text).
 */
export async function sendOaText(deps: OaCallDeps, userId: string, message: OutboundMessage, options: SendOptions = {}): Promise<SendResult> {
  return sendInParts(message.text, ZALO_OA_MAX_TEXT_LENGTH, options, (part) => withAccessToken(deps, async (token) => {
    const quote = part.first && message.replyTo ? { [OUTBOUND_QUOTE_FIELD]: message.replyTo } : {};
    const res = await zaloPost(`${deps.openapiUrl}/v3.0/oa/message/cs`, {
      headers: { 'content-type': 'application/json', access_token: token },
      body: JSON.stringify({ recipient: { user_id: userId }, message: { text: part.text, ...quote } }),
    }, 'send');
    const { code } = zaloErrorOf(res.body);
    const messageId = messageIdOf(res.body);
    if (res.httpStatus !== 200 || code !== 0 || messageId === undefined) throw failureOf(deps, res, 'send');
    return messageId;
  }));
}

function messageIdOf(body: unknown): string | undefined {
  const data = (body as { data?: { message_id?: unknown; msg_id?: unknown } } | undefined)?.data;
  const id = data?.message_id ?? data?.msg_id;
  return typeof id === 'string' && id.length > 0 ? id : typeof id === 'number' ? String(id) : undefined;
}
