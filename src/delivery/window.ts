import { UnreachableError, type ChatAdapter } from '../../adapters/types.js';
import type { Identity } from '../../db/schema.js';

/** `UnreachableError.reason` an adapter uses when the platform's reply window is closed (Zalo OA -230/-232). */
export const REPLY_WINDOW_CLOSED_REASON = 'outside_window';

/** How a message whose recipient's window is closed is parked (the outbox's `held` row). */
export const WINDOW_HOLD = { reason: 'reply_window', note: 'held: reply window closed; delivered when the recipient writes' } as const;

/** True when the identity last wrote longer ago than the adapter's window (or never); false on a platform without one. */
export function isWindowClosed(identity: Identity | undefined, adapter: ChatAdapter, now: Date): boolean {
  const windowMs = adapter.capabilities.replyWindowMs;
  if (windowMs === undefined) return false;
  const last = identity?.last_inbound_at ? Date.parse(identity.last_inbound_at) : Number.NaN;
  return !Number.isFinite(last) || now.getTime() - last >= windowMs;
}

/**
 * The reply-window hold decision before a send (Zalo OA lets the bot write only within 48 h of
 * the person's last message): hold when the platform has a window and the recipient's is closed.
 * `identity` is read only on a platform with a window, so other sends cost no read.
 */
export async function holdsForWindow(adapter: ChatAdapter, now: Date, identity: () => Promise<Identity | undefined>): Promise<boolean> {
  if (adapter.capabilities.replyWindowMs === undefined) return false;
  return isWindowClosed(await identity(), adapter, now);
}

/** The platform refused the send because its window is closed. */
export function isWindowRefusal(err: unknown): boolean {
  return err instanceof UnreachableError && err.reason === REPLY_WINDOW_CLOSED_REASON;
}
