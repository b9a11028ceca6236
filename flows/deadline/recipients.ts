import type { Db } from '../../db/client.js';
import { orgAncestorIds, personIdsWithRole } from '../../db/repositories/directory.js';
import type { Inquiry, IsoDate } from '../../db/schema.js';
import { coordinatorsFor, spokespersonsFor } from '../roles.js';
import type { ParsedStep } from './steps.js';

/** Who a step goes to, and whether they are the agency's own spokespersons (they get the action buttons). */
export interface StepRecipients {
  personIds: number[];
  asSpokesperson: boolean;
}

/** The organisation an inquiry is with: its agency, or while in screening the suggested one. */
export function inquiryOrgId(inquiry: Inquiry): number | null {
  return inquiry.org_id ?? inquiry.suggested_org_id;
}

/**
 * Reminders and overdue nudges go to whoever holds the inquiry: the spokesperson who took it (or
 * the agency's spokespersons) once assigned; the coordinating office while it is still in
 * screening (the clock runs from receipt, and screening is their job).
 */
async function holders(db: Db, inquiry: Inquiry, today: IsoDate): Promise<StepRecipients> {
  if (inquiry.status === 'screening' || inquiry.org_id === null) {
    return { personIds: await coordinatorsFor(db, inquiryOrgId(inquiry), today), asSpokesperson: false };
  }
  const personIds = inquiry.handler_person_id !== null ? [inquiry.handler_person_id] : await spokespersonsFor(db, inquiry, today);
  return { personIds, asSpokesperson: true };
}

/** Heads of the agency itself (spokesperson role of kind `head`); none while no agency is assigned. */
async function heads(db: Db, inquiry: Inquiry, today: IsoDate): Promise<number[]> {
  if (inquiry.org_id === null) return [];
  const all = await personIdsWithRole(db, 'spokesperson', [inquiry.org_id], today);
  return all.filter((p) => p.kind === 'head').map((p) => p.personId);
}

/** Network leaders whose scope covers the inquiry's organisation, and unscoped ones. */
async function leaders(db: Db, inquiry: Inquiry, today: IsoDate): Promise<number[]> {
  const orgId = inquiryOrgId(inquiry);
  const scope = orgId === null ? [] : await orgAncestorIds(db, orgId);
  return (await personIdsWithRole(db, 'leader', scope, today, true)).map((p) => p.personId);
}

/** The people a step is sent to (without duplicates). */
export async function recipientsOf(db: Db, inquiry: Inquiry, step: ParsedStep, today: IsoDate): Promise<StepRecipients> {
  if (step.category !== 'escalate') return holders(db, inquiry, today);
  const ids = step.rung === 'head' ? await heads(db, inquiry, today)
    : step.rung === 'coordinator' ? await coordinatorsFor(db, inquiryOrgId(inquiry), today)
      : await leaders(db, inquiry, today);
  return { personIds: [...new Set(ids)], asSpokesperson: false };
}
