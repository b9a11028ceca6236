import { updateInquiryIf } from '../../db/repositories/inquiries.js';
import type { DeadlineClass, Inquiry, InquiryStatus } from '../../db/schema.js';
import { OPEN_INQUIRY_STATUSES } from '../../db/schema.js';
import type { FlowContext } from '../context.js';

/**
 * Gives the inquiry the legal deadline of `deadlineClass` for agency `orgId`, always counted from
 * its original received time (a transfer or a class change never restarts the clock), and asks
 * for its jobs to be re-planned. Returns the updated inquiry.
 */
export async function assignDeadline(ctx: FlowContext, inquiry: Inquiry, deadlineClass: DeadlineClass, orgId: number | null): Promise<Inquiry> {
  const a = await ctx.settings.deadlines.assign({ receivedAt: new Date(inquiry.received_at), deadlineClass, orgId, db: ctx.db });
  const due = a.dueAt.toISOString();
  const updated = await updateInquiryIf(ctx.db, inquiry.id, [inquiry.status], {
    deadline_class: a.deadlineClass, rule_id: a.ruleId, legal_basis: a.legalBasis, deadline_counting: a.counting,
    due_at: due, original_due_at: due, deadline_seq: inquiry.deadline_seq + 1, updated_at: ctx.nowIso,
  });
  ctx.effects.syncDeadline(inquiry.id);
  return updated ?? inquiry;
}

/** Moves the due time (an approved extension) and re-plans the jobs; `original_due_at` keeps the legal one. */
export async function extendDeadline(ctx: FlowContext, inquiry: Inquiry, dueAt: Date): Promise<Inquiry | undefined> {
  const updated = await updateInquiryIf(ctx.db, inquiry.id, OPEN_INQUIRY_STATUSES, {
    due_at: dueAt.toISOString(), deadline_seq: inquiry.deadline_seq + 1, updated_at: ctx.nowIso,
  });
  if (updated) ctx.effects.syncDeadline(inquiry.id);
  return updated;
}

/** The fields that pause the clock (waiting for the reporter); merged into a status change. */
export function pauseFields(ctx: FlowContext, inquiry: Inquiry) {
  return { paused_at: ctx.nowIso, deadline_seq: inquiry.deadline_seq + 1 };
}

/**
 * The fields that resume a paused clock: the paused time does not count, so both the current and
 * the original (pre-extension) due times move by it.
 */
export async function resumeFields(ctx: FlowContext, inquiry: Inquiry) {
  if (!inquiry.paused_at || !inquiry.due_at) return { paused_at: null, deadline_seq: inquiry.deadline_seq + 1 };
  const pausedAt = new Date(inquiry.paused_at);
  const counting = inquiry.deadline_counting ?? 'working';
  const shift = (due: string) => ctx.settings.deadlines.resume({ dueAt: new Date(due), pausedAt, resumedAt: ctx.now, counting, orgId: inquiry.org_id ?? inquiry.suggested_org_id, db: ctx.db });
  const dueAt = await shift(inquiry.due_at);
  const originalDueAt = inquiry.original_due_at ? await shift(inquiry.original_due_at) : dueAt;
  return {
    paused_at: null, paused_ms: inquiry.paused_ms + Math.max(0, ctx.now.getTime() - pausedAt.getTime()),
    due_at: dueAt.toISOString(), original_due_at: originalDueAt.toISOString(), deadline_seq: inquiry.deadline_seq + 1,
  };
}

/** Statuses in which the deadline clock is running. */
export const CLOCK_RUNNING: readonly InquiryStatus[] = ['screening', 'assigned', 'acknowledged'];
