import type { Button } from '../../adapters/types.js';
import { setDialog } from '../../db/repositories/identities.js';
import type { NoticeAudience } from '../../db/schema.js';
import { btn } from '../buttons.js';
import type { FlowContext } from '../context.js';
import { requireCoordinator } from './access.js';
import { formatAudience, parseAudience } from './audience.js';
import { MAX_BODY_CHARS, MAX_TITLE_CHARS, NOTICE_ACTIONS, type NoticeDialog } from './dialog.js';
import { saveDraft, type NoticeContent } from './draft.js';

/** `/notice`: starts composing (coordinators only). */
export async function startCompose(ctx: FlowContext): Promise<void> {
  if ((await requireCoordinator(ctx, 'compose')) === undefined) return;
  await setDialog(ctx.db, ctx.actor.identity.id, { step: 'notice_title' } satisfies NoticeDialog, ctx.nowIso);
  await ctx.reply((t) => ({ text: t.notice.askTitle }));
}

/** One text of the composing dialog. */
export async function onComposeText(ctx: FlowContext, d: NoticeDialog, text: string): Promise<void> {
  const scope = await requireCoordinator(ctx, 'compose');
  if (scope === undefined) return void await setDialog(ctx.db, ctx.actor.identity.id, null, ctx.nowIso);
  const next = (dialog: NoticeDialog, prompt: (t: FlowContext['actor']['t']) => string) =>
    setDialog(ctx.db, ctx.actor.identity.id, dialog, ctx.nowIso).then(() => ctx.reply((t) => ({ text: prompt(t) })));
  switch (d.step) {
    case 'notice_title':
      if (text.length > MAX_TITLE_CHARS || text.includes('\n')) return void await ctx.reply((t) => ({ text: t.notice.tooLong(MAX_TITLE_CHARS) }));
      return void await next({ step: 'notice_body', title: text }, (t) => t.notice.askBody);
    case 'notice_body':
      if (text.length > MAX_BODY_CHARS) return void await ctx.reply((t) => ({ text: t.notice.tooLong(MAX_BODY_CHARS) }));
      return void await next({ step: 'notice_link', title: d.title, body: text }, (t) => t.notice.askLink);
    case 'notice_link': {
      const link = text === '-' ? null : text;
      if (link !== null && !/^https?:\/\/\S+$/.test(link)) return void await ctx.reply((t) => ({ text: t.notice.badLink }));
      return void await next({ step: 'notice_audience', title: d.title, body: d.body, link }, (t) => t.notice.askAudience('org:HUE'));
    }
    case 'notice_audience': {
      const audience = parseAudience(text);
      if (!audience) return void await ctx.reply((t) => ({ text: t.notice.badAudience }));
      const id = await createDraft(ctx, { title: d.title, body: d.body, link: d.link }, audience, scope);
      if (id !== undefined) await setDialog(ctx.db, ctx.actor.identity.id, null, ctx.nowIso);
    }
  }
}

/** Saves a draft with its recipients and shows the preview with Send / Cancel; undefined when refused. */
async function createDraft(ctx: FlowContext, content: NoticeContent, audience: NoticeAudience, scope: number[] | null): Promise<number | undefined> {
  const draft = await saveDraft(ctx.db, content, audience, { scope, today: ctx.today, nowIso: ctx.nowIso, createdBy: ctx.actor.person?.id ?? null });
  if ('refused' in draft) {
    const { refused, codes } = draft;
    return void await ctx.reply((t) => ({
      text: refused === 'unknown_orgs' ? t.notice.unknownOrgs(codes) : refused === 'out_of_scope' ? t.notice.outOfScope(codes) : t.notice.noRecipients,
    }));
  }
  await ctx.effects.audit('notice.draft', 'notice', draft.id, null, { audience });
  await ctx.reply((t) => ({
    text: t.notice.preview({
      id: draft.id, title: content.title, audience: formatAudience(audience), perChannel: draft.perChannel,
      unreachable: draft.unreachable, notJoined: draft.notJoined, parts: Math.ceil(t.notice.message(content).length / 4000),
    }),
    buttons: [[btn(t.notice.btnSend, NOTICE_ACTIONS.send, draft.id), btn(t.notice.btnCancel, NOTICE_ACTIONS.cancel, draft.id)] satisfies Button[]],
  }));
  return draft.id;
}
