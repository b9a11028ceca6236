import type { ColumnType, Generated } from 'kysely';
import type { Platform } from '../../adapters/types.js';
import type { IsoInstant } from './common.js';

/** Policy notices and their delivery rows (one per recipient). */

/** `draft`: composed, awaiting the coordinator's confirmation; `sending` until every recipient is settled. */
export type NoticeStatus = 'draft' | 'sending' | 'sent' | 'cancelled';

/**
 * Who a notice is for: contacts (active role `contact`). `orgCodes` and `tags` each narrow the
 * audience; given both, a contact must match both (e.g. a province's contacts tagged `y-te`).
 */
export interface NoticeAudience {
  /** Every contact. */
  all?: boolean;
  /** Organisation codes; each includes its subtree (a province, a list of communes). */
  orgCodes?: string[];
  /** Contact tags; a contact matches when they carry any of them. */
  tags?: string[];
  /** Whose role the audience is drawn from: `contact` (default) or `reporter` (press conference announcements). */
  role?: 'contact' | 'reporter';
}

/** A policy notice to commune contacts. */
export interface NoticesTable {
  id: Generated<number>;
  title: string;
  body: string;
  link: string | null;
  /** JSON {@link NoticeAudience}. */
  audience: string;
  created_by_person_id: number | null;
  status: NoticeStatus;
  confirmed_at: IsoInstant | null;
  finished_at: IsoInstant | null;
  /** The coordinator's chat message that shows progress (edited in place where the platform can). */
  progress_identity_id: number | null;
  progress_message_id: string | null;
  /** The outbox row that sent the progress message (its message id is known once delivered). */
  progress_outbox_id: number | null;
  /** The outbox row that sent the final summary (edited in place when a held delivery settles later; migration `2026-12-05-502-notice-summary`). */
  summary_outbox_id?: number | null;
  /** The deliveries' tally the final summary was last written with (migration `2026-12-06-901-notice-summary-shown`). */
  summary_shown?: string | null;
  /** How many deliveries the final summary shows as held: while > 0 the summary is followed. */
  summary_held?: Generated<number>;
  /** For a reminder: the notice it reminds of (acknowledgements are recorded on the parent's rows). */
  parent_id: number | null;
  /** Sends found in flight after a crash and sent again: the only possible repeats. */
  resent_in_flight: Generated<number>;
  /** When to remind recipients who have not acknowledged (once). */
  remind_at: IsoInstant | null;
  reminded_at: IsoInstant | null;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

/**
 * `not_joined`: the contact has no chat yet (never used their invite); `sending`: a send is in
 * flight (after a crash these are the only rows that may be delivered twice); `held`: the channel
 * could not take it then (Zalo reply window closed, the channel's credentials refused), so it was
 * handed to the interactive outbox, which holds it or sends it to another of the person's chats.
 */
export type NoticeRecipientStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'unreachable' | 'not_joined' | 'held';

/** One recipient of one notice: the delivery row that lets a broadcast resume after a crash. */
export interface NoticeRecipientsTable {
  id: Generated<number>;
  notice_id: number;
  person_id: number;
  /** The contact's organisation (commune/ward), for acknowledgement rates by province and commune. */
  org_id: number | null;
  identity_id: number | null;
  platform: Platform | null;
  chat_id: string | null;
  status: NoticeRecipientStatus;
  attempts: Generated<number>;
  parts_sent: Generated<number>;
  send_started_at: IsoInstant | null;
  /** The process whose send is in flight (`LeaseKeeper.owner`; migration `2026-12-06-902-notice-send-owner`). */
  send_owner?: string | null;
  sent_message_id: string | null;
  /** JSON array of every part's message id. */
  sent_message_ids: string | null;
  last_error: string | null;
  sent_at: IsoInstant | null;
  acked_at: IsoInstant | null;
  reminded_at: IsoInstant | null;
  /** The outbox row a `held` recipient was handed to; its delivery marks this row sent. */
  outbox_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}
