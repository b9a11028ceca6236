import type { Logger } from 'pino';
import { sendInParts } from '../parts.js';
import {
  AuthError, BadRequestError, type ChatError, type OutboundMessage, type SendOptions, type SendResult,
} from '../types.js';
import { fromOaFailure, ParameterTooLongError, TokenRejectedError, UnlistedOaError } from './errors.js';
import { zaloErrorOf, zaloPost, type ZaloHttpResponse } from './http.js';
import { withQuotedText } from './quote-text.js';
import type { TokenManager } from './tokens.js';

/** Longest text of one OA message, in characters. */
export const ZALO_OA_MAX_TEXT_LENGTH = 2000;

/**
 * Default field of `message` in a consultation send that quotes a user's message
 * (`ZALO_OA_QUOTE_FIELD`). Zalo's own SDK sample uses it: zaloplatform/zalo-java-sdk,
 * `src/test/java/v3/SendQuoteCSMessage.java` (commit 3626ae2b) posts `{recipient: {user_id},
 * message: {text, react_message_id}}` to `/v3.0/oa/message/cs`. Two Chatwoot-based Zalo clients
 * send `quote_message_id` instead; no Zalo document settles it, hence the setting.
 */
export const DEFAULT_QUOTE_FIELD = 'react_message_id';

/** After this many quoted sends refused in a row, this process stops sending the quote field. */
export const QUOTE_REFUSALS_BEFORE_GIVING_UP = 3;

/** What the send functions need from the adapter. */
export interface OaCallDeps {
  /** OpenAPI origin, e.g. `https://openapi.zalo.me`. */
  openapiUrl: string;
  tokens: TokenManager;
  logger: Logger;
}

/** What consultation sends need besides {@link OaCallDeps}. */
export interface OaSendDeps extends OaCallDeps {
  /** Field of `message` carrying the quoted message id; empty: never quote natively. */
  quoteField: string;
  /** Text of the user's message `messageId` in chat `chatId`, quoted in text when a native quote is refused. */
  quotedText?(chatId: string, messageId: string): Promise<string | undefined>;
  /** Shared by every send of the process: quoted sends refused in a row. */
  quoteState: { refusedInARow: number };
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
 * Sends a text to a follower as consultation (`cs`) messages of at most
 * {@link ZALO_OA_MAX_TEXT_LENGTH} characters, in order. The first part quotes `message.replyTo`
 * through `quoteField`; when Zalo refuses that send as malformed, it goes again without the field,
 * the question quoted in its text instead. Buttons are ignored (capabilities.buttons is false: the
 * outbox wrote them into the text).
 */
export async function sendOaText(deps: OaSendDeps, userId: string, message: OutboundMessage, options: SendOptions = {}): Promise<SendResult> {
  return sendInParts(message.text, ZALO_OA_MAX_TEXT_LENGTH, options, async (part) => {
    const replyTo = part.first ? message.replyTo : undefined;
    if (replyTo === undefined) return postText(deps, userId, part.text);
    if (!quotingOn(deps)) return postText(deps, userId, await withQuotedText(deps, userId, replyTo, part.text, ZALO_OA_MAX_TEXT_LENGTH));
    try {
      const id = await postText(deps, userId, part.text, { [deps.quoteField]: replyTo });
      deps.quoteState.refusedInARow = 0;
      return id;
    } catch (err) {
      if (!isQuoteRefusal(err)) throw err;
      noteQuoteRefused(deps, err);
      return postText(deps, userId, await withQuotedText(deps, userId, replyTo, part.text, ZALO_OA_MAX_TEXT_LENGTH));
    }
  });
}

const quotingOn = (deps: OaSendDeps) => deps.quoteField !== '' && deps.quoteState.refusedInARow < QUOTE_REFUSALS_BEFORE_GIVING_UP;

/** Refusals a quote field Zalo does not take could cause: malformed request, or a code we do not know. */
function isQuoteRefusal(err: unknown): err is ChatError {
  return (err instanceof BadRequestError && !(err instanceof ParameterTooLongError)) || err instanceof UnlistedOaError;
}

function noteQuoteRefused(deps: OaSendDeps, err: ChatError): void {
  deps.quoteState.refusedInARow += 1;
  const giveUp = deps.quoteState.refusedInARow === QUOTE_REFUSALS_BEFORE_GIVING_UP;
  deps.logger[giveUp ? 'error' : 'warn']({ quoteField: deps.quoteField, refusedInARow: deps.quoteState.refusedInARow, error: err.message },
    giveUp
      ? 'zalo-oa: Zalo keeps refusing quoted sends; this process now sends answers unthreaded (question quoted in text). Check ZALO_OA_QUOTE_FIELD and restart'
      : 'zalo-oa: Zalo refused a quoted send; sending it again without the quote, the question quoted in text');
}

/** One `POST /v3.0/oa/message/cs`; resolves with Zalo's message id. */
function postText(deps: OaCallDeps, userId: string, text: string, quote: Record<string, string> = {}): Promise<string> {
  return withAccessToken(deps, async (token) => {
    const res = await zaloPost(`${deps.openapiUrl}/v3.0/oa/message/cs`, {
      headers: { 'content-type': 'application/json', access_token: token },
      body: JSON.stringify({ recipient: { user_id: userId }, message: { text, ...quote } }),
    }, 'send');
    const { code } = zaloErrorOf(res.body);
    const messageId = messageIdOf(res.body);
    if (res.httpStatus !== 200 || code !== 0 || messageId === undefined) {
      const error = failureOf(deps, res, 'send');
      if (error instanceof ParameterTooLongError) {
        deps.logger.error({ characters: text.length, quoted: Object.keys(quote).length > 0 }, 'zalo-oa: Zalo refused a message part as too long (-210); the message failed');
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
