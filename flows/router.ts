import { isBlankText, truncateText, type ButtonEvent, type CommandEvent, type MessageEvent } from '../adapters/types.js';
import { findInquiry, findMessageRef } from '../db/repositories/inquiries.js';
import { onAnswerButton, onAck, onClarifyButton, onDeclineButton, onDeclineGround, onTransferButton, onTransferTo, submitClarification, submitDecline } from './answer/staff.js';
import { onClarificationReply, onFollowup, onRate } from './answer/answer.js';
import { offerDraftAgain, onAnswerCancel, onAnswerEdit, onAnswerSend, onDraftEdited, onDraftText, previewAnswer } from './answer/confirm.js';
import { onCorrectButton } from './answer/correct.js';
import { onExtendButton, onExtensionDecision, onExtensionDue, onExtensionReason, onWorking } from './answer/extension.js';
import { A } from './buttons.js';
import { onClassChoice, onClassMenu } from './screening/class.js';
import { onConclusionButton, submitConclusionDate } from './answer/conclusion.js';
import { hasStartLinks, type FlowContext } from './context.js';
import { parseDialog, type Dialog } from './dialog.js';
import { onAskCancel, onAskSend, onTopic, startAsk } from './inquiry/ask.js';
import { onWithdraw } from './inquiry/withdraw.js';
import { onAskFollow } from './inquiry/follow-instead.js';
import { onLanguage, onOutletButton, onRegistrationText, onStart, onVerify, tryInviteText } from './registration/index.js';
import { readChoice } from './choices.js';
import { onTextCommand, TEXT_COMMANDS } from './text-commands.js';
import { onFollowCommand } from './answer/follow.js';
import { onLink, onPrefer, tryLinkCodeText } from './link.js';
import { activeRoles, reporterStanding } from './roles.js';
import { onChooseOther, onMerge, onMergeCode, onRejectReason, onRejectScope, onRouteSuggested, onRouteToOrg } from './screening/index.js';
import { onCancel, onHelp, onLang, onMy, onPending } from './status/index.js';
import { onStats } from './status/stats.js';
import { onConferenceCommand, onConferenceQuestion, onRegisterCommand } from './press/conference.js';
import { onStatementCommand } from './press/statement.js';
import { letterOf, onCorrectionCommand } from './corrections/correction.js';
import { onHeld } from './status/held.js';
import { setDialog } from '../db/repositories/identities.js';
import { onAckButton, onCancelButton, onSendButton } from './notices/decide.js';
import { onAudiencePress, onComposeText } from './notices/compose.js';
import { NOTICE_ACTIONS, parseNoticeDialog } from './notices/dialog.js';
import { onNoticeCommand } from './notices/status.js';
import { onWebCommand } from './web-login.js';
import { looksLikeCode, mayTryCode, recordFailedCode } from './code-attempts.js';
import { onFilesMessage } from './files-router.js';
import { onFilesCommand } from './status/files.js';
import { onDigestOpen } from './digest-open.js';

type ButtonHandler = (ctx: FlowContext, e: ButtonEvent) => Promise<void>;

const BUTTONS: Record<string, ButtonHandler> = {
  [A.lang]: (ctx, e) => onLanguage(ctx, e.payload),
  [A.regOutlet]: (ctx, e) => onOutletButton(ctx, parseDialog(ctx.actor.identity.dialog), e.payload),
  [A.verifyOk]: (ctx, e) => onVerify(ctx, e, true),
  [A.verifyNo]: (ctx, e) => onVerify(ctx, e, false),
  [A.topic]: (ctx, e) => onTopic(ctx, e.payload),
  [A.askSend]: (ctx, e) => onAskSend(ctx, e.payload),
  [A.askCancel]: (ctx) => onAskCancel(ctx),
  [A.askFollow]: (ctx, e) => onAskFollow(ctx, e.payload),
  [A.routeSuggested]: (ctx, e) => onRouteSuggested(ctx, e.payload),
  [A.chooseOther]: (ctx, e) => onChooseOther(ctx, e.payload),
  [A.routeTo]: (ctx, e) => onRouteToOrg(ctx, e.payload),
  [A.rejectScope]: (ctx, e) => onRejectScope(ctx, e.payload),
  [A.merge]: (ctx, e) => onMerge(ctx, e.payload),
  [A.ack]: (ctx, e) => onAck(ctx, e.payload),
  [A.answer]: (ctx, e) => onAnswerButton(ctx, e.payload),
  [A.clarify]: (ctx, e) => onClarifyButton(ctx, e.payload),
  [A.transfer]: (ctx, e) => onTransferButton(ctx, e.payload),
  [A.transferTo]: (ctx, e) => onTransferTo(ctx, e.payload),
  [A.decline]: (ctx, e) => onDeclineButton(ctx, e.payload),
  [A.declineGround]: (ctx, e) => onDeclineGround(ctx, e.payload),
  [A.rate]: (ctx, e) => onRate(ctx, e.payload),
  [A.answerSend]: (ctx, e) => onAnswerSend(ctx, e.payload),
  // With text: the web page's edit box saved a new text for the draft (too long: refused, the kept draft previewed again).
  [A.answerEdit]: async (ctx, e) => (e.text === undefined ? onAnswerEdit(ctx, e.payload)
    : (await refuseLength(ctx, 'answer_confirm', e.text)) ? offerDraftAgain(ctx, e.payload) : onDraftEdited(ctx, e.payload, e.text)),
  [A.answerCancel]: (ctx, e) => onAnswerCancel(ctx, e.payload),
  [A.answerCorrect]: (ctx, e) => onCorrectButton(ctx, e.payload),
  [A.classify]: (ctx, e) => onClassChoice(ctx, e.payload),
  [A.classMenu]: (ctx, e) => onClassMenu(ctx, e.payload),
  [A.conclusion]: (ctx, e) => onConclusionButton(ctx, e.payload),
  [A.digestOpen]: (ctx, e) => onDigestOpen(ctx, e.payload),
  [A.working]: (ctx, e) => onWorking(ctx, e.payload),
  [A.extend]: (ctx, e) => onExtendButton(ctx, e.payload),
  [A.extensionOk]: (ctx, e) => onExtensionDecision(ctx, e, true),
  [A.extensionNo]: (ctx, e) => onExtensionDecision(ctx, e, false),
  [NOTICE_ACTIONS.ack]: (ctx, e) => onAckButton(ctx, e.payload),
  [NOTICE_ACTIONS.send]: (ctx, e) => onSendButton(ctx, e.payload),
  [NOTICE_ACTIONS.cancel]: (ctx, e) => onCancelButton(ctx, e.payload),
  [NOTICE_ACTIONS.audience]: (ctx, e) => onAudiencePress(ctx, e.payload),
};

type CommandHandler = (ctx: FlowContext, e: CommandEvent) => Promise<void>;

const COMMANDS: Record<string, CommandHandler> = {
  start: (ctx, e) => onStart(ctx, e.args),
  help: (ctx) => onHelp(ctx),
  ask: (ctx, e) => onAskCommand(ctx, e),
  my: (ctx) => onMy(ctx),
  pending: (ctx) => onPending(ctx),
  lang: (ctx, e) => onLang(ctx, e.args),
  cancel: (ctx) => onCancel(ctx),
  withdraw: (ctx, e) => onWithdraw(ctx, e.args),
  stats: (ctx) => onStats(ctx),
  notice: (ctx, e) => onNoticeCommand(ctx, e.args),
  held: (ctx) => onHeld(ctx),
  link: (ctx, e) => onLink(ctx, e.args),
  prefer: (ctx) => onPrefer(ctx),
  ...Object.fromEntries(Object.keys(TEXT_COMMANDS).map((c) => [c, (ctx: FlowContext, e: CommandEvent) => onTextCommand(ctx, e, pressButton)])),
  web: (ctx) => onWebCommand(ctx),
  follow: (ctx, e) => onFollowCommand(ctx, e, true),
  unfollow: (ctx, e) => onFollowCommand(ctx, e, false),
  files: (ctx, e) => onFilesCommand(ctx, e.args),
  conference: (ctx, e) => onConferenceCommand(ctx, e),
  register: (ctx, e) => onRegisterCommand(ctx, e),
  confq: (ctx, e) => onConferenceQuestion(ctx, e),
  correction: (ctx, e) => onCorrectionCommand(ctx, e.args, letterOf(e)),
  statement: (ctx, e) => onStatementCommand(ctx, e),
};

/** Runs the handler of a button press (a real one, a numbered reply, or a text command). */
async function pressButton(ctx: FlowContext, e: ButtonEvent): Promise<void> {
  const handler = BUTTONS[e.action];
  return handler ? handler(ctx, e) : void await ctx.reply((t) => ({ text: t.unknownButton }));
}

/** Sends one normalised inbound event to the flow that owns it. */
export async function routeEvent(ctx: FlowContext): Promise<void> {
  const e = ctx.event;
  if (e.kind === 'command') {
    const handler = COMMANDS[e.command];
    return handler ? handler(ctx, e) : void await ctx.reply((t) => ({ text: t.unknownCommand(truncateText(e.command, 32)) }));
  }
  if (e.kind === 'button') return pressButton(ctx, e);
  return onMessage(ctx, e);
}

async function onAskCommand(ctx: FlowContext, e: CommandEvent): Promise<void> {
  if (!(await mayAsk(ctx))) return;
  if (e.args) return startAsk(ctx, e.args, e.messageId);
  await setDialog(ctx.db, ctx.actor.identity.id, { step: 'ask_text' } satisfies Dialog, ctx.nowIso);
  await ctx.reply((t) => ({ text: t.askPrompt }));
}

/** Tells an unverified or unregistered reporter why they cannot ask; true when they may. */
async function mayAsk(ctx: FlowContext): Promise<boolean> {
  const standing = reporterStanding(ctx.actor);
  if (standing === 'active') return true;
  const startLinks = hasStartLinks(ctx);
  // Staff who type text are shown how to act, not refused.
  const staff = activeRoles(ctx.actor).filter((r) => r === 'spokesperson' || r === 'coordinator');
  await ctx.reply((t) => ({
    text: standing === 'pending' ? t.pendingVerification : standing === 'rejected' ? t.reporterRejected
      : staff.length > 0 ? t.staffTextHint(staff)
        : ctx.actor.person ? t.notAllowed : t.notRegistered(startLinks),
  }));
  return false;
}

async function onMessage(ctx: FlowContext, e: MessageEvent): Promise<void> {
  if (e.files?.length) return onFilesMessage(ctx, e, { mayAsk, refuseLength, asText: onMessage });
  // No text at all is a sticker or something else without a file; text that shows nothing is an empty message.
  if (e.text === '') return void await ctx.reply((t) => ({ text: t.textOnly }));
  const text = e.text.trim();
  const noticeDialog = parseNoticeDialog(ctx.actor.identity.dialog);
  const dialog = parseDialog(ctx.actor.identity.dialog);
  if (isBlankText(text)) {
    const asking = !noticeDialog && !e.replyTo && (!dialog || dialog.step === 'ask_text');
    return void await ctx.reply((t) => ({ text: asking ? t.emptyQuestion : t.emptyMessage, replyTo: e.messageId }));
  }
  // The audience's buttons are numbered choices on Zalo: a bare number presses one.
  const choice = await readChoice(ctx.db, e, noticeDialog ? undefined : dialog, ctx.now);
  if (noticeDialog && (noticeDialog.step !== 'notice_audience' || choice.kind === 'none')) return onComposeText(ctx, noticeDialog, text);
  if (choice.kind === 'press') return pressButton(ctx, choice.event);
  if (choice.kind === 'out_of_range') return void await ctx.reply((t) => ({ text: t.channel.choiceOutOfRange(choice.count) }));
  if (e.replyTo && (await onReply(ctx, e, text))) return;
  if (dialog) return onDialogText(ctx, dialog, e, text);
  if (await tryCodeText(ctx, text)) return;
  // Reporters on a reply-window channel are told to send "xem" to receive a held answer: it must
  // not start a question; it shows their inquiries (and the held answers arrive before it).
  if (REOPEN_WORD.test(text)) return onMy(ctx);
  if (await mayAsk(ctx)) await startAsk(ctx, text, e.messageId);
}

/**
 * A bare code from a chat that belongs to nobody (Zalo has no deep links): an invite, else a link
 * code. True when it was one; text shaped like a code that is neither counts as a wrong code.
 */
async function tryCodeText(ctx: FlowContext, text: string): Promise<boolean> {
  if (ctx.actor.person || !looksLikeCode(text) || !(await mayTryCode(ctx))) return false;
  if (await tryInviteText(ctx, text) || await tryLinkCodeText(ctx, text)) return true;
  await recordFailedCode(ctx, 'invite');
  return false;
}

/** The word the reply-window notice suggests (`replyWindow.windowNotice`). */
const REOPEN_WORD = /^xem[.!]?$/i;

/** A reply to one of our messages: routed by what that message was, never by parsing its text. */
async function onReply(ctx: FlowContext, e: MessageEvent, text: string): Promise<boolean> {
  const ref = await findMessageRef(ctx.db, e.platform, e.chatId, e.replyTo ?? '');
  const inquiry = ref ? await findInquiry(ctx.db, ref.inquiry_id) : undefined;
  if (!ref || !inquiry) return false;
  if (['staff_notice', 'followup_notice', 'answer', 'clarification'].includes(ref.kind) && (await refuseLength(ctx, 'reply', text))) return true;
  if (ref.kind === 'staff_notice' || ref.kind === 'followup_notice') await previewAnswer(ctx, inquiry.id, text);
  else if (ref.kind === 'answer') await onFollowup(ctx, inquiry, text);
  else if (ref.kind === 'clarification') await onClarificationReply(ctx, inquiry, text);
  else return false;
  return true;
}

/** Shortest written reason for a decline or rejection, in characters (the reporter must understand it). */
const MIN_REASON_CHARS = 10;
/** Answers may be long (they are split on delivery), but not unbounded: this many question-lengths. */
const ANSWER_LENGTH_FACTOR = 5;

/** Refuses text that is too long (or, for reasons, too short) for this step; true when refused. */
async function refuseLength(ctx: FlowContext, step: Dialog['step'] | 'reply', text: string): Promise<boolean> {
  const reason = step === 'decline_reason' || step === 'reject_reason' || step === 'ext_reason';
  const long = step === 'answer' || step === 'answer_correct' || step === 'answer_confirm' || step === 'reply';
  const max = ctx.settings.maxTextChars * (long ? ANSWER_LENGTH_FACTOR : 1);
  if (text.length > max) {
    await ctx.reply((t) => ({ text: t.textTooLong(max) }));
    return true;
  }
  if (reason && text.length < MIN_REASON_CHARS) {
    await ctx.reply((t) => ({ text: t.reasonTooShort(MIN_REASON_CHARS) }));
    return true;
  }
  return false;
}

async function onDialogText(ctx: FlowContext, d: Dialog, e: MessageEvent, text: string): Promise<void> {
  if (await refuseLength(ctx, d.step, text)) return;
  switch (d.step) {
    case 'reg_name': case 'reg_outlet': case 'reg_card': return onRegistrationText(ctx, d, text);
    case 'ask_text': return (await mayAsk(ctx)) ? startAsk(ctx, text, e.messageId, d.files) : undefined;
    case 'ask_topic': case 'ask_confirm': return void await ctx.reply((t) => ({ text: t.useButtons }));
    case 'answer': return previewAnswer(ctx, d.inquiryId, text);
    case 'answer_correct': return previewAnswer(ctx, d.inquiryId, text, [], true);
    case 'answer_confirm': return onDraftText(ctx, d, text);
    case 'clarify': return submitClarification(ctx, d.inquiryId, text);
    case 'decline_reason': return submitDecline(ctx, d.inquiryId, d.ground, text);
    case 'reject_reason': return onRejectReason(ctx, d.inquiryId, text);
    case 'merge_code': return onMergeCode(ctx, d.inquiryId, text);
    case 'ext_reason': return onExtensionReason(ctx, d.inquiryId, text);
    case 'ext_due': return onExtensionDue(ctx, d.inquiryId, d.reason, text);
    case 'conclusion_date': return submitConclusionDate(ctx, d.inquiryId, text);
  }
}
