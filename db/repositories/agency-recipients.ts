import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../client.js';
import type { Identity, IsoDate, Outlet } from '../schema.js';
import { pickPreferred } from './directory.js';
import { unprefixed, withoutPrefixed } from './joined-rows.js';
import { PREPARED } from '../pg-prepared.js';
import { compiledOnce } from '../compiled.js';

/** A spokesperson assignment that may make its holder a recipient of an inquiry at its agency. */
export interface SpokespersonAssignment {
  personId: number;
  kind: string | null;
  /** An assignment to the agency itself, in force on the day asked (regular, head…). */
  atAgency: boolean;
  /** Authorised for this one inquiry (whatever its organisation or dates). */
  forCase: boolean;
}

/** Where a person is reached, in their own language (`persons.locale`, null when unset). */
export interface Reach {
  identity: Identity;
  personLocale: string | null;
}

/** What {@link agencyRecipients} read. */
export interface AgencyRecipients {
  /** The agency's spokesperson assignments in force and those authorised for the case, by person id. */
  assignments: SpokespersonAssignment[];
  /** Each assigned person's preferred identity (as `preferredIdentity` picks it); absent when they have none. */
  reach: Map<number, Reach>;
  /** The outlet `outletId` names, when asked for and found. */
  outlet: Outlet | undefined;
}

const IDENTITY_COLUMNS = [
  'id', 'platform', 'platform_user_id', 'chat_id', 'person_id', 'display_name', 'locale', 'dialog', 'unreachable_at',
  'unreachable_reason', 'last_inbound_at', 'preferred', 'created_at', 'updated_at',
] as const;
const OUTLET_COLUMNS = ['id', 'code', 'name', 'created_at', 'updated_at'] as const;

/**
 * In one statement, what notifying an inquiry's agency needs: the active spokesperson assignments
 * to `orgId` in force on `today` and those authorised for `inquiryId`, each holder's identities
 * and language, and (for the notice's view) the reporter's outlet `outletId`. The outlet is
 * joined to a one-row base, so it is found even when nobody holds an assignment.
 */
export async function agencyRecipients(db: Db, q: { orgId: number; inquiryId: number; today: IsoDate; outletId?: number | null }): Promise<AgencyRecipients> {
  const { rows } = await recipientsStatement(db, q.outletId ?? -1, q.orgId, q.today, q.inquiryId);
  return recipientsFromRows(rows, q);
}

/** A row of {@link recipientsQuery}: an assignment (`r_`), one of its holder's identities (`i_`) and the outlet (`o_`), each part null when absent. */
export type RecipientRow = Record<string, unknown> & {
  r_id: number | null; r_person_id: number | null; r_kind: string | null; r_org_id: number | null; r_case_inquiry_id: number | null;
  r_valid_from: string | null; r_valid_to: string | null; person_locale: string | null;
};

/** What {@link agencyRecipients} returns, from the rows of {@link recipientsQuery} (ordered by person, assignment, identity). */
export function recipientsFromRows(rows: readonly RecipientRow[], q: { orgId: number; inquiryId: number; today: IsoDate }): AgencyRecipients {
  const assignments = new Map<number, SpokespersonAssignment>();
  const identities = new Map<number, Array<Identity & { person_locale: string | null }>>();
  for (const row of rows) {
    if (row.r_id === null || row.r_person_id === null) continue;
    assignments.set(row.r_id, {
      personId: row.r_person_id, kind: row.r_kind, atAgency: row.r_org_id === q.orgId && inForce(row.r_valid_from, row.r_valid_to, q.today),
      forCase: row.r_kind === 'authorised' && row.r_case_inquiry_id === q.inquiryId,
    });
    const identity = unprefixed<Identity>(row, 'i_', IDENTITY_COLUMNS);
    const list = identities.get(row.r_person_id) ?? [];
    if (identity && !list.some((i) => i.id === identity.id)) list.push({ ...identity, person_locale: row.person_locale });
    identities.set(row.r_person_id, list);
  }
  const reach = new Map<number, Reach>();
  for (const [personId, list] of identities) {
    const best = pickPreferred(list);
    if (best) reach.set(personId, { identity: withoutPrefixed<Identity>(best, ['person_locale']), personLocale: best.person_locale });
  }
  const [first] = rows;
  return { assignments: [...assignments.values()], reach, outlet: first ? unprefixed<Outlet>(first, 'o_', OUTLET_COLUMNS) : undefined };
}

/**
 * The rows {@link recipientsFromRows} reads; `orgId` may be a scalar subquery (the organisation of
 * a row read in the same statement). Unordered: the caller orders by `r_person_id, r_id, i_id`.
 */
export function recipientsQuery(db: Db, outletId: number, orgId: number | RawBuilder<number | null>, today: IsoDate, inquiryId: number) {
  return db.selectFrom(sql<{ one: number }>`(select 1 as one)`.as('base'))
    .leftJoin('outlets as o', (join) => join.on('o.id', '=', outletId))
    .leftJoin('role_assignments as r', (join) => join.on('r.role', '=', 'spokesperson').on('r.status', '=', 'active')
      .on((eb) => eb.or([
        eb.and([eb('r.org_id', '=', orgId), eb.or([eb('r.valid_from', 'is', null), eb('r.valid_from', '<=', today)]), eb.or([eb('r.valid_to', 'is', null), eb('r.valid_to', '>=', today)])]),
        eb.and([eb('r.kind', '=', 'authorised'), eb('r.case_inquiry_id', '=', inquiryId)]),
      ])))
    .leftJoin('persons as p', 'p.id', 'r.person_id')
    .leftJoin('identities as i', 'i.person_id', 'r.person_id')
    .select(['r.id as r_id', 'r.person_id as r_person_id', 'r.kind as r_kind', 'r.org_id as r_org_id', 'r.case_inquiry_id as r_case_inquiry_id', 'r.valid_from as r_valid_from', 'r.valid_to as r_valid_to', 'p.locale as person_locale'])
    .select(IDENTITY_COLUMNS.map((c) => `i.${c} as i_${c}` as const))
    .select(OUTLET_COLUMNS.map((c) => `o.${c} as o_${c}` as const));
}

const recipientsStatement = compiledOnce((db: Db, outletId: number, orgId: number, today: IsoDate, inquiryId: number) => recipientsQuery(db, outletId, orgId, today, inquiryId)
  .orderBy('r.person_id').orderBy('r.id').orderBy('i.id').modifyEnd(PREPARED));

/** The same test as the join's, on the row (an assignment may match as authorised for the case only). */
function inForce(validFrom: string | null, validTo: string | null, today: IsoDate): boolean {
  return (validFrom === null || validFrom <= today) && (validTo === null || validTo >= today);
}
