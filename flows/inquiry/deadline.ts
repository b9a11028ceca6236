import type { DeadlineInquiry } from '../../db/repositories/deadlines.js';
import { updateInquiryIf } from '../../db/repositories/inquiries.js';
import type { DeadlineClass, Inquiry, Org } from '../../db/schema.js';
import type { FlowContext } from '../context.js';

/**
 * Gives a new inquiry the legal deadline of `deadlineClass` for agency `orgId`, counted from its
 * received time, and asks for its jobs to be planned. Returns the updated inquiry. Later changes
 * of the deadline are the lifecycle's (`flows/lifecycle/`: transfer, route, classify, …).
 * `planOrg`: the organisation the deadline counts in (`org_id ?? suggested_org_id`) as the caller
 * read it; given, the first job is planned after commit from what this transaction knows, with
 * no read (the caller must not change the deadline again in this transaction without a new sync).
 */
export async function assignDeadline(
  ctx: Pick<FlowContext, 'db' | 'settings' | 'nowIso' | 'effects'>, inquiry: Inquiry, deadlineClass: DeadlineClass, orgId: number | null,
  planOrg?: Pick<Org, 'id' | 'office_hours'>,
): Promise<Inquiry> {
  const a = await ctx.settings.deadlines.assign({ receivedAt: new Date(inquiry.received_at), deadlineClass, orgId, db: ctx.db });
  const due = a.dueAt.toISOString();
  const updated = await updateInquiryIf(ctx.db, inquiry.id, [inquiry.status], {
    deadline_class: a.deadlineClass, rule_id: a.ruleId, legal_basis: a.legalBasis, deadline_counting: a.counting,
    due_at: due, original_due_at: due, clock_from_at: a.fromAt.toISOString(), deadline_seq: inquiry.deadline_seq + 1, updated_at: ctx.nowIso,
  });
  const countsIn = updated ? updated.org_id ?? updated.suggested_org_id : undefined;
  const known = updated && planOrg && Number(planOrg.id) === Number(countsIn);
  ctx.effects.syncDeadline(inquiry.id, known ? { inquiry: deadlineFields(updated), officeHoursJson: planOrg.office_hours } : undefined);
  return updated ?? inquiry;
}

/** The fields the deadline scheduler plans from, numbers as numbers (`pg` may return strings). */
function deadlineFields(i: Inquiry): DeadlineInquiry {
  return {
    id: Number(i.id), status: i.status, org_id: i.org_id === null ? null : Number(i.org_id), suggested_org_id: i.suggested_org_id === null ? null : Number(i.suggested_org_id),
    received_at: i.received_at, due_at: i.due_at, deadline_counting: i.deadline_counting, paused_at: i.paused_at,
    deadline_seq: Number(i.deadline_seq), clock_from_at: i.clock_from_at, period_seq: Number(i.period_seq),
  };
}
