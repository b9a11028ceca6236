import { OPEN_INQUIRY_STATUSES, type DeadlineClass, type Inquiry } from '../../db/schema.js';
import { A, btn, parsePair } from '../buttons.js';
import type { FlowContext } from '../context.js';
import { loadForAction } from '../guards.js';
import { assignDeadline } from '../inquiry/deadline.js';
import { toReporterThread } from '../inquiry/route.js';
import { codeOf } from '../inquiry/view.js';
import { coordinatorsFor, spokespersonsFor } from '../roles.js';

/** Class choices a coordinator gets, by one-letter payload code. */
const CLASS_CODES: Record<string, DeadlineClass> = { i: 'incident', o: 'public_opinion', r: 'routine', p: 'forwarded_petition', c: 'complaint_conclusion', a: 'press_answer' };
const CODE_OF = Object.fromEntries(Object.entries(CLASS_CODES).map(([k, v]) => [v, k])) as Record<DeadlineClass, string>;

/** After an urgent request: the coordinators confirm or change the class. */
export async function askClassConfirmation(ctx: FlowContext, inquiry: Inquiry): Promise<void> {
  const requested: DeadlineClass = inquiry.deadline_class ?? 'incident';
  for (const personId of await coordinatorsFor(ctx.db, inquiry.suggested_org_id, ctx.today)) {
    await ctx.effects.notifyPerson(personId, (t) => ({
      text: t.classConfirmRequest(codeOf(inquiry), t.classLabel(requested), inquiry.question),
      buttons: (['incident', 'public_opinion', 'routine'] as const).map((c) => [btn(t.classLabel(c), A.classify, `${inquiry.id}.${CODE_OF[c]}`)]),
    }));
  }
}

/** A coordinator confirmed or changed the class: the due time is recomputed from the received time. */
export async function onClassChoice(ctx: FlowContext, payload: string): Promise<void> {
  const pair = parsePair(payload);
  const cls = pair ? CLASS_CODES[pair[1]] : undefined;
  if (!pair || !cls) return;
  const inquiry = await loadForAction(ctx, pair[0], 'coordinator', OPEN_INQUIRY_STATUSES);
  if (!inquiry) return;
  const before = { class: inquiry.deadline_class, due_at: inquiry.due_at };
  const updated = await assignDeadline(ctx, inquiry, cls, inquiry.org_id ?? inquiry.suggested_org_id);
  await ctx.db.updateTable('inquiries').set({ class_confirmed: 1 }).where('id', '=', inquiry.id).execute();
  await ctx.effects.audit('inquiry.classify', 'inquiry', inquiry.id, before, { class: cls, due_at: updated.due_at });
  const due = updated.due_at ?? ctx.nowIso;
  const basis = updated.legal_basis ?? '';
  await ctx.reply((t) => ({ text: t.classDone(codeOf(updated), t.classLabel(cls)) }));
  await toReporterThread(ctx.db, ctx.effects, updated, (t) => ({ text: t.classChanged(codeOf(updated), t.classLabel(cls), due, basis) }), 'info');
  const staff = updated.handler_person_id ? [updated.handler_person_id] : await spokespersonsFor(ctx.db, updated, ctx.today);
  for (const personId of staff) {
    await ctx.effects.notifyPerson(personId, (t) => ({ text: t.classChanged(codeOf(updated), t.classLabel(cls), due, basis) }));
  }
}
