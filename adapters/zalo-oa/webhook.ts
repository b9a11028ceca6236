import type { Logger } from 'pino';
import type { InboundEvent, WebhookRequest, WebhookResponse } from '../types.js';
import { parseJsonLossless } from './json.js';
import { parseZaloEvent } from './parse.js';
import { SIGNATURE_HEADER, signatureMatches, TIMESTAMP_HEADER } from './signature.js';

/** Where the HTTP server mounts the OA webhook. */
export const ZALO_OA_WEBHOOK_PATH = '/webhooks/zalo-oa';

/**
 * Largest OA webhook body accepted, in bytes (64 KiB; the server answers 413 above it before
 * reading further). Zalo's events are a few hundred bytes: ids, an event name, a timestamp and one
 * message — text (the OA API's own limit is 2,000 characters) or a few attachment URLs. Even a
 * 10,000-character message written entirely as `\uXXXX` escapes (6 bytes per UTF-16 unit) fits
 * with its envelope, so the bound leaves a wide margin while keeping unsigned junk cheap to refuse.
 */
export const ZALO_OA_WEBHOOK_BODY_LIMIT_BYTES = 64 * 1024;

/** A signed event dated this far ahead of our clock is processed, with a warning about the clocks, in ms. */
const FUTURE_SKEW_WARN_MS = 10 * 60_000;
/** A signed event older than this is a re-delivery: processed, and logged as late, in ms. */
const LATE_LOG_MS = 10 * 60_000;
/** At most this many `"timestamp": …` candidates of one body are tried against the signature. */
const MAX_TIMESTAMP_CANDIDATES = 4;

/** What {@link createZaloWebhookHandler} needs. */
export interface ZaloWebhookDeps {
  appId: string;
  /** The OA secret key (OA settings → webhook), not the app secret. */
  oaSecretKey: string;
  /**
   * Signed events older than this are acknowledged (200) and dropped with a log line, in ms; younger
   * ones are processed however late (Zalo re-delivers for hours; duplicates are dropped on msg_id).
   */
  lateEventMaxAgeMs: number;
  now(): Date;
  /** False before `start` and after `stop`: 503, so Zalo delivers again later. */
  isReceiving(): boolean;
  /** Persists the event (processing happens after); a rejection answers 500 so Zalo retries. */
  onEvent(event: InboundEvent): Promise<void>;
  logger: Logger;
  /** Reads a body whose signature matched. Default: the lossless parser (tests count the calls). */
  parse?(text: string): unknown;
}

/**
 * The framework-free OA webhook. The signature is checked over the raw bytes before anything
 * parses the body, so unsigned bodies cost one hash each. 401 for a body carrying an event whose
 * signature is missing or wrong (nothing stored; Zalo retries, which gives an operator time to fix a
 * wrong `ZALO_OA_SECRET_KEY`); 200 and nothing stored for an unsigned request without an event (a
 * console's test call); 400 for a signed body we cannot read; 200 for events we ignore, for signed
 * events older than the limit (dropped, logged) and once a message is persisted. Never throws.
 */
export function createZaloWebhookHandler(deps: ZaloWebhookDeps): (req: WebhookRequest) => Promise<WebhookResponse> {
  const parse = deps.parse ?? parseJsonLossless;
  return async (req) => {
    const timestamp = signedTimestamp(deps, req);
    if (timestamp === undefined) return unsigned(deps, req);
    let body: unknown;
    try {
      body = parse(req.rawBody.toString('utf8'));
    } catch {
      deps.logger.warn({ bytes: req.rawBody.length }, 'zalo-oa webhook: signed body is not JSON');
      return { status: 400, body: { error: 'invalid' } };
    }
    const at = new Date(Number(timestamp));
    if (!isTimely(deps, at, body)) return { status: 200 };
    const parsed = parseZaloEvent(body, at);
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

/**
 * The timestamp the request is signed with, found without parsing the body: each `"timestamp":`
 * value in the raw text (a few at most), then the `X-ZEvent-Timestamp` header. A forged body gains
 * nothing by adding candidates: without the OA secret no candidate matches.
 */
function signedTimestamp(deps: ZaloWebhookDeps, req: WebhookRequest): string | undefined {
  const header = req.headers[SIGNATURE_HEADER];
  if (header === undefined) return undefined;
  const candidates = [...timestampsInRaw(req.rawBody), headerTimestamp(req.headers[TIMESTAMP_HEADER])];
  return candidates.find((timestamp) => timestamp !== undefined && signatureMatches(header, {
    appId: deps.appId, rawBody: req.rawBody, timestamp, oaSecretKey: deps.oaSecretKey,
  }));
}

function timestampsInRaw(rawBody: Buffer): string[] {
  // latin1 maps bytes one to one: the ASCII we look for is found wherever it is, at no decoding cost.
  const text = rawBody.toString('latin1');
  const found: string[] = [];
  for (const match of text.matchAll(/"timestamp"\s*:\s*"?(\d{10,16})"?/g)) {
    found.push(match[1]!);
    if (found.length >= MAX_TIMESTAMP_CANDIDATES) break;
  }
  return found;
}

function headerTimestamp(value: string | undefined): string | undefined {
  return value !== undefined && /^\d{10,16}$/.test(value.trim()) ? value.trim() : undefined;
}

function unsigned(deps: ZaloWebhookDeps, req: WebhookRequest): WebhookResponse {
  const bytes = req.rawBody.length;
  const hasSignature = req.headers[SIGNATURE_HEADER] !== undefined;
  if (req.rawBody.includes('"event_name"')) {
    deps.logger.warn({ hasSignature, bytes }, 'zalo-oa webhook refused: missing or wrong signature (check ZALO_OA_SECRET_KEY if Zalo sent it)');
    return { status: 401, body: { error: 'signature' } };
  }
  deps.logger.info({ hasSignature, bytes }, 'zalo-oa webhook: unsigned request without an event (a console test call?) acknowledged; nothing stored');
  return { status: 200, body: { ok: true } };
}

/** False (after a log line) for an event older than the limit; late and future events are logged. */
function isTimely(deps: ZaloWebhookDeps, at: Date, body: unknown): boolean {
  const ageMs = deps.now().getTime() - at.getTime();
  const about = describeEvent(body);
  if (ageMs > deps.lateEventMaxAgeMs) {
    deps.logger.warn({ ...about, ageHours: round1(ageMs / 3_600_000), limitHours: round1(deps.lateEventMaxAgeMs / 3_600_000) },
      'zalo-oa webhook: signed event older than ZALO_OA_LATE_EVENT_MAX_HOURS acknowledged and dropped');
    return false;
  }
  if (ageMs > LATE_LOG_MS) deps.logger.info({ ...about, ageMinutes: Math.round(ageMs / 60_000) }, 'zalo-oa webhook: late re-delivery accepted');
  if (-ageMs > FUTURE_SKEW_WARN_MS) deps.logger.warn({ ...about, aheadMinutes: Math.round(-ageMs / 60_000) }, 'zalo-oa webhook: signed event dated ahead of our clock (check the server clock); accepted');
  return true;
}

function describeEvent(body: unknown): { eventName?: string; msgId?: string } {
  const obj = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const message = typeof obj.message === 'object' && obj.message !== null ? (obj.message as Record<string, unknown>) : {};
  return {
    ...(typeof obj.event_name === 'string' ? { eventName: obj.event_name.slice(0, 40) } : {}),
    ...(typeof message.msg_id === 'string' ? { msgId: message.msg_id.slice(0, 64) } : {}),
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;
