import { describe, expect, it } from 'vitest';
import {
  AuthError, BadRequestError, ChatError, RateLimitError, TransientError, UnreachableError,
} from '../../adapters/types.js';
import { decideSendError, SEND_ERROR_OUTCOMES, sendErrorKind, type SendErrorPolicy } from '../../src/delivery/outcome.js';
import { REPLY_WINDOW_CLOSED_REASON } from '../../src/delivery/window.js';
import { NOTICE_RETRY_BACKOFF } from '../../src/notices/deliver.js';

/** Every kind of send failure an adapter reports, and one thrown value that is not ours. */
const ERRORS = {
  rate_limited: new RateLimitError(7000),
  window_closed: new UnreachableError(REPLY_WINDOW_CLOSED_REASON),
  credentials: new AuthError('refresh token rejected'),
  unreachable: new UnreachableError('blocked'),
  bad_request: new BadRequestError('message text is empty'),
  transient: new TransientError('502 Bad Gateway', 300),
  untyped_chat_error: new ChatError('odd', 'a code no subclass has'),
  not_an_error: 'a string thrown',
} as const;

/** The interactive outbox (queue `outbox`): jittered backoff from 1 s (jitter off here), holds for the window. */
const OUTBOX: SendErrorPolicy = { attempts: 1, maxAttempts: 5, backoff: { baseMs: 1000, maxMs: 60_000, jitter: 0 }, windowHolds: true };
/** The outbox's `notices` queue: no reply-window hold. */
const OUTBOX_NOTICES_QUEUE: SendErrorPolicy = { ...OUTBOX, windowHolds: false };
/** The notices engine (`src/notices/deliver.ts`): 500 ms doubling up to 30 s, no jitter; hands window refusals to the outbox. */
const NOTICES: SendErrorPolicy = { attempts: 1, maxAttempts: 3, backoff: NOTICE_RETRY_BACKOFF, windowHolds: true };

describe('the delivery core: error → outcome', () => {
  it('tells every typed error apart; anything else is transient', () => {
    expect(Object.fromEntries(Object.entries(ERRORS).map(([name, err]) => [name, sendErrorKind(err)]))).toEqual({
      rate_limited: 'rate_limited', window_closed: 'window_closed', credentials: 'credentials', unreachable: 'unreachable',
      bad_request: 'bad_request', transient: 'transient', untyped_chat_error: 'transient', not_an_error: 'transient',
    });
  });

  it('has one outcome for every kind', () => {
    expect(SEND_ERROR_OUTCOMES).toEqual({
      rate_limited: 'wait', window_closed: 'hold', credentials: 'hold', unreachable: 'unreachable', bad_request: 'failed', transient: 'retry',
    });
  });

  /** What every caller decides; only the first retry delay (the caller's backoff) differs. */
  const common = (firstRetryMs: number) => ({
    rate_limited: { kind: 'wait', delayMs: 7000 },
    window_closed: { kind: 'hold', reason: 'reply_window' },
    credentials: { kind: 'hold', reason: 'credentials' },
    unreachable: { kind: 'unreachable', reason: 'blocked' },
    bad_request: { kind: 'failed', reason: 'bad_request' },
    transient: { kind: 'retry', delayMs: firstRetryMs },
    untyped_chat_error: { kind: 'retry', delayMs: firstRetryMs },
    not_an_error: { kind: 'retry', delayMs: firstRetryMs },
  }) as const;
  const expected = {
    outbox: [OUTBOX, common(1000)],
    // No reply-window hold on this queue: a window refusal is a dead recipient there.
    'outbox, notices queue': [OUTBOX_NOTICES_QUEUE, { ...common(1000), window_closed: { kind: 'unreachable', reason: REPLY_WINDOW_CLOSED_REASON } }],
    'notices engine': [NOTICES, common(500)],
  } as const;

  for (const [caller, [policy, outcomes]] of Object.entries(expected)) {
    it(`decides every kind for the ${caller}`, () => {
      expect(Object.fromEntries(Object.entries(ERRORS).map(([name, err]) => [name, decideSendError(err, policy)]))).toEqual(outcomes);
    });

    it(`gives up retryable errors at maxAttempts for the ${caller}, but never a rate limit, a hold or a final error`, () => {
      const last = { ...policy, attempts: policy.maxAttempts };
      expect(decideSendError(ERRORS.transient, last)).toEqual({ kind: 'failed', reason: 'max_attempts' });
      expect(decideSendError(ERRORS.not_an_error, last)).toEqual({ kind: 'failed', reason: 'max_attempts' });
      expect(decideSendError(ERRORS.rate_limited, last)).toEqual(outcomes.rate_limited);
      expect(decideSendError(ERRORS.credentials, last)).toEqual(outcomes.credentials);
      expect(decideSendError(ERRORS.unreachable, last)).toEqual(outcomes.unreachable);
      expect(decideSendError(ERRORS.bad_request, last)).toEqual(outcomes.bad_request);
    });
  }

  it('backs off exponentially, and a platform hint is a floor, never a replacement (the notices engine used a shorter hint as is)', () => {
    const hinted = new TransientError('503', 300);
    const delays = [1, 2, 3, 4, 5].map((attempts) => decideSendError(hinted, { ...NOTICES, maxAttempts: 10, attempts }));
    expect(delays.map((d) => d.kind === 'retry' && d.delayMs)).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(decideSendError(new TransientError('503', 45_000), NOTICES)).toEqual({ kind: 'retry', delayMs: 45_000 });
  });

  it('waits at least 1 ms on a rate limit without a delay', () => {
    expect(decideSendError(new RateLimitError(0), OUTBOX)).toEqual({ kind: 'wait', delayMs: 1 });
  });
});
