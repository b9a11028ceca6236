import type { Generated } from 'kysely';

/** Conventions shared by every table, and the audit trail. */

/** ISO-8601 UTC instant as text. */
export type IsoInstant = string;

/** Calendar date `YYYY-MM-DD` (Asia/Ho_Chi_Minh). */
export type IsoDate = string;

export interface AuditEventsTable {
  id: Generated<number>;
  at: IsoInstant;
  actor_person_id: number | null;
  actor_identity_id: number | null;
  action: string;
  entity: string;
  entity_id: string;
  before: string | null;
  after: string | null;
}
