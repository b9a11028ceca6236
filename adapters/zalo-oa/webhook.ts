import type { Logger } from 'pino';
import type { InboundEvent, WebhookRequest, WebhookResponse } from '../types.js';
import { parseJsonLossless } from './json.js';
import { bodyTimestamp, parseZaloEvent } from './parse.js';
import { SIGNATURE_HEADER, signatureMatches, TIMESTAMP_HEADER } from './signature.js';

/** Where the HTTP server mounts the OA webhook. */
export const ZALO_OA_WEBHOOK_PATH = '/webhooks/zalo-oa';

/** What {@link createZaloWebhookHandler} needs. */
export interface ZaloWebhookDeps {
  appId: string;
  /** The OA secret key (OA settings → webhook), not the app secret. */
  oaSecretKey: string;
  /** Events older than this, or this far in the future, are refused, in ms. */
  toleranceMs: number;
  now(): Date;
  /** False before `start` and after `stop`: 503, so Zalo delivers again later. */
  isReceiving(): boolean;
  /** Persists the event (processing happens after); a rejection answers 500 so Zalo retries. */
  onEvent(event: InboundEvent): Promise<void>;
  logger: Logger;
}

/**
 * The framework-free OA webhook. 401 for a missing or wrong signature or a stale event (nothing
 * stored), 400 for a signed body we cannot read, 200 for events we ignore and once a message is
 * persisted. Never throws.
 */
export function createZaloWebhookHandler(deps: ZaloWebhookDeps): (req: WebhookRequest) => Promise<WebhookResponse> {
  return async (req) => {
    const body = tryParse(req.rawBody);
    const timestamp = bodyTimestamp(body) ?? headerTimestamp(req.headers[TIMESTAMP_HEADER]);
    const signed = timestamp !== undefined && signatureMatches(req.headers[SIGNATURE_HEADER], {
      appId: deps.appId, rawBody: req.rawBody, timestamp, oaSecretKey: deps.oaSecretKey,
    });
    if (!signed) {
      deps.logger.warn({ hasTimestamp: timestamp !== undefined, bytes: req.rawBody.length }, 'zalo-oa webhook refused: missing or wrong signature');
      return { status: 401, body: { error: 'signature' } };
    }
    const skewMs = deps.now().getTime() - Number(timestamp);
    if (Math.abs(skewMs) > deps.toleranceMs) {
      deps.logger.warn({ skewMs }, 'zalo-oa webhook refused: stale or future timestamp');
      return { status: 401, body: { error: 'stale' } };
    }
    const parsed = parseZaloEvent(body, new Date(Number(timestamp)));
    if (parsed.kind === 'invalid') {
      deps.logger.warn({ reason: parsed.reason }, 'zalo-oa webhook: unreadable event');
      return { status: 400, body: { error: 'invalid' } };
    }
    if (parsed.kind === 'ignored') {
      deps.logger.debug({ eventName: parsed.eventName }, 'zalo-oa webhook: event ignored');
      return { status: 200 };
    }
    if (!deps.isReceiving()) return { status: 503, body: { error: 'not ready' } };
    try {
      await deps.onEvent(parsed.event);
      return { status: 200 };
    } catch (err) {
      deps.logger.error({ err: err instanceof Error ? err.message : String(err), eventId: parsed.event.eventId }, 'zalo-oa webhook: storing the event failed');
      return { status: 500, body: { error: 'retry' } };
    }
  };
}

function tryParse(rawBody: Buffer): unknown {
  try {
    return parseJsonLossless(rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
}

function headerTimestamp(value: string | undefined): string | undefined {
  return value !== undefined && /^\d{10,16}$/.test(value.trim()) ? value.trim() : undefined;
}
