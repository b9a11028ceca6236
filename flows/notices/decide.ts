import { truncateText } from '../../adapters/types.js';
import { parseId } from '../buttons.js';
import type { FlowContext } from '../context.js';
import { mayDecide, requireCoordinator } from './access.js';
import { cancelDraft, confirmDraft, setProgressOutbox } from '../../db/repositories/notices-write.js';
import { ackRecipient, findNotice } from '../../db/repositories/notices.js';

/** «Gửi» on a preview: the draft becomes a broadcast; the reply is the progress message (edited in place). */
export async function onSendButton(ctx: FlowContext, payload: string): Promise<void> {
  const scope = await requireCoordinator(ctx, payload);
  if (scope === undefined) return;
  const notice = await findNotice(ctx.db, parseId(payload) ?? 0);
  if (!notice) return void await ctx.reply((t) => ({ text: t.notice.notFound(truncateText(payload, 20)) }));
  if (!mayDecide(ctx, notice, scope)) return void await ctx.reply((t) => ({ text: t.notAllowed }));
  if (!(await confirmDraft(ctx.db, notice.id, ctx.nowIso, ctx.actor.identity.id))) return void await ctx.reply((t) => ({ text: t.notice.notDraft(notice.id) }));
  const progressId = await ctx.reply((t) => ({ text: t.notice.started(notice.id, notice.title) }));
  await setProgressOutbox(ctx.db, notice.id, progressId);
  await ctx.effects.audit('notice.confirm', 'notice', notice.id, { status: 'draft' }, { status: 'sending' });
  ctx.effects.startNotice(notice.id);
}

/** «Hủy» on a preview. */
export async function onCancelButton(ctx: FlowContext, payload: string): Promise<void> {
  const scope = await requireCoordinator(ctx, payload);
  if (scope === undefined) return;
  const notice = await findNotice(ctx.db, parseId(payload) ?? 0);
  if (!notice) return void await ctx.reply((t) => ({ text: t.notice.notFound(truncateText(payload, 20)) }));
  if (!mayDecide(ctx, notice, scope)) return void await ctx.reply((t) => ({ text: t.notAllowed }));
  if (!(await cancelDraft(ctx.db, notice.id, ctx.nowIso))) return void await ctx.reply((t) => ({ text: t.notice.notDraft(notice.id) }));
  await ctx.effects.audit('notice.cancel', 'notice', notice.id, { status: 'draft' }, { status: 'cancelled' });
  await ctx.reply((t) => ({ text: t.notice.cancelled }));
}

/** «Đã nhận» (or "1" on Zalo): records the acknowledgement time, once. */
export async function onAckButton(ctx: FlowContext, payload: string): Promise<void> {
  const id = parseId(payload);
  const notice = id ? await findNotice(ctx.db, id) : undefined;
  const personId = ctx.actor.person?.id;
  if (!notice || personId === undefined) return void await ctx.reply((t) => ({ text: t.notice.notRecipient }));
  const outcome = await ackRecipient(ctx.db, notice.id, personId, ctx.nowIso);
  if (outcome === 'none') return void await ctx.reply((t) => ({ text: t.notice.notRecipient }));
  if (outcome === 'again') return void await ctx.reply((t) => ({ text: t.notice.ackedAgain }));
  await ctx.reply((t) => ({ text: t.notice.acked(notice.title) }));
}
