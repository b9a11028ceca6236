import type { ButtonEvent } from '../../adapters/types.js';
import { findOrg, findPerson } from '../../db/repositories/directory.js';
import { setDialog } from '../../db/repositories/identities.js';
import { findInquiry } from '../../db/repositories/inquiries.js';
import { A, btn, parseId } from '../buttons.js';
import { parseLocalDateTime } from '../copy/format.js';
import type { FlowContext } from '../context.js';
import { AGENCY_OPEN, loadForAction } from '../guards.js';
import { extendDeadline } from '../inquiry/deadline.js';
import { toReporterThread } from '../inquiry/route.js';
import { codeOf, orgName } from '../inquiry/view.js';
import { coordinates, coordinatorsFor } from '../roles.js';
import { onAck } from './staff.js';

/** [Xin gia hạn]: ask for the reason. */
export async function onExtendButton(ctx: FlowContext, payload: string): Promise<void> {
  const inquiry = await loadForAction(ctx, payload, 'spokesperson', AGENCY_OPEN);
  if (!inquiry?.due_at) return;
  const due = inquiry.due_at;
  await setDialog(ctx.db, ctx.actor.identity.id, { step: 'ext_reason', inquiryId: inquiry.id }, ctx.nowIso);
  await ctx.reply((t) => ({ text: t.askExtensionReason(codeOf(inquiry), due) }));
}

/** The reason; then ask for the proposed due time. */
export async function onExtensionReason(ctx: FlowContext, inquiryId: number, reason: string): Promise<void> {
  const inquiry = await loadForAction(ctx, inquiryId, 'spokesperson', AGENCY_OPEN);
  if (!inquiry) return void await setDialog(ctx.db, ctx.actor.identity.id, null, ctx.nowIso);
  await setDialog(ctx.db, ctx.actor.identity.id, { step: 'ext_due', inquiryId, reason }, ctx.nowIso);
  await ctx.reply((t) => ({ text: t.askExtensionDue(codeOf(inquiry)) }));
}

/** The proposed due time: record the request and ask the coordinators to decide. */
export async function onExtensionDue(ctx: FlowContext, inquiryId: number, reason: string, text: string): Promise<void> {
  const inquiry = await loadForAction(ctx, inquiryId, 'spokesperson', AGENCY_OPEN);
  if (!inquiry?.due_at) return void await setDialog(ctx.db, ctx.actor.identity.id, null, ctx.nowIso);
  const due = inquiry.due_at;
  const proposed = parseLocalDateTime(text);
  if (!proposed || proposed.getTime() <= Date.parse(due)) return void await ctx.reply((t) => ({ text: t.invalidExtensionDue(due) }));
  await setDialog(ctx.db, ctx.actor.identity.id, null, ctx.nowIso);
  const request = await ctx.db.insertInto('extension_requests').values({
    inquiry_id: inquiry.id, requested_by_person_id: ctx.actor.person?.id ?? null, reason, proposed_due_at: proposed.toISOString(),
    status: 'pending', decided_by_person_id: null, decided_at: null, created_at: ctx.nowIso,
  }).returning('id').executeTakeFirstOrThrow();
  await ctx.effects.audit('extension.request', 'inquiry', inquiry.id, { due_at: due }, { request: request.id, proposed_due_at: proposed.toISOString() });
  const org = inquiry.org_id ? await findOrg(ctx.db, inquiry.org_id) : undefined;
  const by = ctx.actor.person?.full_name ?? '—';
  for (const personId of await coordinatorsFor(ctx.db, inquiry.org_id, ctx.today)) {
    await ctx.effects.notifyPerson(personId, (t) => ({
      text: t.extensionRequest({ code: codeOf(inquiry), org: orgName(org, t), by, reason, dueAt: due, proposedAt: proposed }),
      buttons: [[btn(t.approve, A.extensionOk, request.id), btn(t.reject, A.extensionNo, request.id)]],
    }));
  }
  await ctx.reply((t) => ({ text: t.extensionSubmitted(codeOf(inquiry)) }));
}

/** A coordinator approves or rejects an extension request (others are refused). */
export async function onExtensionDecision(ctx: FlowContext, e: ButtonEvent, approve: boolean): Promise<void> {
  const id = parseId(e.payload);
  const request = id ? await ctx.db.selectFrom('extension_requests').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  const inquiry = request ? await findInquiry(ctx.db, request.inquiry_id) : undefined;
  if (!request || !inquiry || !(await coordinates(ctx.db, ctx.actor, inquiry.org_id))) {
    await ctx.effects.audit('access.denied', 'extension_request', e.payload, null, { action: e.action });
    return void await ctx.reply((t) => ({ text: t.notAllowed }));
  }
  const decided = await ctx.db.updateTable('extension_requests')
    .set({ status: approve ? 'approved' : 'rejected', decided_by_person_id: ctx.actor.person?.id ?? null, decided_at: ctx.nowIso })
    .where('id', '=', request.id).where('status', '=', 'pending').executeTakeFirst();
  if (Number(decided.numUpdatedRows) === 0) return void await ctx.reply((t) => ({ text: t.extensionAlreadyDecided }));
  const newDue = new Date(request.proposed_due_at);
  const extended = approve ? await extendDeadline(ctx, inquiry, newDue) : undefined;
  await ctx.effects.audit(approve ? 'extension.approve' : 'extension.reject', 'inquiry', inquiry.id, { due_at: inquiry.due_at }, { due_at: extended?.due_at ?? inquiry.due_at, request: request.id });
  await ctx.reply((t) => ({ text: t.extensionDecided(codeOf(inquiry), approve) }));
  const requester = request.requested_by_person_id ? await findPerson(ctx.db, request.requested_by_person_id) : undefined;
  if (requester) {
    await ctx.effects.notifyPerson(requester.id, (t) => ({ text: approve ? t.extensionApproved(codeOf(inquiry), newDue) : t.extensionRejected(codeOf(inquiry)) }));
  }
  if (extended) {
    const org = inquiry.org_id ? await findOrg(ctx.db, inquiry.org_id) : undefined;
    await toReporterThread(ctx.db, ctx.effects, extended, (t) => ({ text: t.extensionToReporter(codeOf(inquiry), orgName(org, t), newDue) }), 'info');
  }
}

/** [Đang xử lý] on a reminder: acknowledges when nobody has yet, otherwise notes it. */
export async function onWorking(ctx: FlowContext, payload: string): Promise<void> {
  const inquiry = await loadForAction(ctx, payload, 'spokesperson', AGENCY_OPEN);
  if (!inquiry) return;
  if (inquiry.status === 'assigned') return onAck(ctx, payload);
  await ctx.effects.audit('inquiry.working', 'inquiry', inquiry.id);
  await ctx.reply((t) => ({ text: t.workingNoted(codeOf(inquiry)) }));
}
