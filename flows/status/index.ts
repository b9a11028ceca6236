import { inquiriesWithAnswerFiles } from '../../db/repositories/attachments.js';
import { setDialog } from '../../db/repositories/identities.js';
import { chooseLanguage } from './language.js';
import { listOpenInquiries, listReporterInquiries } from '../../db/repositories/inquiries.js';
import { hasStartLinks, type FlowContext } from '../context.js';
import { loadLine } from '../inquiry/view.js';
import { activeRoles } from '../roles.js';
import { maybeDueInfo } from '../due.js';

/** `/help`, tailored to the actor's roles. */
export async function onHelp(ctx: FlowContext): Promise<void> {
  await ctx.reply((t) => ({ text: t.help(activeRoles(ctx.actor), Boolean(ctx.actor.person)) }));
}

/** `/my`: the reporter's inquiries and their states. */
export async function onMy(ctx: FlowContext): Promise<void> {
  const person = ctx.actor.person;
  if (!person) return void await ctx.reply((t) => ({ text: t.notRegistered(hasStartLinks(ctx)) }));
  const inquiries = await listReporterInquiries(ctx.db, person.id);
  if (inquiries.length === 0) return void await ctx.reply((t) => ({ text: t.myEmpty }));
  const withFiles = await inquiriesWithAnswerFiles(ctx.db, inquiries.map((i) => i.id));
  const lines = await Promise.all(inquiries.map(async (i) => ({ ...(await loadLine(ctx.db, i, ctx.actor.t)), dueAt: await maybeDueInfo(ctx, i.due_at), answerHasFiles: withFiles.has(i.id) })));
  await ctx.reply((t) => ({ text: t.myList(lines) }));
}

/** `/pending`: open inquiries of the spokesperson's agencies (and their authorised cases). */
export async function onPending(ctx: FlowContext): Promise<void> {
  const mine = ctx.actor.roles.filter((r) => r.role === 'spokesperson' && r.status === 'active');
  if (mine.length === 0) return void await ctx.reply((t) => ({ text: t.notAllowed }));
  const orgIds = mine.filter((r) => r.kind !== 'authorised' && r.org_id !== null).map((r) => r.org_id as number);
  const caseIds = mine.filter((r) => r.kind === 'authorised' && r.case_inquiry_id !== null).map((r) => r.case_inquiry_id as number);
  const open = await listOpenInquiries(ctx.db, orgIds, caseIds);
  if (open.length === 0) return void await ctx.reply((t) => ({ text: t.pendingEmpty }));
  const lines = await Promise.all(open.map(async (i) => ({ ...(await loadLine(ctx.db, i, ctx.actor.t)), dueAt: await maybeDueInfo(ctx, i.due_at) })));
  await ctx.reply((t) => ({ text: t.pendingList(lines) }));
}

/** `/lang vi|en`. */
export async function onLang(ctx: FlowContext, args: string): Promise<void> {
  const locale = args.trim().toLowerCase();
  if (locale !== 'vi' && locale !== 'en') return void await ctx.reply((t) => ({ text: t.langUsage }));
  await ctx.effects.sendTo(await chooseLanguage(ctx, locale), (t) => ({ text: t.langSet }));
}

/** `/cancel`: drop whatever the bot was waiting for. */
export async function onCancel(ctx: FlowContext): Promise<void> {
  if (!ctx.actor.identity.dialog) return void await ctx.reply((t) => ({ text: t.nothingToCancel }));
  await setDialog(ctx.db, ctx.actor.identity.id, null, ctx.nowIso);
  await ctx.reply((t) => ({ text: t.cancelled }));
}
