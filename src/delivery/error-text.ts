import { ChatError } from '../../adapters/types.js';
import { createScrubber } from '../logger.js';

/** Longest error text stored in `last_error`, in characters. */
export const MAX_ERROR_TEXT = 300;

/** Telegram bot tokens inside URLs (`/bot123:ABC…/`) and `user:password@` in URLs. */
const TOKEN_PATTERN = /(?<!\d)\d{5,}:[A-Za-z0-9_-]{20,}/g;
const URL_CREDENTIALS = /\/\/[^/\s:@]+:[^/\s@]+@/g;

/** The default scrubber: phone numbers, bot tokens and URL credentials. */
export function createDefaultErrorScrubber(): (text: string) => string {
  const scrubPhones = createScrubber();
  return (text) => scrubPhones(text.replace(TOKEN_PATTERN, '***').replace(URL_CREDENTIALS, '//***@'));
}

/** `code: message` of an error, scrubbed and cut to {@link MAX_ERROR_TEXT}, fit for a column or a log. */
export function describeError(err: unknown, scrub: (text: string) => string): string {
  let text: string;
  if (err instanceof ChatError) text = `${err.code}: ${err.message}`;
  else if (err instanceof Error) text = `${err.name}: ${err.message}`;
  else text = `non-error thrown: ${String(err)}`;
  const clean = scrub(text).replace(/\s+/g, ' ').trim();
  return clean.length > MAX_ERROR_TEXT ? `${clean.slice(0, MAX_ERROR_TEXT - 1)}…` : clean;
}

/** Error code for logs and metrics: the {@link ChatError} code, else `unknown`. */
export function errorCode(err: unknown): string {
  return err instanceof ChatError ? err.code : 'unknown';
}
