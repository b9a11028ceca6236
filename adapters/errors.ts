/**
 * The typed errors every adapter throws, by what the caller should do (retry after
 * `retryAfterMs`, stop, alert). Re-exported by `types.ts`, the seam flows import.
 */

/** Base class of every platform error an adapter throws. */
export class ChatError extends Error {
  /** Stable code for logs and metrics. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The platform asked us to slow down. Retry after `retryAfterMs` milliseconds. */
export class RateLimitError extends ChatError {
  constructor(readonly retryAfterMs: number, message = 'rate limited', options?: { cause?: unknown }) {
    super('rate_limited', message, options);
  }
}

/** The recipient cannot be reached (blocked the bot, chat gone, outside the Zalo window). Do not retry. */
export class UnreachableError extends ChatError {
  constructor(readonly reason: string, message = reason, options?: { cause?: unknown }) {
    super('unreachable', message, options);
  }
}

/** Our credentials were refused. Do not retry until an operator acts. */
export class AuthError extends ChatError {
  constructor(message = 'authentication failed', options?: { cause?: unknown }) {
    super('auth', message, options);
  }
}

/** The platform refused the request as malformed. Retrying the same request will not help. */
export class BadRequestError extends ChatError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('bad_request', message, options);
  }
}

/** A network failure or a 5xx. Retry with backoff; `retryAfterMs` is a hint when known. */
export class TransientError extends ChatError {
  constructor(message: string, readonly retryAfterMs?: number, options?: { cause?: unknown }) {
    super('transient', message, options);
  }
}
