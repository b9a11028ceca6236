import type { Inquiry, InquiryUpdate } from '../../db/schema.js';
import type { FlowContext } from '../context.js';
import type { DeadlineAssignment } from '../deadlines.js';
import type { ClockEffect, TransitionInput } from './types.js';

/** What a clock effect writes: plain columns and the counters the guarded update moves in SQL. */
export interface ClockChange {
  set: InquiryUpdate;
  bumpSeq: boolean;
  newPeriod: boolean;
  addPausedMs: number;
  awaitsConclusion: boolean;
}

const NOTHING: ClockChange = { set: {}, bumpSeq: false, newPeriod: false, addPausedMs: 0, awaitsConclusion: false };

/** The deadline columns of an assignment. */
function deadlineColumns(a: DeadlineAssignment): InquiryUpdate {
  const due = a.dueAt.toISOString();
  return {
    deadline_class: a.deadlineClass, rule_id: a.ruleId, legal_basis: a.legalBasis, deadline_counting: a.counting,
    due_at: due, original_due_at: due, clock_from_at: a.fromAt.toISOString(),
  };
}

/**
 * Computes what `effect` changes on `inquiry` (reading the calendar and the agencies' periods
 * through the flow's transaction); writes nothing. `replan` with the same agency and class changes
 * nothing (the jobs are still re-synced: the status decides who is reminded).
 */
export async function clockChange(ctx: FlowContext, inquiry: Inquiry, effect: ClockEffect, input: TransitionInput['clock'] = {}): Promise<ClockChange> {
  switch (effect) {
    case 'none': case 'stop': return NOTHING;
    case 'pause': return { ...NOTHING, set: { paused_at: ctx.nowIso, resume_status: inquiry.status }, bumpSeq: true };
    case 'resume': return resume(ctx, inquiry);
    case 'extend': return input.dueAt ? { ...NOTHING, set: { due_at: input.dueAt.toISOString() }, bumpSeq: true } : NOTHING;
    case 'replan': return replan(ctx, inquiry, input);
    case 'new_deadline': return newPeriod(ctx, inquiry, input);
  }
}

async function assign(ctx: FlowContext, inquiry: Inquiry, over: { orgId?: number; deadlineClass?: Inquiry['deadline_class']; reopenedAt?: string | null; concludedOn?: string | null }): Promise<DeadlineAssignment> {
  const reopenedAt = over.reopenedAt === undefined ? inquiry.reopened_at : over.reopenedAt;
  return ctx.settings.deadlines.assign({
    receivedAt: new Date(inquiry.received_at), deadlineClass: over.deadlineClass ?? inquiry.deadline_class ?? 'routine',
    orgId: over.orgId ?? inquiry.org_id ?? inquiry.suggested_org_id, db: ctx.db,
    reopenedAt: reopenedAt ? new Date(reopenedAt) : null, concludedOn: over.concludedOn ?? inquiry.conclusion_on,
  });
}

async function replan(ctx: FlowContext, inquiry: Inquiry, input: TransitionInput['clock'] = {}): Promise<ClockChange> {
  const orgId = input.orgId ?? inquiry.org_id ?? inquiry.suggested_org_id;
  const cls = input.deadlineClass ?? inquiry.deadline_class ?? 'routine';
  if (orgId === (inquiry.org_id ?? inquiry.suggested_org_id) && cls === inquiry.deadline_class && inquiry.due_at) return NOTHING;
  const a = await assign(ctx, inquiry, { ...(input.orgId ? { orgId: input.orgId } : {}), deadlineClass: cls });
  return { ...NOTHING, set: deadlineColumns(a), bumpSeq: true, awaitsConclusion: a.awaitsConclusion };
}

/** A reopening follow-up (now) or a complaint's conclusion date starts a new period. */
async function newPeriod(ctx: FlowContext, inquiry: Inquiry, input: TransitionInput['clock'] = {}): Promise<ClockChange> {
  const facts = input.concludedOn ? { concludedOn: input.concludedOn } : { reopenedAt: ctx.nowIso };
  const a = await assign(ctx, inquiry, facts);
  const set: InquiryUpdate = { ...deadlineColumns(a), paused_at: null, ...(input.concludedOn ? { conclusion_on: input.concludedOn } : { reopened_at: ctx.nowIso }) };
  return { ...NOTHING, set, bumpSeq: true, newPeriod: true, awaitsConclusion: a.awaitsConclusion };
}

/**
 * The paused time does not count: both the current and the original (pre-extension) due times
 * move by it (wall time for hour periods, office time otherwise).
 */
async function resume(ctx: FlowContext, inquiry: Inquiry): Promise<ClockChange> {
  const base: ClockChange = { ...NOTHING, set: { paused_at: null, resume_status: null }, bumpSeq: true };
  if (!inquiry.paused_at || !inquiry.due_at) return base;
  const pausedAt = new Date(inquiry.paused_at);
  const counting = inquiry.deadline_counting ?? 'working';
  const orgId = inquiry.org_id ?? inquiry.suggested_org_id;
  const shift = (due: string) => ctx.settings.deadlines.resume({ dueAt: new Date(due), pausedAt, resumedAt: ctx.now, counting, orgId, db: ctx.db });
  const dueAt = await shift(inquiry.due_at);
  const originalDueAt = inquiry.original_due_at ? await shift(inquiry.original_due_at) : dueAt;
  return {
    ...base, set: { ...base.set, due_at: dueAt.toISOString(), original_due_at: originalDueAt.toISOString() },
    addPausedMs: Math.max(0, ctx.now.getTime() - pausedAt.getTime()),
  };
}
