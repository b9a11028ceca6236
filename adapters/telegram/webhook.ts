import type { Logger } from 'pino';
import { secretMatches } from '../secrets.js';
import type { WebhookRequest, WebhookResponse } from '../types.js';

/** Where the HTTP server mounts the Telegram webhook. */
export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';

/** The header in which Telegram echoes the `secret_token` given to `setWebhook`. */
export const SECRET_TOKEN_HEADER = 'x-telegram-bot-api-secret-token';

/** What {@link createWebhookHandler} needs from the adapter. */
export interface WebhookDeps {
  /** The `secret_token` registered with `setWebhook`. */
  secret: string;
  /** False before `start` and after `stop`: updates are then refused with 503 so Telegram retries. */
  isReceiving(): boolean;
  /** Runs the update through the bot; rejects when `onEvent` (or anything else) failed. */
  handleUpdate(update: Record<string, unknown> & { update_id: number }): Promise<void>;
  logger: Logger;
}

/**
 * Builds the framework-free webhook handler. 401 for a missing or wrong secret, 400 for a body
 * that is not an update, 503 when not receiving, 500 when handling failed (Telegram retries
 * non-2xx, so a failed `onEvent` is redelivered), 200 once `onEvent` resolved. Never throws.
 */
export function createWebhookHandler(deps: WebhookDeps): (req: WebhookRequest) => Promise<WebhookResponse> {
  return async (req) => {
    if (!secretMatches(req.headers[SECRET_TOKEN_HEADER], deps.secret)) {
      deps.logger.warn('telegram webhook refused: missing or wrong secret token');
      return { status: 401, body: { ok: false } };
    }
    const update = parseBody(req.rawBody);
    if (!update) {
      deps.logger.warn({ bytes: req.rawBody.length }, 'telegram webhook refused: body is not an update');
      return { status: 400, body: { ok: false } };
    }
    if (!deps.isReceiving()) return { status: 503, body: { ok: false } };
    try {
      await deps.handleUpdate(update);
      return { status: 200 };
    } catch {
      // Already logged (scrubbed) by bot.catch; the status alone asks Telegram to retry.
      return { status: 500, body: { ok: false } };
    }
  };
}

function parseBody(rawBody: Buffer): (Record<string, unknown> & { update_id: number }) | undefined {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const updateId = (body as Record<string, unknown>).update_id;
  if (typeof updateId !== 'number' || !Number.isSafeInteger(updateId)) return undefined;
  return body as Record<string, unknown> & { update_id: number };
}

export { secretMatches };
