import type { ButtonEvent } from '../../adapters/types.js';
import { findOrg } from '../../db/repositories/directory.js';
import { decideExtensionRequest, findExtensionRequest, insertExtensionRequest } from '../../db/repositories/extensions.js';
import { setDialog } from '../../db/repositories/identities.js';
import { findInquiry } from '../../db/repositories/inquiries.js';
import { A, btn, parseId } from '../buttons.js';
import { parseLocalDateTime } from '../copy/format.js';
import type { FlowContext } from '../context.js';
import { clearDialog } from '../dialog.js';
import { admit, admittedFor, loadFor, tellRefusal } from '../guards.js';
import { toReporterThread } from '../inquiry/route.js';
import { codeOf, orgName } from '../inquiry/view.js';
import { transition } from '../lifecycle/transition.js';
import { coordinatorsFor } from '../roles.js';
import { acknowledge } from './staff.js';
import { dueInfo } from '../due.js';
import { formatInstant } from '../copy/format.js';

/** A future example for the extension prompt: 17:00 three days after the later of now and the due time. */
function extensionExample(now: Date, due: string | null): string {
  const from = Math.max(now.getTime(), due ? Date.parse(due) : 0);
  const day = formatInstant(new Date(from + 3 * 86_400_000)).slice(0, 10);
  return `${day} 17:00`;
}

/** [Xin gia hạn]: ask for the reason. */
export async function onExtendButton(ctx: FlowContext, payload: string): Promise<void> {
  const admitted = await loadFor(ctx, payload, 'extend_request');
  const due = admitted?.inquiry.due_at;
  if (!admitted || !due) return;
  const code = codeOf(admitted.inquiry);
  await setDialog(ctx.db, ctx.actor.identity.id, { step: 'ext_reason', inquiryId: admitted.inquiry.id }, ctx.nowIso);
  const shown = await dueInfo(ctx, due);
  await ctx.reply((t) => ({ text: t.askExtensionReason(code, shown) }));
}

/** The reason; then ask for the proposed due time. */
export async function onExtensionReason(ctx: FlowContext, inquiryId: number, reason: string): Promise<void> {
  const admitted = await loadFor(ctx, inquiryId, 'extend_request');
  if (!admitted) return clearDialog(ctx);
  const code = codeOf(admitted.inquiry);
  await setDialog(ctx.db, ctx.actor.identity.id, { step: 'ext_due', inquiryId, reason }, ctx.nowIso);
  const example = extensionExample(ctx.now, admitted.inquiry.due_at);
  await ctx.reply((t) => ({ text: t.askExtensionDue(code, example) }));
}

/** The proposed due time: record the request and ask the coordinators to decide. */
export async function onExtensionDue(ctx: FlowContext, inquiryId: number, reason: string, text: string): Promise<void> {
  const admitted = await loadFor(ctx, inquiryId, 'extend_request');
  const due = admitted?.inquiry.due_at;
  if (!admitted || !due) return clearDialog(ctx);
  const proposed = parseLocalDateTime(text);
  if (!proposed || proposed.getTime() <= Date.parse(due)) {
    const shown = await dueInfo(ctx, due);
    return void await ctx.reply((t) => ({ text: t.invalidExtensionDue(shown) }));
  }
  await clearDialog(ctx);
  let requestId = 0;
  const r = await transition(ctx, admitted, {
    audit: { after: { proposed_due_at: proposed.toISOString() } },
    alongside: async (inquiry) => {
      requestId = await insertExtensionRequest(ctx.db, { inquiryId: inquiry.id, requestedByPersonId: ctx.actor.person?.id ?? null, reason, proposedDueAt: proposed.toISOString(), nowIso: ctx.nowIso });
      return { request: requestId };
    },
  });
  if (!r.ok) return tellRefusal(ctx, r, String(inquiryId));
  const inquiry = r.inquiry;
  const org = inquiry.org_id ? await findOrg(ctx.db, inquiry.org_id) : undefined;
  const by = ctx.actor.person?.full_name ?? '—';
  for (const personId of await coordinatorsFor(ctx.db, inquiry.org_id, ctx.today)) {
    await ctx.effects.notifyPerson(personId, (t) => ({
      text: t.extensionRequest({ code: codeOf(inquiry), org: orgName(org, t), by, reason, dueAt: due, proposedAt: proposed }),
      buttons: [[btn(t.approve, A.extensionOk, requestId), btn(t.reject, A.extensionNo, requestId, 'danger')]],
    }));
  }
  await ctx.reply((t) => ({ text: t.extensionSubmitted(codeOf(inquiry)) }));
}

/** A coordinator approves or rejects an extension request (others are refused). */
export async function onExtensionDecision(ctx: FlowContext, e: ButtonEvent, approve: boolean): Promise<void> {
  const id = parseId(e.payload);
  const request = id ? await findExtensionRequest(ctx.db, id) : undefined;
  const inquiry = request ? await findInquiry(ctx.db, request.inquiry_id) : undefined;
  if (!request || !inquiry) {
    await ctx.effects.audit('access.denied', 'extension_request', e.payload, null, { action: e.action });
    return void await ctx.reply((t) => ({ text: t.notAllowed }));
  }
  const admitted = await admit(ctx, inquiry, approve ? 'extend_approve' : 'extend_refuse');
  if (!admitted) return;
  if (!(await decideExtensionRequest(ctx.db, request.id, approve, ctx.actor.person?.id ?? null, ctx.nowIso))) {
    return void await ctx.reply((t) => ({ text: t.extensionAlreadyDecided }));
  }
  const newDue = new Date(request.proposed_due_at);
  const r = await transition(ctx, admitted, { clock: { dueAt: newDue }, audit: { after: { request: request.id } } });
  if (!r.ok) return tellRefusal(ctx, r, String(inquiry.id));
  const code = codeOf(inquiry);
  const shownDue = await dueInfo(ctx, newDue);
  await ctx.reply((t) => ({ text: t.extensionDecided(code, approve) }));
  if (request.requested_by_person_id) {
    await ctx.effects.notifyPerson(request.requested_by_person_id, (t) => ({ text: approve ? t.extensionApproved(code, shownDue) : t.extensionRejected(code) }));
  }
  if (approve) {
    const org = inquiry.org_id ? await findOrg(ctx.db, inquiry.org_id) : undefined;
    await toReporterThread(ctx.db, ctx.effects, r.inquiry, (t) => ({ text: t.extensionToReporter(code, orgName(org, t), shownDue) }), 'info');
  }
}

/** [Đang xử lý] on a reminder: acknowledges when nobody has yet, otherwise notes it. */
export async function onWorking(ctx: FlowContext, payload: string): Promise<void> {
  const admitted = await loadFor(ctx, payload, ['acknowledge', 'working']);
  if (!admitted) return;
  if (admittedFor(admitted, 'acknowledge')) return acknowledge(ctx, admitted);
  const r = await transition(ctx, admitted);
  if (!r.ok) return tellRefusal(ctx, r, payload);
  const code = codeOf(r.inquiry);
  await ctx.reply((t) => ({ text: t.workingNoted(code) }));
}
