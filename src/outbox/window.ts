import { UnreachableError, type ChatAdapter } from '../../adapters/types.js';
import type { Identity } from '../../db/schema.js';
import type { DeliveryContext } from './types.js';

/** `UnreachableError.reason` an adapter uses when the platform's reply window is closed (Zalo OA -230/-232). */
export const REPLY_WINDOW_CLOSED_REASON = 'outside_window';

/**
 * The reply-window policy (Zalo OA lets the bot write only within 48 h of the user's last
 * message). Applies to interactive rows (queue `outbox`); the notice engine hands such notices to
 * the outbox (`src/notices/handover.ts`).
 */
export function appliesTo(ctx: DeliveryContext, adapter: ChatAdapter): boolean {
  return ctx.queueName === 'outbox' && adapter.capabilities.replyWindowMs !== undefined;
}

/** True when the identity last wrote longer ago than the adapter's window (or never). */
export function isWindowClosed(identity: Identity | undefined, adapter: ChatAdapter, now: Date): boolean {
  const windowMs = adapter.capabilities.replyWindowMs;
  if (windowMs === undefined) return false;
  const last = identity?.last_inbound_at ? Date.parse(identity.last_inbound_at) : Number.NaN;
  return !Number.isFinite(last) || now.getTime() - last >= windowMs;
}

/** The platform refused the send because its window is closed. */
export function isWindowRefusal(err: unknown): boolean {
  return err instanceof UnreachableError && err.reason === REPLY_WINDOW_CLOSED_REASON;
}

/** How a row whose recipient's window is closed is parked (see `hold.ts`). */
export const WINDOW_HOLD = { reason: 'reply_window', note: 'held: reply window closed; delivered when the recipient writes' } as const;
