import { TelegramError } from 'telegraf';
import {
  AuthError, BadRequestError, ChatError, RateLimitError, TransientError, UnreachableError,
} from '../types.js';

/** A refusal from the Bot API: `{ok: false, error_code, description, parameters}`, normalised. */
export interface TelegramApiFailure {
  /** `error_code`: the HTTP-like status Telegram reports. */
  errorCode: number;
  description: string;
  /** `parameters.retry_after`, in seconds, when Telegram sends one (429). */
  retryAfterS?: number;
}

/** Used when a 429 arrives without `retry_after` (should not happen; Telegram always sends it). */
export const DEFAULT_RETRY_AFTER_S = 1;

type ErrorFactory = (failure: TelegramApiFailure, message: string, cause: unknown) => ChatError;

interface ErrorRule {
  matchesCode: (code: number) => boolean;
  /** Matched against `description` when present; Telegram's texts are stable but not documented. */
  description?: RegExp;
  toError: ErrorFactory;
}

const code = (expected: number) => (actual: number) => actual === expected;

const unreachable = (reason: string): ErrorFactory =>
  (_failure, message, cause) => new UnreachableError(reason, message, { cause });

/** THE table from Telegram refusals to our errors. The first matching row wins. */
const ERROR_TABLE: readonly ErrorRule[] = [
  {
    matchesCode: code(429),
    toError: (f, message, cause) =>
      new RateLimitError((f.retryAfterS ?? DEFAULT_RETRY_AFTER_S) * 1000, message, { cause }),
  },
  { matchesCode: code(403), description: /bot was blocked by the user/i, toError: unreachable('blocked') },
  { matchesCode: code(403), description: /user is deactivated/i, toError: unreachable('deactivated') },
  { matchesCode: code(403), description: /can't initiate conversation/i, toError: unreachable('not_started') },
  { matchesCode: code(403), description: /bot was kicked/i, toError: unreachable('kicked') },
  { matchesCode: code(403), toError: unreachable('forbidden') },
  { matchesCode: code(400), description: /chat not found/i, toError: unreachable('chat_not_found') },
  { matchesCode: code(400), toError: (_f, message, cause) => new BadRequestError(message, { cause }) },
  // The Bot API answers 401 for a revoked token and 404 for a malformed one.
  { matchesCode: (c) => c === 401 || c === 404, toError: (_f, message, cause) => new AuthError(message, { cause }) },
  { matchesCode: (c) => c >= 500, toError: (_f, message, cause) => new TransientError(message, undefined, { cause }) },
  { matchesCode: (c) => c >= 400 && c < 500, toError: (_f, message, cause) => new BadRequestError(message, { cause }) },
  { matchesCode: () => true, toError: (_f, message, cause) => new TransientError(message, undefined, { cause }) },
];

/** Maps one Bot API refusal through the table. `scrub` removes the bot token from the message. */
export function fromApiFailure(
  failure: TelegramApiFailure,
  scrub: (text: string) => string = (text) => text,
  cause?: unknown,
): ChatError {
  const message = scrub(`telegram ${failure.errorCode}: ${failure.description}`);
  const rule = ERROR_TABLE.find((r) =>
    r.matchesCode(failure.errorCode) && (!r.description || r.description.test(failure.description)));
  // The last row matches everything, so `rule` is always found.
  return (rule ?? ERROR_TABLE[ERROR_TABLE.length - 1]!).toError(failure, message, cause);
}

/**
 * Turns anything telegraf (or node-fetch under it) throws into a {@link ChatError}. API refusals go
 * through the table; anything else (connection refused, timeouts, invalid JSON) is transient.
 * The bot token never survives into the message or the cause.
 */
export function toChatError(err: unknown, scrub: (text: string) => string): ChatError {
  if (err instanceof ChatError) return err;
  if (err instanceof TelegramError) {
    return fromApiFailure({
      errorCode: err.code,
      description: String(err.description),
      retryAfterS: err.parameters?.retry_after,
    }, scrub, toScrubbedError(err, scrub));
  }
  const cause = toScrubbedError(err, scrub);
  return new TransientError(`telegram request failed: ${cause.message}`, undefined, { cause });
}

/**
 * Returns a function that removes the bot token from text. node-fetch puts the request URL
 * (`…/bot<token>/sendMessage`) into its messages, and telegraf only redacts tokens of the usual
 * `123:abc` shape, and only for errors thrown before a response arrives (not invalid-JSON ones).
 */
export function createTokenScrubber(token: string): (text: string) => string {
  const literals = [token, encodeURIComponent(token)].filter((s) => s.length > 0);
  return (text) => {
    let out = text;
    for (const literal of literals) out = out.split(literal).join('***');
    return out.replace(/\/bot\d+:[\w-]+/g, '/bot***');
  };
}

/** A copy of an error that is safe to log or attach as a cause: name, code and scrubbed text. */
export function toScrubbedError(err: unknown, scrub: (text: string) => string): Error {
  const source = err instanceof Error ? err : new Error(String(err));
  const copy = new Error(scrub(source.message));
  copy.name = source.name;
  copy.stack = source.stack === undefined ? undefined : scrub(source.stack);
  const sourceCode = (source as { code?: unknown }).code;
  if (typeof sourceCode === 'string' || typeof sourceCode === 'number') {
    Object.assign(copy, { code: sourceCode });
  }
  return copy;
}
