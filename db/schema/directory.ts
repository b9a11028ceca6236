import type { ColumnType, Generated } from 'kysely';
import type { IsoDate, IsoInstant } from './common.js';

/** The directory: organisations, topics, outlets, persons and their roles. */

export type OrgType =
  | 'government' | 'ministry' | 'province' | 'department' | 'agency'
  | 'commune' | 'special_zone' | 'press_office';

export const ORG_TYPES: readonly OrgType[] = [
  'government', 'ministry', 'province', 'department', 'agency', 'commune', 'special_zone', 'press_office',
];

/** `leader`: the network's leader (e.g. a provincial vice-chair), the last rung of escalation. */
export type Role = 'reporter' | 'spokesperson' | 'coordinator' | 'contact' | 'admin' | 'leader';

export const ROLES: readonly Role[] = ['reporter', 'spokesperson', 'coordinator', 'contact', 'admin', 'leader'];

/** Kinds of spokesperson (rules.md "Who speaks"). */
export type SpokespersonKind = 'regular' | 'authorised' | 'head';

export const SPOKESPERSON_KINDS: readonly SpokespersonKind[] = ['regular', 'authorised', 'head'];

/** `pending`/`rejected` are used for self-registered reporters awaiting verification. */
export type RoleStatus = 'active' | 'pending' | 'rejected' | 'revoked';

export interface OrgsTable {
  id: Generated<number>;
  code: string;
  name: string;
  name_en: string | null;
  type: OrgType;
  parent_id: number | null;
  predecessor_id: number | null;
  valid_from: IsoDate | null;
  valid_to: IsoDate | null;
  /** 1 when inquiries to this organisation go through the coordinating office first. */
  screening: number;
  /** JSON office hours `[{"start":"07:30","end":"11:30"},…]`; null: the default 07:30–11:30, 13:30–17:00. */
  office_hours: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

export interface TopicsTable {
  id: Generated<number>;
  code: string;
  name: string;
  name_en: string | null;
  org_id: number;
  /** 1/0 overrides the organisation's screening flag; null inherits it. */
  screening: number | null;
  active: number;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

export interface OutletsTable {
  id: Generated<number>;
  code: string;
  name: string;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

export interface PersonsTable {
  id: Generated<number>;
  /** Directory code from an import; null for self-registered reporters. */
  code: string | null;
  full_name: string;
  outlet_id: number | null;
  /** Free-text outlet name given at registration when it matched no known outlet. */
  outlet_name: string | null;
  press_card: string | null;
  /** Never logged. */
  phone: string | null;
  /** JSON array of tags (contacts). */
  tags: string | null;
  locale: string | null;
  /**
   * The hash of the person's one-time invite code (`/start <code>`; `hashInviteCode` in
   * `db/invite-hash.ts`), never the code: null until `liaison invites export` issues one.
   */
  invite_code: string | null;
  invite_used_at: IsoInstant | null;
  /** Position shown under the person's answers ("Phó Giám đốc Sở Y tế"); null: the role only. */
  title: ColumnType<string | null, string | null | undefined, string | null>;
  /** The position in English; null: `title`. */
  title_en: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

export interface RoleAssignmentsTable {
  id: Generated<number>;
  person_id: number;
  role: Role;
  /** Spokesperson kind; null for other roles. */
  kind: SpokespersonKind | null;
  /** Scope: the organisation (and its subtree) this role acts for. */
  org_id: number | null;
  status: RoleStatus;
  /** For `authorised` spokespersons: the one inquiry they may act on. */
  case_inquiry_id: number | null;
  valid_from: IsoDate | null;
  valid_to: IsoDate | null;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}
