import type { ColumnType, Generated } from 'kysely';
import type { Platform } from '../../adapters/types.js';
import type { IsoInstant } from './common.js';
import type { MessageRefKind } from './inquiries.js';

/** Chats and sends: identities, the outbox, inbound events, one-time codes, Zalo OA, numbered menus, the web channel. */

/**
 * `redirected`: undeliverable here, so sent again to another identity of the same person.
 * `held`: the platform's reply window is closed (Zalo OA, 48 h); back to `pending` when the person writes.
 * `digested`: carried by a digest message (the row `digest_id`) instead of being sent on its own.
 */
export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'unreachable' | 'redirected' | 'held' | 'digested';

export type OutboxQueue = 'outbox' | 'notices';

export interface IdentitiesTable {
  id: Generated<number>;
  platform: Platform;
  platform_user_id: string;
  /** Where to send to this identity (private chat id). */
  chat_id: string;
  person_id: number | null;
  display_name: string | null;
  locale: string | null;
  /** JSON of the conversation state (what the bot is waiting for), or null. */
  dialog: string | null;
  unreachable_at: IsoInstant | null;
  unreachable_reason: string | null;
  last_inbound_at: IsoInstant | null;
  /** 1 on the one identity a person chose for notifications (`/link`); 0 elsewhere. */
  preferred: Generated<number>;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

export interface OutboxTable {
  id: Generated<number>;
  queue: OutboxQueue;
  identity_id: number;
  platform: Platform;
  chat_id: string;
  text: string;
  /** JSON `Button[][]` or null. */
  buttons: string | null;
  /** Platform message id to reply to, when known at commit time. */
  reply_to_message_id: string | null;
  /** Reply to the message another outbox row produced (resolved at send time). */
  reply_to_outbox_id: number | null;
  /** When set, a `message_refs` row of `ref_kind` is written on delivery. */
  inquiry_id: number | null;
  ref_kind: MessageRefKind | null;
  ref_person_id: number | null;
  /** 1: tell the coordinators when this recipient turns out unreachable. */
  report_unreachable: number;
  status: OutboxStatus;
  attempts: number;
  /** Parts already delivered (long texts are split); a retry skips them. */
  parts_sent: number;
  sent_message_id: string | null;
  /** JSON array of every part's message id. */
  sent_message_ids: string | null;
  last_error: string | null;
  created_at: IsoInstant;
  sent_at: IsoInstant | null;
  /**
   * Why a `held` row waits: `reply_window` (null on older rows) or `credentials`. A `pending` row
   * out on a credentials probe keeps `credentials` until its send's outcome is recorded. Null otherwise.
   */
  held_reason: OutboxHeldReason | null;
  /**
   * `text` with its credentials (one-time codes) masked, while the row still needs the clear text
   * to be sent; it replaces `text` once the row leaves `pending` (sent, failed, held…). Null when
   * the message carries no credential, and after the swap.
   */
  masked_text: string | null;
  /** JSON array of the credentials in `text` (passed to the adapter); null with `masked_text`. */
  secrets: string | null;
  /** JSON array of the `attachments.id`s the message carries, in order (each one part after the text); null: none. */
  attachments: ColumnType<string | null, string | null | undefined, string | null>;
  /** The process whose send of this row is in flight (set by the claim, cleared with the outcome). */
  lease_owner: string | null;
  /** When that claim lapses unless renewed; a `pending` row with a lapsed claim is an interrupted send. */
  lease_until: IsoInstant | null;
  /** Not to be sent before (rate limit, backoff); null: now. */
  next_attempt_at: IsoInstant | null;
  /** Sends of this row started again after an interrupted one: the only possible repeats. */
  resent_in_flight: Generated<number>;
  /**
   * This row corrects the message row `edit_of_outbox_id` delivered: edited in place to
   * `edit_text` where the platform allows, else `text` is sent as a new message replying to it.
   */
  edit_of_outbox_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** The corrected message's whole new text, for an edit in place; null on ordinary rows. */
  edit_text: ColumnType<string | null, string | null | undefined, string | null>;
  /** For a `digested` row: the outbox row of the digest message that carries it. */
  digest_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** 1: the row delivers a notice handed over by the notice engine; its delivery also settles the `notice_recipients` row linked to it. */
  notice_handover: ColumnType<number, number | undefined, number>;
}

/** Why an outbox row is `held`. */
export type OutboxHeldReason = 'reply_window' | 'credentials';

/** An answer (or correction) previewed, waiting for its spokesperson's [Gửi câu trả lời]. */
export interface AnswerDraftsTable {
  id: Generated<number>;
  /** The chat that wrote it (and alone may confirm it). */
  identity_id: number;
  inquiry_id: number;
  text: string;
  /** JSON array of `attachments.id`; null: none. */
  files: string | null;
  /** 1: a correction of the sent answer. */
  correcting: number;
  created_at: IsoInstant;
}

export type InboundStatus = 'pending' | 'done' | 'failed';

export interface InboundEventsTable {
  platform: Platform;
  event_id: string;
  /** JSON of the normalised event (without `raw`). */
  payload: string;
  status: InboundStatus;
  error: string | null;
  received_at: IsoInstant;
  processed_at: IsoInstant | null;
}

/** `link`: attaches the chat that sends the code to the person; `web_login`: signs in on the web page. */
export type LinkCodePurpose = 'link' | 'web_login';

/** A one-time code (10 minutes) issued to a person from one of their chats. */
export interface LinkCodesTable {
  code: string;
  person_id: number;
  /** The identity that asked for the code. */
  identity_id: number;
  purpose: LinkCodePurpose;
  expires_at: IsoInstant;
  used_at: IsoInstant | null;
  created_at: IsoInstant;
}

/** The token pair of one Zalo OA (`app_id`); every write is a compare-and-swap on `refresh_token`. */
export interface ZaloOaTokensTable {
  app_id: string;
  /** Secret, sealed with AES-256-GCM (`db/secret-box.ts`; clear only in a row stored before that, until the next start): never logged. */
  access_token: string;
  /** Secret and single-use, sealed like `access_token`: never logged. */
  refresh_token: string;
  /** `secretLookupHash` (`db/secret-box.ts`) of the refresh token: compare-and-swap writes match on it (the sealed value differs each time). */
  refresh_token_hash: string | null;
  access_expires_at: IsoInstant;
  refresh_expires_at: IsoInstant | null;
  /** `ok` | `refresh_rejected` (Zalo refused the refresh token; an operator must install new tokens). */
  state: 'ok' | 'refresh_rejected';
  /** A process refreshing the pair holds this lease; others wait for the new pair. */
  refresh_lease_until: IsoInstant | null;
  updated_at: IsoInstant;
}

/** One ZNS "your answer is ready" notification per held outbox row. */
export interface ZaloOaZnsSendsTable {
  outbox_id: number;
  /** `sending` | `sent` | `failed`. */
  status: string;
  zalo_msg_id: string | null;
  error: string | null;
  created_at: IsoInstant;
}

/** The buttons of one message that was sent as numbered text (a platform without buttons). */
export interface ChoiceMenusTable {
  id: Generated<number>;
  platform: Platform;
  chat_id: string;
  /** The platform id of the message (its last part) that lists the choices. */
  message_id: string;
  /** JSON `Button[][]`, numbered in reading order from 1. */
  buttons: string;
  created_at: IsoInstant;
}

/** Up to which entry a person has read an inquiry's thread on the web page (unread counts). */
export interface InboxReadsTable {
  person_id: number;
  inquiry_id: number;
  /** The newest `inquiry_entries.id` seen. */
  last_entry_id: number;
  read_at: IsoInstant;
}

/**
 * Something in someone's inbox changed (appended by triggers: migration `2026-12-06-301-inbox-changes`);
 * web processes read the rows after their cursor and tell the pages concerned.
 */
export interface InboxChangesTable {
  id: Generated<number>;
  /** Null: the reporter registrations waiting for verification changed. */
  inquiry_id: number | null;
  /** The inquiry's agency (routed, else suggested) at the change; a transfer also writes the one it left. */
  agency_id: number | null;
  reporter_person_id: number | null;
  /** Set on a row written when this person read the inquiry's thread (their other pages reload their unread counts); null on the triggers' rows. */
  reader_person_id: Generated<number | null>;
  /** Set on a row written (by a trigger) when this person started or stopped following the inquiry: their pages reload their lists. */
  follower_person_id: Generated<number | null>;
  /** When it was written, by the database's clock (for pruning only). */
  at: Generated<IsoInstant>;
}

/** A web channel session. The cookie's token itself is never stored: only its SHA-256 (hex). */
export interface WebSessionsTable {
  token_hash: string;
  /** The web identity (platform user id = chat id) the session signs in as. */
  owner_id: string;
  language_code: string | null;
  created_at: IsoInstant;
  last_seen_at: IsoInstant;
  /** `last_seen_at` + the idle timeout. */
  idle_expires_at: IsoInstant;
  /** Absolute end, whatever the activity. */
  expires_at: IsoInstant;
}

/** One message of a web chat (either side); `seq` is the platform message id, increasing per chat. */
export interface WebMessagesTable {
  chat_id: string;
  seq: number;
  sender: 'user' | 'bot';
  text: string;
  reply_to: string | null;
  /** JSON `Button[][]`, or null. */
  buttons: string | null;
  /** The page's id for a user message (a resent POST is stored once); null for the bot's. */
  client_id: string | null;
  /** Change number within the chat: set on append and again on each edit (pages follow it). */
  rev: number;
  created_at: IsoInstant;
  edited_at: IsoInstant | null;
  /**
   * The clear text of a bot message whose `text` has a credential masked: shown to the chat's own
   * page until `reveal_until` (the code's lifetime) or until the code is used, then erased.
   */
  reveal_text: string | null;
  reveal_until: IsoInstant | null;
  /** JSON array of the files the entry carries (`{id, name, mimeType, sizeBytes, kind}`), or null. */
  files: ColumnType<string | null, string | null | undefined, string | null>;
}
