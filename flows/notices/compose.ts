import type { Button } from '../../adapters/types.js';
import { setDialog } from '../../db/repositories/identities.js';
import type { NoticeAudience } from '../../db/schema.js';
import { btn } from '../buttons.js';
import type { FlowContext } from '../context.js';
import { requireCoordinator } from './access.js';
import { formatAudience, parseAudience } from './audience.js';
import { MAX_BODY_CHARS, MAX_TITLE_CHARS, NOTICE_ACTIONS, type NoticeDialog } from './dialog.js';
import { saveDraft, type NoticeContent } from './draft.js';
import { loadStoredFiles } from '../files.js';
import { askAudience, onAudienceButton } from './audience-picker.js';

/** A press of an audience button: a finished choice saves the draft and shows its preview. */
export async function onAudiencePress(ctx: FlowContext, payload: string): Promise<void> {
  const chosen = await onAudienceButton(ctx, payload);
  if (!chosen) return;
  const { dialog: d, audience, scope } = chosen;
  const id = await createDraft(ctx, { title: d.title, body: d.body, link: d.link, ...(d.files?.length ? { files: d.files } : {}) }, audience, scope);
  if (id !== undefined) await setDialog(ctx.db, ctx.actor.identity.id, null, ctx.nowIso);
}

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
  const files = d.files?.length ? { files: d.files } : {};
  const next = (dialog: NoticeDialog, prompt: (t: FlowContext['actor']['t']) => string) =>
    setDialog(ctx.db, ctx.actor.identity.id, { ...dialog, ...files }, ctx.nowIso).then(() => ctx.reply((t) => ({ text: prompt(t) })));
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
      await setDialog(ctx.db, ctx.actor.identity.id, { step: 'notice_audience', title: d.title, body: d.body, link, ...files } satisfies NoticeDialog, ctx.nowIso);
      return void await askAudience(ctx, scope);
    }
    case 'notice_audience': {
      const audience = parseAudience(text);
      if (!audience) return void await ctx.reply((t) => ({ text: t.notice.badAudience }));
      const id = await createDraft(ctx, { title: d.title, body: d.body, link: d.link, ...files }, audience, scope);
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
  await ctx.effects.audit('notice.draft', 'notice', draft.id, null, { audience, files: content.files?.length ?? 0 });
  const attached = await loadStoredFiles(ctx.db, content.files ?? []);
  await ctx.reply((t) => ({
    text: t.notice.preview({
      id: draft.id, title: content.title, audience: formatAudience(audience), perChannel: draft.perChannel,
      unreachable: draft.unreachable, notJoined: draft.notJoined, parts: Math.ceil(t.notice.message(content).length / 4000),
      files: attached.map((f) => f.name),
    }),
    buttons: [[btn(t.notice.btnSend, NOTICE_ACTIONS.send, draft.id), btn(t.notice.btnCancel, NOTICE_ACTIONS.cancel, draft.id)] satisfies Button[]],
  }));
  return draft.id;
}

/**
 * Files sent while composing a notice (its decree, a table of figures) go with it: kept in the
 * dialog until the draft is saved, then attached to the notice and sent after its text. Coordinators
 * only, as for the rest of composing.
 */
export async function addNoticeFiles(ctx: FlowContext, d: NoticeDialog, ids: readonly number[]): Promise<boolean> {
  if ((await requireCoordinator(ctx, 'compose')) === undefined) return false;
  const files = [...(d.files ?? []), ...ids];
  const dialog: NoticeDialog = { ...d, files };
  await setDialog(ctx.db, ctx.actor.identity.id, dialog, ctx.nowIso);
  // A caption is that step's text, handled next in this same event: it must see the files.
  ctx.actor.identity = { ...ctx.actor.identity, dialog: JSON.stringify(dialog) };
  await ctx.reply((t) => ({ text: t.notice.filesAdded(files.length) }));
  return true;
}
