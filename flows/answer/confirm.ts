import { isBlankText, type Button } from '../../adapters/types.js';
import { findDraft, replaceDraft, sentStaffNotices, takeDraft } from '../../db/repositories/answers.js';
import { findOrg } from '../../db/repositories/directory.js';
import { setDialog } from '../../db/repositories/identities.js';
import { findInquiry } from '../../db/repositories/inquiries.js';
import type { AnswerDraft, OutboxRow } from '../../db/schema.js';
import { A, btn, parseId } from '../buttons.js';
import type { FlowContext } from '../context.js';
import { clearDialog, parseDialog, type Dialog } from '../dialog.js';
import { loadFor } from '../guards.js';
import { loadStoredFiles, tellLinkFallbacks } from '../files.js';
import { codeOf } from '../inquiry/view.js';
import { sendAnswer } from './answer.js';
import { correctionOpen, sendCorrection } from './correct.js';
import { signatureOf } from './signature.js';
import { editsInPlace, settleSent } from '../settle-sent.js';

/** How long a previewed answer waits for [Gửi câu trả lời], in minutes (stated in the preview). */
export const ANSWER_DRAFT_MINUTES = 30;
const DRAFT_MS = ANSWER_DRAFT_MINUTES * 60_000;

type Waiting = Extract<Dialog, { step: 'answer_confirm' }>;

/**
 * The spokesperson's answer (or corrected answer) as written: kept as a draft and shown back as
 * the reporter will see it, signed, with [Gửi câu trả lời] [Sửa] [Hủy]. Nothing is recorded or
 * sent until they confirm, so Enter on the web page or a slip of the thumb never sends an
 * official answer. Drafts are per chat and inquiry: several inquiries' drafts may wait at once.
 */
export async function previewAnswer(ctx: FlowContext, inquiryId: number, text: string, files: readonly number[] = [], correcting = false): Promise<void> {
  const admitted = await loadFor(ctx, inquiryId, correcting ? 'correct_answer' : 'answer');
  if (!admitted || (correcting && !(await correctionOpen(ctx, admitted.inquiry)))) return clearDialog(ctx);
  const { id: draftId, replaced } = await replaceDraft(ctx.db, { identityId: ctx.actor.identity.id, inquiryId, text, files, correcting, nowIso: ctx.nowIso });
  await setDialog(ctx.db, ctx.actor.identity.id, { step: 'answer_confirm', inquiryId, draftId, ...(correcting ? { correcting } : {}) } satisfies Waiting, ctx.nowIso);
  const inquiry = admitted.inquiry;
  const sign = await signatureOf(ctx.db, ctx.actor.person?.id, inquiry.org_id ? await findOrg(ctx.db, inquiry.org_id) : undefined);
  const code = codeOf(inquiry);
  await ctx.reply((t) => ({
    text: t.answer.preview(code, isBlankText(text) ? t.files.seeAttached(files.length) : text, sign(t), ANSWER_DRAFT_MINUTES, correcting),
    buttons: [
      [btn(t.answer.btnSend, A.answerSend, draftId)],
      [btn(t.answer.btnEdit, A.answerEdit, draftId, 'secondary'), btn(t.answer.btnCancel, A.answerCancel, draftId, 'secondary')],
    ],
    // Tied to the inquiry like its notice, so the web thread shows the preview's buttons and a reply
    // to the preview is, like a reply to the notice, a new answer to preview.
  }), { ref: { inquiryId, kind: 'staff_notice' } });
  if (replaced.length > 0) await settlePreviews(ctx, inquiryId, replaced);
}

/**
 * The previews of drafts `draftIds` no longer do anything: their buttons are shown as a press
 * shows them — `chosen` marked (a button's word typed instead), or all disabled (the draft replaced
 * by a new text) — where the chat edits messages in place. Only this chat's newest few notices
 * are looked at: the preview is among them.
 */
async function settlePreviews(ctx: FlowContext, inquiryId: number, draftIds: readonly number[], chosen?: string): Promise<void> {
  if (!editsInPlace(ctx)) return;
  const names = (row: OutboxRow) => (row.buttons ? (JSON.parse(row.buttons) as Button[][]).flat() : [])
    .some((b) => b.action === A.answerSend && !b.state && draftIds.includes(Number(b.payload)));
  for (const row of (await sentStaffNotices(ctx.db, inquiryId, ctx.actor.identity.id, 5)).filter(names)) await settleSent(ctx, row, (b) => b.action === chosen);
}

/**
 * Takes the actor's draft a button names (single use: a second press finds nothing). Undefined,
 * and the actor told, when it is gone or (unless `anyAge`) older than {@link ANSWER_DRAFT_MINUTES}.
 */
async function takeLive(ctx: FlowContext, payload: string, anyAge = false): Promise<AnswerDraft | undefined> {
  const id = parseId(payload);
  const draft = id ? await takeDraft(ctx.db, id, ctx.actor.identity.id) : undefined;
  const waiting = parseDialog(ctx.actor.identity.dialog);
  if (waiting?.step === 'answer_confirm' && waiting.draftId === id) await clearDialog(ctx);
  if (draft && (anyAge || ctx.now.getTime() - Date.parse(draft.created_at) <= DRAFT_MS)) return draft;
  const inquiry = draft ? await findInquiry(ctx.db, draft.inquiry_id) : undefined;
  const code = inquiry ? codeOf(inquiry) : undefined;
  await ctx.reply((t) => ({ text: t.answer.noDraft(code, ANSWER_DRAFT_MINUTES) }));
  return undefined;
}

function filesOf(draft: AnswerDraft): number[] {
  return draft.files ? (JSON.parse(draft.files) as number[]) : [];
}

async function codeFor(ctx: FlowContext, inquiryId: number): Promise<string> {
  const inquiry = await findInquiry(ctx.db, inquiryId);
  return inquiry ? codeOf(inquiry) : `Q-${inquiryId}`;
}

/** [Gửi câu trả lời]: the draft becomes the official answer (or correction). */
export async function onAnswerSend(ctx: FlowContext, payload: string): Promise<void> {
  const d = await takeLive(ctx, payload);
  if (!d) return;
  const files = filesOf(d);
  if (d.correcting) await sendCorrection(ctx, d.inquiry_id, d.text, files);
  else await sendAnswer(ctx, d.inquiry_id, d.text, files);
  // The answer's (or correction's) files go out now: say which reach a reporter only as a link.
  if (files.length > 0) await tellLinkFallbacks(ctx, await loadStoredFiles(ctx.db, files));
}

/** [Sửa]: write the answer again (the draft is dropped). */
export async function onAnswerEdit(ctx: FlowContext, payload: string): Promise<void> {
  const d = await takeLive(ctx, payload);
  if (!d) return;
  const code = await codeFor(ctx, d.inquiry_id);
  await setDialog(ctx.db, ctx.actor.identity.id, { step: d.correcting ? 'answer_correct' : 'answer', inquiryId: d.inquiry_id } satisfies Dialog, ctx.nowIso);
  await ctx.reply((t) => ({ text: t.answer.askAgain(code) }));
}

/**
 * [Sửa] with the new text written in the web page's edit box: the draft is replaced as when a new
 * text is typed while it waits (its files and whether it corrects a sent answer are kept), and
 * shown again to be confirmed; nothing is sent. A draft past its time still takes the new text:
 * the new preview has its own time, and must be confirmed.
 */
export async function onDraftEdited(ctx: FlowContext, payload: string, text: string): Promise<void> {
  const d = await takeLive(ctx, payload, true);
  if (!d) return;
  return previewAnswer(ctx, d.inquiry_id, text, filesOf(d), Boolean(d.correcting));
}

/**
 * The edit box's text was refused (too long): the press had already settled the preview's buttons,
 * so the kept draft is previewed again, with buttons that work, rather than left to a typed "gửi".
 */
export async function offerDraftAgain(ctx: FlowContext, payload: string): Promise<void> {
  const id = parseId(payload);
  const d = id ? await findDraft(ctx.db, id, ctx.actor.identity.id) : undefined;
  if (d) await previewAnswer(ctx, d.inquiry_id, d.text, filesOf(d), Boolean(d.correcting));
}

/** [Hủy]: the draft is dropped; nothing was sent. */
export async function onAnswerCancel(ctx: FlowContext, payload: string): Promise<void> {
  const d = await takeLive(ctx, payload);
  if (!d) return;
  const code = await codeFor(ctx, d.inquiry_id);
  await ctx.reply((t) => ({ text: t.answer.cancelled(code) }));
}

/** Typed instead of pressed, where a chat has no buttons (and anywhere): the words of the buttons. */
const SEND_WORD = /^(gửi|gui|send)[.!]?$/i;
const EDIT_WORD = /^(sửa|sua|edit)[.!]?$/i;
const CANCEL_WORD = /^(hủy|huỷ|huy|cancel)[.!]?$/i;
/** Each word, the button it stands for, and what that button does. */
const WORDS: ReadonlyArray<readonly [RegExp, string, (ctx: FlowContext, payload: string) => Promise<void>]> = [
  [SEND_WORD, A.answerSend, onAnswerSend], [EDIT_WORD, A.answerEdit, onAnswerEdit], [CANCEL_WORD, A.answerCancel, onAnswerCancel],
];

/**
 * Text while the latest draft waits: a button's word acts as that button on it ("gửi", "sửa",
 * "hủy"); any other text is a new draft for the same inquiry that replaces it (shown again, not sent).
 */
export async function onDraftText(ctx: FlowContext, w: Waiting, text: string): Promise<void> {
  const id = String(w.draftId);
  const word = WORDS.find(([pattern]) => pattern.test(text));
  if (word) {
    await word[2](ctx, id);
    // Typed, not pressed: the preview shows the choice as a press would.
    return settlePreviews(ctx, w.inquiryId, [w.draftId], word[1]);
  }
  const earlier = await findDraft(ctx.db, w.draftId, ctx.actor.identity.id);
  return previewAnswer(ctx, w.inquiryId, text, earlier ? filesOf(earlier) : [], w.correcting === true);
}

/** Files sent while the latest draft waits join it (their caption, if any, replaces its text). */
export async function onDraftFiles(ctx: FlowContext, w: Waiting, text: string, files: readonly number[]): Promise<void> {
  const earlier = await findDraft(ctx.db, w.draftId, ctx.actor.identity.id);
  const kept = earlier ? filesOf(earlier) : [];
  return previewAnswer(ctx, w.inquiryId, isBlankText(text) ? earlier?.text ?? text : text, [...kept, ...files], w.correcting === true);
}
