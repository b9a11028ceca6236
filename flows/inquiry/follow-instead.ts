import { setDialog } from '../../db/repositories/identities.js';
import { findInquiry } from '../../db/repositories/inquiries.js';
import { followedInstead, followInquiry } from '../answer/follow.js';
import { parseId } from '../buttons.js';
import type { FlowContext } from '../context.js';
import { parseDialog } from '../dialog.js';
import { confirmButtons } from './ask.js';
import { codeOf } from './view.js';

/**
 * "Theo dõi Q-12" under the confirmation prompt (payload: the inquiry id): the reporter follows that
 * similar inquiry instead of sending their question — the follow of `/follow`, with its checks —
 * and the dialog ends with no inquiry created. They are told what comes next: its answer, sent at
 * once when it has one. When the follow is refused (the inquiry was withdrawn or declined since)
 * the question still waits to be sent, and the send buttons come again.
 */
export async function onAskFollow(ctx: FlowContext, payload: string): Promise<void> {
  const dialog = parseDialog(ctx.actor.identity.dialog);
  const person = ctx.actor.person;
  const id = parseId(payload);
  if (dialog?.step !== 'ask_confirm' || !person || id === undefined) return void await ctx.reply((t) => ({ text: t.alreadyChosen }));
  const inquiry = await findInquiry(ctx.db, id);
  const done = inquiry ? await followInquiry(ctx, person.id, inquiry) : 'refused';
  if (!inquiry || done === 'refused') {
    // The press settled the prompt's buttons: offer sending again, or the question would be stuck.
    const code = inquiry ? codeOf(inquiry) : `Q-${id}`;
    const promptOutboxId = await ctx.reply((t) => ({ text: `${t.answer.followRefused(code)}\n\n${t.similar.stillReady}`, buttons: confirmButtons(t, dialog.topicId) }));
    return void await setDialog(ctx.db, ctx.actor.identity.id, { ...dialog, promptOutboxId }, ctx.nowIso);
  }
  await followedInstead(ctx, inquiry, done);
}
