import type { Generated, Selectable } from 'kysely';
import type { IsoInstant } from './schema.js';

/**
 * Tables of the staff notifications (issue #14; migration `2026-12-05-401-web-push`). Declared
 * here and merged into {@link Database} by module augmentation, so branches adding tables to
 * `schema.ts` at the same time do not collide.
 */

/** The service's VAPID key pair (one row, `id` = 1), base64url as `web-push` makes them. The private key is a secret: never logged. */
export interface WebPushKeysTable {
  id: number;
  public_key: string;
  private_key: string;
  created_at: IsoInstant;
}

/** One browser's push subscription, for the person who subscribed it. */
export interface PushSubscriptionsTable {
  id: Generated<number>;
  person_id: number;
  /** The push service URL (unique: one browser profile). */
  endpoint: string;
  /** The browser's ECDH P-256 public key and auth secret, base64url. */
  p256dh: string;
  auth: string;
  created_at: IsoInstant;
  last_sent_at: IsoInstant | null;
}

/** What a staff member is notified about. */
export type PushKind = 'inquiry' | 'reminder' | 'escalation' | 'reply';
export const PUSH_KINDS: readonly PushKind[] = ['inquiry', 'reminder', 'escalation', 'reply'];

/**
 * `both`: Web Push beside the chat message; `chat`: the chat (Telegram, Zalo, web page) only, no
 * push. `push` ("push only") is read as `both`: the chat message always goes (see `src/push/prefs.ts`).
 */
export type NotifyChannel = 'push' | 'chat' | 'both';
export const NOTIFY_CHANNELS: readonly NotifyChannel[] = ['both', 'push', 'chat'];

/** A person's notification preferences; no row: every event, no quiet hours, `both`. */
export interface NotificationPrefsTable {
  person_id: number;
  /** JSON array of {@link PushKind}. */
  events: string;
  /** Local time (Asia/Ho_Chi_Minh) `HH:mm` the quiet hours start and end (may wrap past midnight); both null: none. */
  quiet_from: string | null;
  quiet_to: string | null;
  channel: NotifyChannel;
  updated_at: IsoInstant;
}

/** `pending` until the sender has decided each subscription; then `done` with an `outcome`. */
export type PushEventStatus = 'pending' | 'done';

/** One thing a person is to be told about by push, written in the flow's transaction. */
export interface PushEventsTable {
  id: Generated<number>;
  /** `outbox-<id>`: the chat message it accompanies (so a flow that runs once writes it once). */
  event_key: string;
  person_id: number;
  kind: PushKind;
  /** 1: the inquiry runs on a 24-hour legal deadline (overrides quiet hours). */
  urgent: number;
  title: string;
  body: string;
  inquiry_id: number | null;
  status: PushEventStatus;
  /**
   * `sent`, `no_subscription`, `off` (event or channel not wanted), `failed`, `stale` (held through
   * quiet hours, and its inquiry was answered or closed by their end: not sent); while held by quiet
   * hours, still `pending`, `quiet`.
   */
  outcome: string | null;
  attempts: number;
  created_at: IsoInstant;
  done_at: IsoInstant | null;
  /** Held by quiet hours until this instant (their end; migration `2026-12-05-501-push-held`); null or absent: due now. */
  not_before?: IsoInstant | null;
}

/** `sending` is written before the push leaves (never sent again, even if the process dies then). */
export type PushDeliveryStatus = 'sending' | 'sent' | 'retry' | 'failed' | 'gone';

/** One event to one subscription. */
export interface PushDeliveriesTable {
  event_id: number;
  subscription_id: number;
  status: PushDeliveryStatus;
  http_status: number | null;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

export type PushSubscriptionRow = Selectable<PushSubscriptionsTable>;
export type PushEvent = Selectable<PushEventsTable>;
export type NotificationPrefsRow = Selectable<NotificationPrefsTable>;

declare module './schema.js' {
  interface Database {
    web_push_keys: WebPushKeysTable;
    push_subscriptions: PushSubscriptionsTable;
    notification_prefs: NotificationPrefsTable;
    push_events: PushEventsTable;
    push_deliveries: PushDeliveriesTable;
  }
}
