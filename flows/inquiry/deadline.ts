import { updateInquiryIf } from '../../db/repositories/inquiries.js';
import type { DeadlineClass, Inquiry } from '../../db/schema.js';
import type { FlowContext } from '../context.js';

/**
 * Gives a new inquiry the legal deadline of `deadlineClass` for agency `orgId`, counted from its
 * received time, and asks for its jobs to be planned. Returns the updated inquiry. Later changes
 * of the deadline are the lifecycle's (`flows/lifecycle/`: transfer, route, classify, …).
 */
export async function assignDeadline(ctx: Pick<FlowContext, 'db' | 'settings' | 'nowIso' | 'effects'>, inquiry: Inquiry, deadlineClass: DeadlineClass, orgId: number | null): Promise<Inquiry> {
  const a = await ctx.settings.deadlines.assign({ receivedAt: new Date(inquiry.received_at), deadlineClass, orgId, db: ctx.db });
  const due = a.dueAt.toISOString();
  const updated = await updateInquiryIf(ctx.db, inquiry.id, [inquiry.status], {
    deadline_class: a.deadlineClass, rule_id: a.ruleId, legal_basis: a.legalBasis, deadline_counting: a.counting,
    due_at: due, original_due_at: due, clock_from_at: a.fromAt.toISOString(), deadline_seq: inquiry.deadline_seq + 1, updated_at: ctx.nowIso,
  });
  ctx.effects.syncDeadline(inquiry.id);
  return updated ?? inquiry;
}
