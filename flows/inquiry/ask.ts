import { isBlankText, type Button } from '../../adapters/types.js';
import { listActiveTopics, topicWithOrg } from '../../db/repositories/directory.js';
import { topicForSend } from '../../db/repositories/topic-for-send.js';
import { setDialog } from '../../db/repositories/identities.js';
import { createInquiryWithQuestion } from '../../db/repositories/new-inquiry.js';
import { attachFiles } from '../../db/repositories/attachments.js';
import { A, btn, parseId, rows } from '../buttons.js';
import type { FlowContext } from '../context.js';
import { parseDialog } from '../dialog.js';
import { notifyAgency, notifyScreening } from './route.js';
import type { DeadlineClass } from '../../db/schema.js';
import { askClassConfirmation } from '../screening/class.js';
import { newInquiryDeadline, planNewInquiry } from './deadline.js';
import { lookupSimilar } from './similar.js';
import { orgName, topicName } from './view.js';
import type { Copy } from '../copy/index.js';
import { maybeDueInfo } from '../due.js';

/** A verified reporter wrote a question (with `files`, stored file ids): ask for its topic. */
export async function startAsk(ctx: FlowContext, question: string, messageId: string, files: readonly number[] = []): Promise<void> {
  const text = question.trim();
  if (isBlankText(text)) {
    await ctx.reply((t) => ({ text: t.emptyQuestion, replyTo: messageId }));
    return;
  }
  if (text.length > ctx.settings.maxTextChars) {
    await ctx.reply((t) => ({ text: t.textTooLong(ctx.settings.maxTextChars), replyTo: messageId }));
    return;
  }
  const topics = await listActiveTopics(ctx.db);
  const promptOutboxId = await ctx.reply((t) => ({
    text: t.chooseTopic(text),
    buttons: [...rows(topics.map((tp) => btn(topicName(tp, t), A.topic, tp.id)), 2), [btn(t.cancel, A.askCancel, 0, 'secondary')]],
    replyTo: messageId,
  }));
  await setDialog(ctx.db, ctx.actor.identity.id, { step: 'ask_topic', question: text, messageId, ...(files.length > 0 ? { files: [...files] } : {}), promptOutboxId }, ctx.nowIso);
}

/** The reporter picked a topic: show where it goes and ask for confirmation. */
export async function onTopic(ctx: FlowContext, payload: string): Promise<void> {
  const dialog = parseDialog(ctx.actor.identity.dialog);
  const { topic, org } = parseId(payload) ? await topicWithOrg(ctx.db, Number(payload)) : { topic: undefined, org: undefined };
  if (dialog?.step !== 'ask_topic' || !topic || topic.active !== 1) {
    // A second tap (or a tap on an old list) after the topic was chosen: say so, not "type your question".
    await ctx.reply((t) => ({ text: dialog?.step === 'ask_confirm' || !dialog ? t.alreadyChosen : t.askPrompt }));
    return;
  }
  const screened = (topic.screening ?? org?.screening ?? 0) === 1;
  // The one statement this step adds: questions of this topic the reporter could follow instead.
  const { offer, duplicates } = ctx.actor.person ? await lookupSimilar(ctx.db, ctx.actor.person.id, dialog.question, topic.id) : { offer: [], duplicates: [] };
  const promptOutboxId = await ctx.reply((t) => ({
    text: `${t.confirmQuestion(topicName(topic, t), orgName(org, t), screened)}${offer.length > 0 ? `\n\n${t.similar.offer(offer)}` : ''}`,
    buttons: confirmButtons(t, topic.id, offer),
  }));
  await setDialog(ctx.db, ctx.actor.identity.id, {
    step: 'ask_confirm', question: dialog.question, messageId: dialog.messageId, topicId: topic.id,
    ...(dialog.files ? { files: dialog.files } : {}), ...(duplicates.length > 0 ? { duplicates } : {}), promptOutboxId,
  }, ctx.nowIso);
}

/** The confirmation prompt's buttons: send (routine or urgent), follow a similar one instead, cancel. */
export function confirmButtons(t: Copy, topicId: number, offer: ReadonlyArray<{ id: number; code: string }> = []): Button[][] {
  return [
    [btn(t.send, A.askSend, 'r')],
    [btn(t.sendUrgentIncident, A.askSend, 'i')],
    [btn(t.sendUrgentOpinion, A.askSend, 'o')],
    ...offer.map((s) => [btn(t.similar.btnFollow(s.code), A.askFollow, s.id)]),
    [btn(t.cancel, A.askCancel, topicId, 'secondary')],
  ];
}

const URGENCY: Record<string, DeadlineClass> = { i: 'incident', o: 'public_opinion' };

/** The reporter confirmed (`r` routine, `i`/`o` urgent: incident / divided opinion): create, time and route it. */
export async function onAskSend(ctx: FlowContext, payload: string): Promise<void> {
  const dialog = parseDialog(ctx.actor.identity.dialog);
  const person = ctx.actor.person;
  const urgentClass = URGENCY[payload];
  // The topic, its agency, the agency's deadline overrides up the tree and its spokespersons: one statement on PostgreSQL.
  const { topic, org, tree, recipients } = dialog?.step === 'ask_confirm'
    ? await topicForSend(ctx.db, dialog.topicId, urgentClass ?? 'routine', { today: ctx.today, outletId: person?.outlet_id ?? null })
    : { topic: undefined, org: undefined, tree: undefined, recipients: undefined };
  if (dialog?.step !== 'ask_confirm' || !topic || !person) {
    await ctx.reply((t) => ({ text: t.alreadyChosen }));
    return;
  }
  const screened = (topic.screening ?? org?.screening ?? 0) === 1;
  // An urgent request is honoured at once (the shorter deadline); the coordinator confirms or changes it.
  // The deadline counts in the topic's agency (`suggested_org_id`, and `org_id` unless screened): `org`.
  const status = screened ? 'screening' : 'assigned';
  const deadline = await newInquiryDeadline(ctx, ctx.nowIso, urgentClass ?? 'routine', topic.org_id, tree);
  const { inquiry, entryId } = await createInquiryWithQuestion(ctx.db, {
    reporterPersonId: person.id, reporterIdentityId: ctx.actor.identity.id,
    originChatId: ctx.actor.identity.chat_id, originMessageId: dialog.messageId, topicId: topic.id,
    orgId: screened ? null : topic.org_id, suggestedOrgId: topic.org_id,
    status, question: dialog.question, receivedAt: ctx.nowIso, deadline, urgentRequested: urgentClass !== undefined,
  }, {
    ref: { platform: ctx.actor.identity.platform, chatId: ctx.actor.identity.chat_id, messageId: dialog.messageId, personId: person.id },
    identityId: ctx.actor.identity.id,
    // The entity id (0 here) is the new inquiry's, written with it.
    audit: ctx.effects.auditRecord('inquiry.create', 'inquiry', 0, null, { status, topic: topic.code, org: org?.code, class: deadline.deadline_class, due_at: deadline.due_at }),
  });
  planNewInquiry(ctx, inquiry, org);
  if (dialog.files?.length) await attachFiles(ctx.db, dialog.files, { inquiryId: inquiry.id, entryId, senderPersonId: person.id, senderIdentityId: ctx.actor.identity.id });
  const windowMs = ctx.settings.replyWindowMs?.(ctx.actor.identity.platform);
  const windowNote = (t: Copy) => (windowMs === undefined ? '' : `\n\n${t.replyWindow.windowNotice(Math.round(windowMs / 3_600_000))}`);
  const due = await maybeDueInfo(ctx, inquiry.due_at);
  const accepted = ctx.planReply((t) => ({ text: `${t.inquiryAccepted(inquiry.code ?? '', orgName(org, t), screened, due)}${windowNote(t)}`, replyTo: dialog.messageId }));
  // What this transaction already read (a question without files has none stored).
  const known = { org, topic, reporter: person, recipients, duplicates: dialog.duplicates ?? [], ...(dialog.files?.length ? {} : { questionFiles: [] }) };
  // The reporter's confirmation first, written with the notices to the agency or the coordinators.
  if (screened) await notifyScreening(ctx.db, ctx.effects, inquiry, ctx.today, known, [accepted]);
  else await notifyAgency(ctx.db, ctx.effects, inquiry, ctx.today, undefined, known, [accepted]);
  if (urgentClass) await askClassConfirmation(ctx, inquiry);
}

/** The reporter cancelled before sending. */
export async function onAskCancel(ctx: FlowContext): Promise<void> {
  const dialog = parseDialog(ctx.actor.identity.dialog);
  if (dialog?.step === 'ask_topic' || dialog?.step === 'ask_confirm') {
    await setDialog(ctx.db, ctx.actor.identity.id, null, ctx.nowIso);
    await ctx.reply((t) => ({ text: t.askCancelled }));
  }
}
