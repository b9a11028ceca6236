import type { Generated } from 'kysely';
import type { Platform } from '../../adapters/types.js';
import type { IsoInstant } from './common.js';

/** Stored files and their platform ids. */

/** What a stored file is, by its bytes. */
export type AttachmentKind = 'image' | 'document' | 'video' | 'audio';

/** `stored`: usable; `quarantined`: the virus scanner flagged it (kept apart, never sent). */
export type AttachmentStatus = 'stored' | 'quarantined';

/** One file a person sent (the bytes are in the blob store, once per checksum). */
export interface AttachmentsTable {
  id: Generated<number>;
  /** SHA-256 of the bytes, hex. */
  sha256: string;
  size_bytes: number;
  /** The type found in the bytes (never the sender's claim). */
  mime_type: string;
  kind: AttachmentKind;
  /** The sanitised file name shown to people (with the extension of the detected type). */
  name: string;
  /** Where the bytes are in the blob store. */
  blob_key: string;
  status: AttachmentStatus;
  /** Unique per received file (`telegram:<event>:<n>`, `web:<upload>`): storing it again is a no-op. */
  source_key: string;
  sender_person_id: number | null;
  sender_identity_id: number | null;
  /** Set once the file is attached to an inquiry (and its entry) or a notice. */
  inquiry_id: number | null;
  entry_id: number | null;
  notice_id: number | null;
  created_at: IsoInstant;
}

/** A platform's own id for bytes we uploaded to one account (Telegram `file_id` per bot). */
export interface PlatformFilesTable {
  platform: Platform;
  account: string;
  sha256: string;
  file_id: string;
  created_at: IsoInstant;
}
