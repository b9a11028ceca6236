import { isBlankText, type MessageEvent } from '../adapters/types.js';
import { findInquiry, findMessageRef } from '../db/repositories/inquiries.js';
import { setDialog } from '../db/repositories/identities.js';
import { onClarificationReply, onFollowup } from './answer/answer.js';
import { onDraftFiles, previewAnswer } from './answer/confirm.js';
import { submitClarification, submitDecline } from './answer/staff.js';
import type { FlowContext } from './context.js';
import { correctionCaption, letterOf, onCorrectionCommand } from './corrections/correction.js';
import { parseDialog, type Dialog } from './dialog.js';
import { storedFiles, tellLinkFallbacks, tellRefusedFiles } from './files.js';
import { startAsk } from './inquiry/ask.js';
import { addNoticeFiles } from './notices/compose.js';
import { parseNoticeDialog } from './notices/dialog.js';

/** What the files path needs from the router (kept there: the text path uses them too). */
export interface FilesRouting {
  /** Tells an unverified or unregistered reporter why they cannot ask; true when they may. */
  mayAsk(ctx: FlowContext): Promise<boolean>;
  /** Refuses text too long (or too short) for a step; true when refused. */
  refuseLength(ctx: FlowContext, step: Dialog['step'] | 'reply', text: string): Promise<boolean>;
  /** The text path, for a caption whose files were all refused or are not expected here. */
  asText(ctx: FlowContext, e: MessageEvent): Promise<void>;
}

/**
 * A message that came with files. Refused files are told first (nothing is dropped silently);
 * the stored ones go with the text where the message belongs: a reply to an inquiry's message,
 * the step the sender is in (an answer, a clarification, a decline's supporting documents), or a
 * new question (a photo with a caption is a question with its photo). Album items after the
 * first join the question being written.
 */
export async function onFilesMessage(ctx: FlowContext, e: MessageEvent, r: FilesRouting): Promise<void> {
  await tellRefusedFiles(ctx, e);
  const stored = storedFiles(e);
  const files = stored.map((f) => f.attachmentId);
  const text = e.text.trim();
  if (files.length === 0) return isBlankText(text) ? undefined : r.asText(ctx, { ...e, files: [] });
  // A document captioned `/correction …` is a correction request's official letter.
  const correction = correctionCaption(text);
  if (correction !== undefined) return onCorrectionCommand(ctx, correction, letterOf(e));
  const noticeDialog = parseNoticeDialog(ctx.actor.identity.dialog);
  if (noticeDialog) {
    // Files sent while composing a notice go with it (a caption is that step's text).
    if (!(await addNoticeFiles(ctx, noticeDialog, files))) return;
    return isBlankText(text) ? undefined : r.asText(ctx, { ...e, files: [] });
  }
  const handled = (e.replyTo && (await onFilesReply(ctx, e, text, files, r))) || (await onFilesInDialog(ctx, e, text, files, r));
  if (!handled) await ctx.reply((t) => ({ text: t.files.notExpected, replyTo: e.messageId }));
  await tellLinkFallbacks(ctx, stored);
}

async function onFilesReply(ctx: FlowContext, e: MessageEvent, text: string, files: number[], r: FilesRouting): Promise<boolean> {
  const ref = await findMessageRef(ctx.db, e.platform, e.chatId, e.replyTo ?? '');
  const inquiry = ref ? await findInquiry(ctx.db, ref.inquiry_id) : undefined;
  if (!ref || !inquiry) return false;
  if (!['staff_notice', 'followup_notice', 'answer', 'clarification'].includes(ref.kind)) return false;
  if (await r.refuseLength(ctx, 'reply', text)) return true;
  if (ref.kind === 'staff_notice' || ref.kind === 'followup_notice') await previewAnswer(ctx, inquiry.id, text, files);
  else if (ref.kind === 'answer') await onFollowup(ctx, inquiry, text, files);
  else await onClarificationReply(ctx, inquiry, text, files);
  return true;
}

async function onFilesInDialog(ctx: FlowContext, e: MessageEvent, text: string, files: number[], r: FilesRouting): Promise<boolean> {
  const d = parseDialog(ctx.actor.identity.dialog);
  if (d && d.step !== 'ask_text' && (await r.refuseLength(ctx, d.step, text))) return true;
  switch (d?.step) {
    case 'answer': await previewAnswer(ctx, d.inquiryId, text, files); return true;
    // A corrected answer may bring its letter (sent after the edited text, under the answer).
    case 'answer_correct': await previewAnswer(ctx, d.inquiryId, text, files, true); return true;
    // Files sent while a draft waits join it (their caption, if any, replaces its text): previewed again.
    case 'answer_confirm': await onDraftFiles(ctx, d, text, files); return true;
    case 'clarify': await submitClarification(ctx, d.inquiryId, text, files); return true;
    case 'decline_reason': await submitDecline(ctx, d.inquiryId, d.ground, text, files); return true;
    case 'ask_topic': case 'ask_confirm': {
      // More photos of the same question (an album's later items).
      await setDialog(ctx.db, ctx.actor.identity.id, { ...d, files: [...(d.files ?? []), ...files] }, ctx.nowIso);
      await ctx.reply((t) => ({ text: t.files.addedToQuestion(files.length) }));
      return true;
    }
    case undefined: case 'ask_text': return startQuestion(ctx, e, text, [...(d?.step === 'ask_text' ? d.files ?? [] : []), ...files], r);
    default: return false;
  }
}

/** Files with (or before) a question: the question starts, or waits for its text with the files kept. */
async function startQuestion(ctx: FlowContext, e: MessageEvent, text: string, files: number[], r: FilesRouting): Promise<boolean> {
  if (!(await r.mayAsk(ctx))) return true;
  if (isBlankText(text)) {
    await setDialog(ctx.db, ctx.actor.identity.id, { step: 'ask_text', files } satisfies Dialog, ctx.nowIso);
    await ctx.reply((t) => ({ text: t.files.askNeedsText(files.length), replyTo: e.messageId }));
    return true;
  }
  await startAsk(ctx, text, e.messageId, files);
  return true;
}
