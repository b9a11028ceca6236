import type { z } from 'zod';
import { int } from './fields.js';

/** Keys of the delivery path under faults (issue #10); documented in `.env.example`. */
export const deliveryKeys = {
  OUTBOX_SEND_LEASE_MS: int(500, 600_000).default(3000),
  OUTBOX_SWEEP_MS: int(100, 60_000).default(1000),
  REDIS_CHECK_INTERVAL_MS: int(100, 60_000).default(10_000),
  OUTBOX_DIGEST_THRESHOLD: int(0, 50).default(5),
};

type DeliveryRaw = z.infer<z.ZodObject<typeof deliveryKeys>>;

/** How the outbox survives crashes and how Redis data loss is noticed. */
export interface DeliverySettings {
  /**
   * How long the claim on an outbox send in flight lasts without renewal, in ms (renewed every
   * third of it while the send runs): after a crash, the chat whose send was in flight waits at most
   * this long (plus one sweep) before it is resumed.
   */
  outboxLeaseMs: number;
  /** How often each process looks for chats with pending rows and no delivery running, in ms. */
  outboxSweepMs: number;
  /** How often (and on every reconnect) each process checks that Redis still holds its data, in ms. */
  redisCheckMs: number;
  /**
   * How many new-inquiry and reminder notices waiting for one chat make the outbox send them as
   * one digest message (the codes, and a button to open each) instead of one message each; 0 never.
   */
  outboxDigestThreshold: number;
}

export function toDeliverySettings(raw: DeliveryRaw): DeliverySettings {
  return {
    outboxLeaseMs: raw.OUTBOX_SEND_LEASE_MS, outboxSweepMs: raw.OUTBOX_SWEEP_MS, redisCheckMs: raw.REDIS_CHECK_INTERVAL_MS,
    outboxDigestThreshold: raw.OUTBOX_DIGEST_THRESHOLD,
  };
}
