import { DEADLINE_CLASSES, type DeadlineClass, type Inquiry } from '../../db/schema.js';
import { A, btn, parsePair } from '../buttons.js';
import type { Copy } from '../copy/index.js';
import type { FlowContext } from '../context.js';
import { loadFor, tellRefusal } from '../guards.js';
import { toReporterThread } from '../inquiry/route.js';
import { codeOf } from '../inquiry/view.js';
import { transition } from '../lifecycle/transition.js';
import { coordinatorsFor, spokespersonsFor } from '../roles.js';
import { dueInfo } from '../due.js';

/** Class choices a coordinator gets, by one-letter payload code. */
const CLASS_CODES: Record<string, DeadlineClass> = { i: 'incident', o: 'public_opinion', r: 'routine', p: 'forwarded_petition', c: 'complaint_conclusion', a: 'press_answer' };
const CODE_OF = Object.fromEntries(Object.entries(CLASS_CODES).map(([k, v]) => [v, k])) as Record<DeadlineClass, string>;

function classButtons(t: Copy, inquiryId: number, classes: readonly DeadlineClass[]) {
  return classes.map((c) => [btn(t.classLabel(c), A.classify, `${inquiryId}.${CODE_OF[c]}`)]);
}

/** After an urgent request: the coordinators confirm or change the class. */
export async function askClassConfirmation(ctx: FlowContext, inquiry: Inquiry): Promise<void> {
  const requested: DeadlineClass = inquiry.deadline_class ?? 'incident';
  for (const personId of await coordinatorsFor(ctx.db, inquiry.suggested_org_id, ctx.today)) {
    await ctx.effects.notifyPerson(personId, (t) => ({
      text: t.classConfirmRequest(codeOf(inquiry), t.classLabel(requested), inquiry.question),
      buttons: classButtons(t, inquiry.id, ['incident', 'public_opinion', 'routine']),
    }));
  }
}

/** `/class Q-12`: a coordinator chooses any class (e.g. a forwarded complaint's conclusion). */
export async function onClassMenu(ctx: FlowContext, payload: string): Promise<void> {
  const admitted = await loadFor(ctx, payload, 'classify');
  if (!admitted) return;
  const { inquiry } = admitted;
  await ctx.reply((t) => ({
    text: t.lifecycle.chooseClass(codeOf(inquiry), inquiry.deadline_class ? t.classLabel(inquiry.deadline_class) : '—'),
    buttons: classButtons(t, inquiry.id, DEADLINE_CLASSES),
  }));
}

/**
 * A coordinator confirmed or changed the class: the due time is recomputed from the received time
 * (or from the complaint's conclusion, once entered). Where the new class counts from a
 * conclusion not yet entered, everyone is told the due time is provisional, with a way to enter it.
 */
export async function onClassChoice(ctx: FlowContext, payload: string): Promise<void> {
  const pair = parsePair(payload);
  const cls = pair ? CLASS_CODES[pair[1]] : undefined;
  if (!pair || !cls) return;
  const admitted = await loadFor(ctx, pair[0], 'classify');
  if (!admitted) return;
  const before = admitted.inquiry;
  const r = await transition(ctx, admitted, {
    set: { class_confirmed: 1 }, clock: { deadlineClass: cls }, audit: { before: { class: before.deadline_class }, after: { class: cls } },
  });
  if (!r.ok) return tellRefusal(ctx, r, String(pair[0]));
  const updated = r.inquiry;
  const [code, due, basis] = [codeOf(updated), await dueInfo(ctx, updated.due_at ?? ctx.nowIso), updated.legal_basis ?? ''];
  const pending = (t: Copy) => (r.awaitsConclusion ? `\n${t.lifecycle.awaitsConclusion(code)}` : '');
  const enter = (t: Copy) => (r.awaitsConclusion ? { buttons: [[btn(t.lifecycle.btnConclusion, A.conclusion, updated.id)]] } : {});
  await ctx.reply((t) => ({ text: `${t.classDone(code, t.classLabel(cls))}${pending(t)}`, ...enter(t) }));
  await toReporterThread(ctx.db, ctx.effects, updated, (t) => ({ text: t.classChanged(code, t.classLabel(cls), due, basis) }), 'info');
  const staff = updated.handler_person_id ? [updated.handler_person_id] : await spokespersonsFor(ctx.db, updated, ctx.today);
  for (const personId of staff) {
    await ctx.effects.notifyPerson(personId, (t) => ({ text: `${t.classChanged(code, t.classLabel(cls), due, basis)}${pending(t)}`, ...enter(t) }));
  }
}
