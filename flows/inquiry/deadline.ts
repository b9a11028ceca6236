import type { DeadlineInquiry, OrgTree } from '../../db/repositories/deadlines.js';
import { updateInquiryIf, type InquiryDeadline } from '../../db/repositories/inquiries.js';
import type { DeadlineClass, Inquiry, Org } from '../../db/schema.js';
import type { FlowContext } from '../context.js';

/**
 * The legal deadline of `deadlineClass` for agency `orgId`, counted from `receivedAt`, as the
 * columns a new inquiry is given (by its insert, or by {@link assignDeadline}). `tree`: `orgId`'s
 * chain and overrides of that class, when the caller read them already.
 */
export async function newInquiryDeadline(
  ctx: Pick<FlowContext, 'db' | 'settings'>, receivedAt: string, deadlineClass: DeadlineClass, orgId: number | null, tree?: OrgTree,
): Promise<InquiryDeadline> {
  const a = await ctx.settings.deadlines.assign({ receivedAt: new Date(receivedAt), deadlineClass, orgId, db: ctx.db, ...(tree ? { tree } : {}) });
  const due = a.dueAt.toISOString();
  return {
    deadline_class: a.deadlineClass, rule_id: a.ruleId, legal_basis: a.legalBasis, deadline_counting: a.counting,
    due_at: due, original_due_at: due, clock_from_at: a.fromAt.toISOString(),
  };
}

/**
 * Gives a new inquiry the legal deadline of `deadlineClass` for agency `orgId`, counted from its
 * received time, and asks for its jobs to be planned. Returns the updated inquiry. Later changes
 * of the deadline are the lifecycle's (`flows/lifecycle/`: transfer, route, classify, …).
 */
export async function assignDeadline(
  ctx: Pick<FlowContext, 'db' | 'settings' | 'nowIso' | 'effects'>, inquiry: Inquiry, deadlineClass: DeadlineClass, orgId: number | null,
): Promise<Inquiry> {
  const deadline = await newInquiryDeadline(ctx, inquiry.received_at, deadlineClass, orgId);
  const updated = await updateInquiryIf(ctx.db, inquiry.id, [inquiry.status], { ...deadline, deadline_seq: inquiry.deadline_seq + 1, updated_at: ctx.nowIso });
  ctx.effects.syncDeadline(inquiry.id);
  return updated ?? inquiry;
}

/**
 * Asks for the jobs of an inquiry created in this transaction with its deadline to be planned
 * after commit. `planOrg`: the organisation the deadline counts in (`org_id ?? suggested_org_id`)
 * as the caller read it; then the first job is planned from what this transaction knows, with no
 * read (the caller must not change the deadline again in this transaction without a new sync).
 */
export function planNewInquiry(ctx: Pick<FlowContext, 'effects'>, inquiry: Inquiry, planOrg: Pick<Org, 'id' | 'office_hours'> | undefined): void {
  const known = planOrg && Number(planOrg.id) === Number(inquiry.org_id ?? inquiry.suggested_org_id);
  ctx.effects.syncDeadline(inquiry.id, known ? { inquiry: deadlineFields(inquiry), officeHoursJson: planOrg.office_hours } : undefined);
}

/** The fields the deadline scheduler plans from, numbers as numbers (`pg` may return strings). */
function deadlineFields(i: Inquiry): DeadlineInquiry {
  return {
    id: Number(i.id), status: i.status, org_id: i.org_id === null ? null : Number(i.org_id), suggested_org_id: i.suggested_org_id === null ? null : Number(i.suggested_org_id),
    received_at: i.received_at, due_at: i.due_at, deadline_counting: i.deadline_counting, paused_at: i.paused_at,
    deadline_seq: Number(i.deadline_seq), clock_from_at: i.clock_from_at, period_seq: Number(i.period_seq),
  };
}
