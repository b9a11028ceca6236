import { recentInquiryEvents } from '../../db/repositories/audit.js';
import { addEntry, findInquiry, updateInquiryGuarded } from '../../db/repositories/inquiries.js';
import { attachFiles } from '../../db/repositories/attachments.js';
import type { Inquiry, InquiryUpdate } from '../../db/schema.js';
import type { FlowContext } from '../context.js';
import { clockChange } from './clock.js';
import { actionOfAudit, isOpen, LIFECYCLE, STATUS_AUDITS, targetStatus } from './table.js';
import type { Action, Admitted, LastEvent, TransitionInput, TransitionResult } from './types.js';

/** How many recent status events are read to find the last real status change (a follow-up may not be one). */
const RECENT_EVENTS = 8;

/**
 * Applies one row of the lifecycle table to an admitted inquiry, in the flow's transaction:
 * the guarded update (`UPDATE … WHERE status IN (from) RETURNING *`, with the clock's columns),
 * the deadline re-sync after commit, the entry and the audit event — or, when someone else changed
 * the inquiry first, nothing at all and a result that says who did what, and when.
 */
export async function transition<A extends Action>(ctx: FlowContext, admitted: Admitted<A>, input: TransitionInput = {}): Promise<TransitionResult> {
  const rule = LIFECYCLE[admitted.action];
  const before = admitted.inquiry;
  const to = targetStatus(admitted.action, before.status, before.resume_status);
  const clock = await clockChange(ctx, before, rule.clock, input.clock);
  const set: InquiryUpdate = { ...input.set, ...closing(before, to, ctx.nowIso), ...clock.set, status: to, updated_at: ctx.nowIso };
  const updated = await updateInquiryGuarded(ctx.db, before.id, {
    from: rule.from, set, bumpSeq: clock.bumpSeq, newPeriod: clock.newPeriod, addPausedMs: clock.addPausedMs,
    ...(rule.onlyUnrated ? { onlyUnrated: true } : {}), ...(rule.responds ? { firstResponseAt: ctx.nowIso } : {}),
  });
  if (!updated) return { ok: false, ...(await lostTo(ctx, before)) };
  if (rule.clock !== 'none') ctx.effects.syncDeadline(before.id);
  const entryId = rule.entry ? await addEntry(ctx.db, before.id, rule.entry, ctx.actor.person?.id ?? null, input.entryText ?? '', ctx.nowIso) : undefined;
  if (input.files?.length) {
    await attachFiles(ctx.db, input.files, {
      inquiryId: before.id, ...(entryId ? { entryId } : {}), senderPersonId: ctx.actor.person?.id ?? null, senderIdentityId: ctx.actor.identity.id,
    });
  }
  const also = (await input.alongside?.(updated)) ?? {};
  const moved = clock.bumpSeq ? { due_at: updated.due_at } : {};
  await ctx.effects.audit(rule.audit, 'inquiry', before.id,
    { status: before.status, ...(clock.bumpSeq ? { due_at: before.due_at } : {}), ...input.audit?.before },
    { status: to, ...moved, ...input.audit?.after, ...also });
  return { ok: true, inquiry: updated, before, awaitsConclusion: clock.awaitsConclusion };
}

/** Closing stamps `closed_at` and forgets where a clarification paused; reopening clears `closed_at`. */
function closing(before: Inquiry, to: Inquiry['status'], nowIso: string): InquiryUpdate {
  if (!isOpen(to) && isOpen(before.status)) return { closed_at: nowIso, resume_status: null };
  if (isOpen(to) && !isOpen(before.status)) return { closed_at: null };
  return {};
}

/** The inquiry as it is now and what last changed its status (read only when an action lost). */
async function lostTo(ctx: FlowContext, before: Inquiry): Promise<{ reason: 'lost'; inquiry: Inquiry; last: LastEvent | undefined }> {
  const [inquiry, last] = await Promise.all([findInquiry(ctx.db, before.id), lastStatusEvent(ctx, before.id)]);
  return { reason: 'lost', inquiry: inquiry ?? before, last };
}

/**
 * What last changed the inquiry's status, from the audit trail: the newest status-changing event
 * whose status before and after differ (a follow-up on an open inquiry shares its audit name with
 * a reopening one, but changes nothing).
 */
export async function lastStatusEvent(ctx: FlowContext, inquiryId: number): Promise<LastEvent | undefined> {
  const events = await recentInquiryEvents(ctx.db, inquiryId, STATUS_AUDITS, RECENT_EVENTS);
  for (const e of events) {
    const action = actionOfAudit(e.action);
    if (action && statusOf(e.before) !== statusOf(e.after)) return { action, by: e.actorName, byPersonId: e.actorPersonId, at: e.at };
  }
  return undefined;
}

function statusOf(json: string | null): unknown {
  try {
    return json ? (JSON.parse(json) as { status?: unknown }).status : undefined;
  } catch {
    return undefined;
  }
}
