import { describe, expect, it } from 'vitest';
import {
  createTokenScrubber, fromApiFailure, toChatError, toScrubbedError, type TelegramApiFailure,
} from '../../adapters/telegram/errors.js';
import {
  AuthError, BadRequestError, RateLimitError, TransientError, UnreachableError, type ChatError,
} from '../../adapters/types.js';

const TOKEN = '7000001:AAHfake-Token_for_tests_only';
const scrub = createTokenScrubber(TOKEN);

describe('fromApiFailure: the Telegram error table', () => {
  const rows: Array<[TelegramApiFailure, new (...args: never[]) => ChatError, Record<string, unknown>]> = [
    [{ errorCode: 429, description: 'Too Many Requests: retry after 7', retryAfterS: 7 }, RateLimitError, { retryAfterMs: 7000, code: 'rate_limited' }],
    [{ errorCode: 429, description: 'Too Many Requests' }, RateLimitError, { retryAfterMs: 1000 }],
    [{ errorCode: 403, description: 'Forbidden: bot was blocked by the user' }, UnreachableError, { reason: 'blocked', code: 'unreachable' }],
    [{ errorCode: 403, description: 'Forbidden: user is deactivated' }, UnreachableError, { reason: 'deactivated' }],
    [{ errorCode: 403, description: "Forbidden: bot can't initiate conversation with a user" }, UnreachableError, { reason: 'not_started' }],
    [{ errorCode: 403, description: 'Forbidden: bot was kicked from the supergroup chat' }, UnreachableError, { reason: 'kicked' }],
    [{ errorCode: 403, description: 'Forbidden: something new' }, UnreachableError, { reason: 'forbidden' }],
    [{ errorCode: 400, description: 'Bad Request: chat not found' }, UnreachableError, { reason: 'chat_not_found' }],
    [{ errorCode: 400, description: 'Bad Request: message is too long' }, BadRequestError, { code: 'bad_request' }],
    [{ errorCode: 400, description: 'Bad Request: BUTTON_DATA_INVALID' }, BadRequestError, {}],
    [{ errorCode: 401, description: 'Unauthorized' }, AuthError, { code: 'auth' }],
    [{ errorCode: 404, description: 'Not Found' }, AuthError, {}],
    [{ errorCode: 409, description: 'Conflict: terminated by other getUpdates request' }, BadRequestError, {}],
    [{ errorCode: 500, description: 'Internal Server Error' }, TransientError, { code: 'transient' }],
    [{ errorCode: 502, description: 'Bad Gateway' }, TransientError, {}],
  ];

  it.each(rows)('%j', (failure, errorClass, fields) => {
    const error = fromApiFailure(failure, scrub);
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject(fields);
    expect(error.message).toBe(`telegram ${failure.errorCode}: ${failure.description}`);
  });

  it('scrubs the token even from a description', () => {
    const error = fromApiFailure({ errorCode: 400, description: `Bad Request: ${TOKEN}` }, scrub);
    expect(error.message).not.toContain(TOKEN);
  });
});

describe('toChatError: failures that are not API refusals', () => {
  const networkError = Object.assign(
    new Error(`request to http://127.0.0.1:9/bot${TOKEN}/sendMessage failed, reason: connect ECONNREFUSED 127.0.0.1:9`),
    { name: 'FetchError', code: 'ECONNREFUSED', type: 'system' },
  );

  it('maps a network failure to TransientError without the token in message, cause or stack', () => {
    const error = toChatError(networkError, scrub);
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toContain('ECONNREFUSED');
    const cause = error.cause as Error & { code?: string };
    expect(cause).toMatchObject({ name: 'FetchError', code: 'ECONNREFUSED' });
    expect(JSON.stringify({ m: error.message, c: cause.message, s: cause.stack, s2: error.stack })).not.toContain(TOKEN);
    expect(networkError.message).toContain(TOKEN); // the original is left alone
  });

  it('maps an invalid-JSON answer (telegraf does not redact those) and a non-Error throw', () => {
    const invalidJson = new Error(`invalid json response body at http://h/bot${TOKEN}/getMe reason: Unexpected token <`);
    expect(toChatError(invalidJson, scrub).message).not.toContain(TOKEN);
    expect(toChatError(`boom ${TOKEN}`, scrub)).toMatchObject({ name: 'TransientError', message: 'telegram request failed: boom ***' });
  });

  it('passes our own errors through unchanged', () => {
    const own = new RateLimitError(5000);
    expect(toChatError(own, scrub)).toBe(own);
  });
});

describe('createTokenScrubber', () => {
  it('removes the token in plain and URL-encoded form, and any bot-token-shaped path', () => {
    expect(scrub(`/bot${TOKEN}/x and ${encodeURIComponent(TOKEN)}`)).toBe('/bot***/x and ***');
    expect(scrub('GET /bot123456:other-Token_x/getMe')).toBe('GET /bot***/getMe');
  });

  it('works for tokens that do not look like Telegram tokens', () => {
    expect(createTokenScrubber('plain-secret')('url/botplain-secret/sendMessage')).toBe('url/bot***/sendMessage');
  });

  it('leaves text alone when the token is empty', () => {
    expect(createTokenScrubber('')('nothing to hide')).toBe('nothing to hide');
  });

  it('toScrubbedError copies name and code and scrubs message and stack', () => {
    const copy = toScrubbedError(Object.assign(new Error(`at /bot${TOKEN}/`), { code: 'ETIMEDOUT' }), scrub);
    expect(copy).toMatchObject({ message: 'at /bot***/', code: 'ETIMEDOUT' });
    expect(copy.stack).not.toContain(TOKEN);
  });
});
