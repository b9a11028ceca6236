import { findOrg } from '../../db/repositories/directory.js';
import { findAnswerRow } from '../../db/repositories/answers.js';
import { findIdentity, setDialog } from '../../db/repositories/identities.js';
import { listMergedInto } from '../../db/repositories/inquiries.js';
import { isBlankText } from '../../adapters/types.js';
import type { Inquiry } from '../../db/schema.js';
import type { Copy } from '../copy/index.js';
import type { FlowContext } from '../context.js';
import { clearDialog } from '../dialog.js';
import { loadFor, tellRefusal } from '../guards.js';
import { codeOf, orgName } from '../inquiry/view.js';
import { transition } from '../lifecycle/transition.js';
import { correctionWindowMinutes, rateButtons } from './answer.js';
import { tellFollowers } from './followers.js';
import { signatureOf } from './signature.js';

const MINUTE_MS = 60_000;
const windowMinutes = correctionWindowMinutes;

/** Whole minutes left to correct the answer (at least 1 while open); 0 when the window is closed. */
function minutesLeft(ctx: FlowContext, inquiry: Inquiry): number {
  const leftMs = (inquiry.answered_at ? Date.parse(inquiry.answered_at) : Number.NaN) + windowMinutes(ctx) * MINUTE_MS - ctx.now.getTime();
  return Number.isFinite(leftMs) && leftMs > 0 ? Math.max(1, Math.ceil(leftMs / MINUTE_MS)) : 0;
}

/**
 * May the actor correct the inquiry's answer now: they sent it, and the window since sending
 * (`ANSWER_CORRECTION_MINUTES`) is still open? Tells them politely when not.
 */
export async function correctionOpen(ctx: FlowContext, inquiry: Inquiry): Promise<boolean> {
  const code = codeOf(inquiry);
  if (inquiry.handler_person_id === null || inquiry.handler_person_id !== ctx.actor.person?.id) {
    await ctx.reply((t) => ({ text: t.answer.correctionNotYours(code) }));
    return false;
  }
  if (minutesLeft(ctx, inquiry) > 0) return true;
  const minutes = windowMinutes(ctx);
  await ctx.reply((t) => ({ text: t.answer.correctionClosed(code, minutes) }));
  return false;
}

/** [Sửa câu trả lời]: wait for the corrected text (previewed and confirmed like the answer). */
export async function onCorrectButton(ctx: FlowContext, payload: string): Promise<void> {
  const admitted = await loadFor(ctx, payload, 'correct_answer');
  if (!admitted || !(await correctionOpen(ctx, admitted.inquiry))) return;
  const { inquiry } = admitted;
  const left = minutesLeft(ctx, inquiry);
  await setDialog(ctx.db, ctx.actor.identity.id, { step: 'answer_correct', inquiryId: inquiry.id }, ctx.nowIso);
  await ctx.reply((t) => ({ text: t.answer.askCorrection(codeOf(inquiry), left) }));
}

/**
 * A confirmed correction: recorded beside the first version (an `answer_correction` entry, with
 * its files), then each reporter's copy corrected through the outbox — in place where the platform
 * edits messages, else as a new message replying to the answer. Its files (a corrected letter)
 * follow as one more message replying to the answer, since an edit cannot add files. One outbox
 * row per message and reporter: sent once.
 */
export async function sendCorrection(ctx: FlowContext, inquiryId: number, text: string, files: readonly number[] = []): Promise<void> {
  await clearDialog(ctx);
  const admitted = await loadFor(ctx, inquiryId, 'correct_answer');
  if (!admitted || !(await correctionOpen(ctx, admitted.inquiry))) return;
  const r = await transition(ctx, admitted, { entryText: text, files });
  if (!r.ok) return tellRefusal(ctx, r, String(inquiryId));
  const updated = r.inquiry;
  const org = updated.org_id ? await findOrg(ctx.db, updated.org_id) : undefined;
  const sign = await signatureOf(ctx.db, ctx.actor.person?.id, org);
  const shown = (t: Copy) => (isBlankText(text) ? t.files.seeAttached(files.length) : text);
  let corrected = 0;
  const targets = [updated, ...(await listMergedInto(ctx.db, updated.id))];
  for (const target of targets) {
    const identity = await findIdentity(ctx.db, target.reporter_identity_id);
    const original = identity ? await findAnswerRow(ctx.db, target.id, identity.id) : undefined;
    if (!identity || !original) continue;
    const code = codeOf(target);
    // A rated answer keeps no rating buttons: they do not come back with the correction.
    const buttons = (t: Parameters<typeof rateButtons>[0]) => (target.rating ? {} : { buttons: rateButtons(t, target.id) });
    await ctx.effects.sendTo(identity, (t) => ({ text: t.answer.correctedNotice(code, orgName(org, t), shown(t), sign(t)), ...buttons(t) }), {
      ref: { inquiryId: target.id, kind: 'answer' },
      edit: { outboxId: original.id, text: (t) => t.answer.toReporter(code, orgName(org, t), shown(t), sign(t), true) },
    });
    // `info`, not `answer`: the answer to correct next time stays the answer message itself.
    if (files.length > 0) {
      await ctx.effects.sendTo(identity, (t) => ({ text: t.answer.correctionFiles(code, files.length) }), {
        ref: { inquiryId: target.id, kind: 'info' }, files, ...(original.sent_message_id ? { replyToMessageId: original.sent_message_id } : {}),
      });
    }
    corrected += 1;
  }
  // Followers were sent the first version: they get the corrected one (with its files), once each.
  await tellFollowers(ctx, updated, targets, (t) => ({ text: t.answer.correctedToFollower(codeOf(updated), orgName(org, t), shown(t), sign(t)) }), files);
  await ctx.reply((t) => ({ text: t.answer.correctionSent(codeOf(updated), corrected) }));
}
