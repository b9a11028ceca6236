import { isBlankText } from '../../adapters/types.js';
import { findOrg } from '../../db/repositories/directory.js';
import { setDialog } from '../../db/repositories/identities.js';
import { findInquiry } from '../../db/repositories/inquiries.js';
import { A, btn, parseId } from '../buttons.js';
import type { FlowContext } from '../context.js';
import { clearDialog, parseDialog, type Dialog } from '../dialog.js';
import { loadFor } from '../guards.js';
import { codeOf } from '../inquiry/view.js';
import { sendAnswer } from './answer.js';
import { correctionOpen, sendCorrection } from './correct.js';
import { signatureOf } from './signature.js';

/** How long a previewed answer waits for [Gửi câu trả lời], in minutes (stated in the preview). */
export const ANSWER_DRAFT_MINUTES = 30;

type Draft = Extract<Dialog, { step: 'answer_confirm' }>;

/**
 * The spokesperson's answer (or corrected answer) as written: shown back as the reporter will see
 * it, signed, with [Gửi câu trả lời] [Sửa] [Hủy]. Nothing is recorded or sent until they confirm,
 * so Enter on the web page or a slip of the thumb never sends an official answer.
 */
export async function previewAnswer(ctx: FlowContext, inquiryId: number, text: string, files: readonly number[] = [], correcting = false): Promise<void> {
  const admitted = await loadFor(ctx, inquiryId, correcting ? 'correct_answer' : 'answer');
  if (!admitted || (correcting && !(await correctionOpen(ctx, admitted.inquiry)))) return clearDialog(ctx);
  const draft: Draft = { step: 'answer_confirm', inquiryId, text, at: ctx.nowIso, ...(files.length > 0 ? { files: [...files] } : {}), ...(correcting ? { correcting } : {}) };
  await setDialog(ctx.db, ctx.actor.identity.id, draft, ctx.nowIso);
  const inquiry = admitted.inquiry;
  const sign = await signatureOf(ctx.db, ctx.actor.person?.id, inquiry.org_id ? await findOrg(ctx.db, inquiry.org_id) : undefined);
  const code = codeOf(inquiry);
  await ctx.reply((t) => ({
    text: t.answer.preview(code, isBlankText(text) ? t.files.seeAttached(files.length) : text, sign(t), ANSWER_DRAFT_MINUTES, correcting),
    buttons: [
      [btn(t.answer.btnSend, A.answerSend, inquiryId)],
      [btn(t.answer.btnEdit, A.answerEdit, inquiryId), btn(t.answer.btnCancel, A.answerCancel, inquiryId)],
    ],
  }));
}

/** The actor's live draft for the inquiry a button names; undefined (and the actor told) when there is none. */
async function draftFor(ctx: FlowContext, payload: string): Promise<Draft | undefined> {
  const id = parseId(payload);
  const d = parseDialog(ctx.actor.identity.dialog);
  const live = d?.step === 'answer_confirm' && d.inquiryId === id && ctx.now.getTime() - Date.parse(d.at) <= ANSWER_DRAFT_MINUTES * 60_000;
  if (live) return d;
  // An expired draft is forgotten; another dialog (a newer draft) is left alone.
  if (d?.step === 'answer_confirm' && d.inquiryId === id) await clearDialog(ctx);
  const inquiry = id ? await findInquiry(ctx.db, id) : undefined;
  const code = inquiry ? codeOf(inquiry) : `Q-${id ?? '?'}`;
  await ctx.reply((t) => ({ text: t.answer.noDraft(code, ANSWER_DRAFT_MINUTES) }));
  return undefined;
}

/** [Gửi câu trả lời]: the draft becomes the official answer (or correction); a second press finds no draft. */
export async function onAnswerSend(ctx: FlowContext, payload: string): Promise<void> {
  const d = await draftFor(ctx, payload);
  if (!d) return;
  if (d.correcting) return sendCorrection(ctx, d.inquiryId, d.text);
  return sendAnswer(ctx, d.inquiryId, d.text, d.files ?? []);
}

/** [Sửa]: write the answer again (the draft is dropped). */
export async function onAnswerEdit(ctx: FlowContext, payload: string): Promise<void> {
  const d = await draftFor(ctx, payload);
  if (!d) return;
  const inquiry = await findInquiry(ctx.db, d.inquiryId);
  const code = inquiry ? codeOf(inquiry) : `Q-${d.inquiryId}`;
  await setDialog(ctx.db, ctx.actor.identity.id, { step: d.correcting ? 'answer_correct' : 'answer', inquiryId: d.inquiryId }, ctx.nowIso);
  await ctx.reply((t) => ({ text: t.answer.askAgain(code) }));
}

/** [Hủy]: the draft is dropped; nothing was sent. */
export async function onAnswerCancel(ctx: FlowContext, payload: string): Promise<void> {
  const d = await draftFor(ctx, payload);
  if (!d) return;
  await clearDialog(ctx);
  const inquiry = await findInquiry(ctx.db, d.inquiryId);
  const code = inquiry ? codeOf(inquiry) : `Q-${d.inquiryId}`;
  await ctx.reply((t) => ({ text: t.answer.cancelled(code) }));
}

/** Typed instead of pressed, where a chat has no buttons (and anywhere): the words of the buttons. */
const SEND_WORD = /^(gửi|gui|send)[.!]?$/i;
const EDIT_WORD = /^(sửa|sua|edit)[.!]?$/i;
const CANCEL_WORD = /^(hủy|huỷ|huy|cancel)[.!]?$/i;

/**
 * Text while a draft waits: a button's word acts as the button ("gửi", "sửa", "hủy"); any other
 * text is a new draft that replaces it (shown again, still not sent).
 */
export async function onDraftText(ctx: FlowContext, d: Draft, text: string): Promise<void> {
  const id = String(d.inquiryId);
  if (SEND_WORD.test(text)) return onAnswerSend(ctx, id);
  if (EDIT_WORD.test(text)) return onAnswerEdit(ctx, id);
  if (CANCEL_WORD.test(text)) return onAnswerCancel(ctx, id);
  return previewAnswer(ctx, d.inquiryId, text, d.files ?? [], d.correcting === true);
}
