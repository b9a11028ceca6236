import { sendMessageParts } from '../parts.js';
import {
  BadRequestError, type ChatError, type OutboundMessage, type SendOptions, type SendResult,
} from '../types.js';
import { postCsMessage, type OaCallDeps } from './call.js';
import { ParameterTooLongError, UnlistedOaError } from './errors.js';
import { sendOaFile, type OaUploads } from './media.js';
import { withQuotedText } from './quote-text.js';

export { failureOf, withAccessToken, type OaCallDeps } from './call.js';

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

/** What consultation sends need besides {@link OaCallDeps}. */
export interface OaSendDeps extends OaCallDeps {
  /** Field of `message` carrying the quoted message id; empty: never quote natively. */
  quoteField: string;
  /** Text of the user's message `messageId` in chat `chatId`, quoted in text when a native quote is refused. */
  quotedText?(chatId: string, messageId: string): Promise<string | undefined>;
  /** Shared by every send of the process: quoted sends refused in a row. */
  quoteState: { refusedInARow: number };
  /** Recent uploads of this process, re-used by checksum (a notice's decree to many communes). */
  uploads: OaUploads;
}

/**
 * Sends a message to a follower as consultation (`cs`) messages: its text in parts of at most
 * {@link ZALO_OA_MAX_TEXT_LENGTH} characters, then each file (uploaded, then sent by its attachment
 * id or token). The first text part quotes `message.replyTo` through `quoteField`; when Zalo
 * refuses that send as malformed, it goes again without the field, the question quoted in its
 * text instead. Files are not quoted (no public source shows a quote on an attachment message).
 * Buttons are ignored (capabilities.buttons is false: the outbox wrote them into the text).
 */
export async function sendOaText(deps: OaSendDeps, userId: string, message: OutboundMessage, options: SendOptions = {}): Promise<SendResult> {
  return sendMessageParts(message, ZALO_OA_MAX_TEXT_LENGTH, options, {
    text: (part) => sendTextPart(deps, userId, part.first ? message.replyTo : undefined, part.text),
    file: (part) => sendOaFile(deps, deps.uploads, userId, part.file),
  });
}

async function sendTextPart(deps: OaSendDeps, userId: string, replyTo: string | undefined, text: string): Promise<string> {
  if (replyTo === undefined) return postText(deps, userId, text);
  if (!quotingOn(deps)) return postText(deps, userId, await withQuotedText(deps, userId, replyTo, text, ZALO_OA_MAX_TEXT_LENGTH));
  try {
    const id = await postText(deps, userId, text, { [deps.quoteField]: replyTo });
    deps.quoteState.refusedInARow = 0;
    return id;
  } catch (err) {
    if (!isQuoteRefusal(err)) throw err;
    noteQuoteRefused(deps, err);
    return postText(deps, userId, await withQuotedText(deps, userId, replyTo, text, ZALO_OA_MAX_TEXT_LENGTH));
  }
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

/** One text part; `quote` adds the quote field. */
function postText(deps: OaCallDeps, userId: string, text: string, quote: Record<string, string> = {}): Promise<string> {
  return postCsMessage(deps, userId, { text, ...quote });
}
