import { setDialog } from '../../db/repositories/identities.js';
import type { Inquiry } from '../../db/schema.js';
import { formatLocalDate, parseLocalDate } from '../copy/format.js';
import type { Copy } from '../copy/index.js';
import type { FlowContext } from '../context.js';
import { clearDialog } from '../dialog.js';
import { loadFor, tellRefusal } from '../guards.js';
import { toReporterThread } from '../inquiry/route.js';
import { codeOf } from '../inquiry/view.js';
import { transition } from '../lifecycle/transition.js';
import { spokespersonsFor } from '../roles.js';
import { dueInfo } from '../due.js';

/** Only a complaint's conclusion counts from a conclusion date; says so otherwise. */
async function applies(ctx: FlowContext, inquiry: Inquiry): Promise<boolean> {
  if (inquiry.deadline_class === 'complaint_conclusion') return true;
  const cls = inquiry.deadline_class;
  await ctx.reply((t) => ({ text: t.lifecycle.conclusionNotApplicable(codeOf(inquiry), cls ? t.classLabel(cls) : '—') }));
  return false;
}

/** [Nhập ngày kết luận] or `/conclusion Q-12` (spokesperson or coordinator): ask for the date. */
export async function onConclusionButton(ctx: FlowContext, payload: string): Promise<void> {
  const admitted = await loadFor(ctx, payload, 'conclude');
  if (!admitted || !(await applies(ctx, admitted.inquiry))) return;
  const code = codeOf(admitted.inquiry);
  await setDialog(ctx.db, ctx.actor.identity.id, { step: 'conclusion_date', inquiryId: admitted.inquiry.id }, ctx.nowIso);
  await ctx.reply((t) => ({ text: t.lifecycle.askConclusionDate(code) }));
}

/**
 * The conclusion date (`dd/mm/yyyy`, a real date, not after today): stored, and the due time
 * counted from it (D237 Art. 18(2): 5 working days after the conclusion); the reporter and the
 * agency are told. A bad date is asked for again.
 */
export async function submitConclusionDate(ctx: FlowContext, inquiryId: number, text: string): Promise<void> {
  const date = parseLocalDate(text);
  if (!date || date > ctx.today) return void await ctx.reply((t) => ({ text: t.lifecycle.invalidConclusionDate(formatLocalDate(ctx.today)) }));
  await clearDialog(ctx);
  const admitted = await loadFor(ctx, inquiryId, 'conclude');
  if (!admitted || !(await applies(ctx, admitted.inquiry))) return;
  const r = await transition(ctx, admitted, { clock: { concludedOn: date }, entryText: date, audit: { after: { conclusion_on: date } } });
  if (!r.ok) return tellRefusal(ctx, r, String(inquiryId));
  const updated = r.inquiry;
  const [code, shown, due, basis] = [codeOf(updated), formatLocalDate(date), await dueInfo(ctx, updated.due_at ?? ctx.nowIso), updated.legal_basis ?? ''];
  const build = (t: Copy) => ({ text: t.lifecycle.conclusionSet(code, shown, due, basis) });
  await ctx.reply(build);
  await toReporterThread(ctx.db, ctx.effects, updated, build, 'info');
  const staff = updated.handler_person_id ? [updated.handler_person_id] : await spokespersonsFor(ctx.db, updated, ctx.today);
  for (const personId of staff.filter((p) => p !== ctx.actor.person?.id)) await ctx.effects.notifyPerson(personId, build);
}
