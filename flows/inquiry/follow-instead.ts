import { isBlankText } from '../../adapters/types.js';
import { currentAnswer } from '../../db/repositories/answers.js';
import { findOrg } from '../../db/repositories/directory.js';
import { setDialog } from '../../db/repositories/identities.js';
import { findInquiry } from '../../db/repositories/inquiries.js';
import type { Inquiry } from '../../db/schema.js';
import { followInquiry } from '../answer/follow.js';
import { signatureOf } from '../answer/signature.js';
import { parseId } from '../buttons.js';
import type { FlowContext } from '../context.js';
import { parseDialog } from '../dialog.js';
import { entryFileIds } from '../files.js';
import { codeOf, orgName } from './view.js';

/**
 * "Theo dõi Q-12" under the confirmation prompt (payload: the inquiry id): the reporter follows that
 * similar inquiry instead of sending their question — the follow of `/follow`, with its checks —
 * and the dialog ends with no inquiry created. They are told what comes next: its answer, sent at
 * once when it has one. When the follow is refused (the inquiry was withdrawn or declined since)
 * the question still waits to be sent.
 */
export async function onAskFollow(ctx: FlowContext, payload: string): Promise<void> {
  const dialog = parseDialog(ctx.actor.identity.dialog);
  const person = ctx.actor.person;
  const id = parseId(payload);
  if (dialog?.step !== 'ask_confirm' || !person || id === undefined) return void await ctx.reply((t) => ({ text: t.alreadyChosen }));
  const inquiry = await findInquiry(ctx.db, id);
  if (!inquiry || !(await followInquiry(ctx, person.id, inquiry))) {
    const code = inquiry ? codeOf(inquiry) : `Q-${id}`;
    return void await ctx.reply((t) => ({ text: t.answer.followRefused(code) }));
  }
  await setDialog(ctx.db, ctx.actor.identity.id, null, ctx.nowIso);
  const answered = inquiry.status === 'answered';
  await ctx.reply((t) => ({ text: t.similar.followedInstead(codeOf(inquiry), answered) }));
  if (answered) await sendCurrentAnswer(ctx, inquiry);
}

/** An answered inquiry's answer as it stands (corrected, signed, with its files), to the reporter who just followed it. */
async function sendCurrentAnswer(ctx: FlowContext, inquiry: Inquiry): Promise<void> {
  const answer = await currentAnswer(ctx.db, inquiry.id);
  if (!answer) return;
  const org = inquiry.org_id ? await findOrg(ctx.db, inquiry.org_id) : undefined;
  const sign = await signatureOf(ctx.db, answer.authorPersonId, org);
  const files = await entryFileIds(ctx.db, inquiry.id, answer.kind);
  const shown = (t: Parameters<typeof sign>[0]) => (isBlankText(answer.text) ? t.files.seeAttached(files.length) : answer.text);
  await ctx.reply((t) => ({ text: t.answer.toFollower(codeOf(inquiry), orgName(org, t), shown(t), sign(t)) }), files.length > 0 ? { files } : undefined);
}
