import type { Button } from '../../adapters/types.js';
import { listOrgOutline, listRoleContacts } from '../../db/repositories/directory.js';
import { setDialog } from '../../db/repositories/identities.js';
import { findSentByMessageId } from '../../db/repositories/outbox.js';
import type { NoticeAudience } from '../../db/schema.js';
import { btn, rows } from '../buttons.js';
import type { FlowContext } from '../context.js';
import type { Copy } from '../copy/index.js';
import { requireCoordinator } from './access.js';
import { parseTags, subtreeIds } from './audience.js';
import { NOTICE_ACTIONS, parseNoticeDialog, type NoticeDialog } from './dialog.js';

/**
 * Choosing a notice's audience with buttons (numbered choices on Zalo): the coordinator's own
 * province scope, one or several communes under it, or a tag the contacts in scope carry. Every
 * press is checked again here — role, dialog step and scope — because a payload can be forged.
 * Payloads: `p` (my scope), `c` (open the commune list: a new message), `c.<page>` (turn to a
 * page), `o.<orgId>` (toggle a commune), `d` (done), `t.<tag>` (a tag). Turning a page or ticking a
 * commune edits the list's own message where the platform edits (on Telegram only its keyboard:
 * editMessageReplyMarkup), else (Zalo) sends the page again, replying to it.
 */

/** Communes per page (a numbered list on Zalo stays readable). */
export const COMMUNES_PER_PAGE = 8;
/** Longest tag offered as a button, in UTF-8 bytes (Telegram: action + payload ≤ 64 bytes). */
const MAX_TAG_BYTES = 48;
/** Most tag buttons offered (the rest can still be typed as `tag:…`). */
const MAX_TAGS = 12;
const COMMUNE_TYPES = new Set(['commune', 'special_zone']);

type AudienceDialog = Extract<NoticeDialog, { step: 'notice_audience' }>;
type Scope = number[] | null;
interface Org { id: number; code: string; name: string; type: string; parent_id: number | null; valid_from: string | null; valid_to: string | null }

/** What a coordinator may pick from: their scope's roots, its communes (by name), its contacts' tags. */
async function choices(ctx: FlowContext, scope: Scope): Promise<{ roots: Org[]; communes: Org[]; tags: string[] }> {
  const orgs = await listOrgOutline(ctx.db);
  const inScope = scope === null ? undefined : subtreeIds(orgs, scope);
  const roots = scope === null ? [] : orgs.filter((o) => scope.includes(o.id));
  // Only communes that exist today (a merged or dissolved one is no longer offered).
  const current = (o: Org) => (o.valid_from === null || o.valid_from <= ctx.today) && (o.valid_to === null || o.valid_to >= ctx.today);
  const communes = orgs.filter((o) => COMMUNE_TYPES.has(o.type) && current(o) && (!inScope || inScope.has(o.id))).sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  const tags = new Set<string>();
  for (const c of await listRoleContacts(ctx.db, 'contact', ctx.today)) {
    if (inScope && (c.org_id === null || !inScope.has(c.org_id))) continue;
    for (const tag of parseTags(c.tags)) if (Buffer.byteLength(tag) <= MAX_TAG_BYTES) tags.add(tag);
  }
  return { roots, communes, tags: [...tags].sort((a, b) => a.localeCompare(b, 'vi')).slice(0, MAX_TAGS) };
}

/** The audience question with its buttons; typing `org:…`/`tag:…`/`all` still works. */
export async function askAudience(ctx: FlowContext, scope: Scope): Promise<void> {
  const { roots, communes, tags } = await choices(ctx, scope);
  await ctx.reply((t) => {
    const first = [btn(scope === null ? t.notice.btnAll : t.notice.btnMyScope(roots.map((r) => r.name).join(', ')), NOTICE_ACTIONS.audience, 'p')];
    const communeRow = communes.length > 0 ? [[btn(t.notice.btnCommunes(communes.length), NOTICE_ACTIONS.audience, 'c')]] : [];
    const tagRows = rows(tags.map((tag) => btn(t.notice.btnTag(tag), NOTICE_ACTIONS.audience, `t.${tag}`)), 3);
    return { text: t.notice.askAudience(roots[0] ? `org:${roots[0].code}` : 'all'), buttons: [first, ...communeRow, ...tagRows] };
  });
}

/** A press of an audience button. Returns the audience chosen, or undefined when the dialog goes on. */
export async function onAudienceButton(ctx: FlowContext, payload: string): Promise<{ dialog: AudienceDialog; audience: NoticeAudience; scope: Scope } | undefined> {
  const scope = await requireCoordinator(ctx, 'audience');
  if (scope === undefined) return undefined;
  const d = parseNoticeDialog(ctx.actor.identity.dialog);
  if (d?.step !== 'notice_audience') return void await ctx.reply((t) => ({ text: t.notice.audienceStale }));
  const { roots, communes, tags } = await choices(ctx, scope);
  const picked = d.picked ?? [];
  if (payload === 'p') return { dialog: d, audience: scope === null ? { all: true } : { orgCodes: roots.map((r) => r.code) }, scope };
  if (payload === 'd') {
    if (picked.length === 0) return void await ctx.reply((t) => ({ text: t.notice.noneChosen }));
    const codes = communes.filter((o) => picked.includes(o.id)).map((o) => o.code);
    // A commune picked earlier that left the scope since: refused rather than silently dropped.
    if (codes.length !== picked.length) return void await refuse(ctx, picked.filter((id) => !communes.some((o) => o.id === id)).join(','));
    return { dialog: d, audience: { orgCodes: codes }, scope };
  }
  if (payload === 'c') return void await showPage(ctx, communes, picked, 0, undefined);
  const page = /^c\.(\d{1,4})$/.exec(payload);
  if (page) return void await showPage(ctx, communes, picked, Number(page[1]), await pressedMessage(ctx));
  const toggle = /^o\.(\d{1,12})$/.exec(payload);
  if (toggle) {
    const id = Number(toggle[1]);
    const index = communes.findIndex((o) => o.id === id);
    if (index < 0) return void await refuse(ctx, String(id));
    const next = picked.includes(id) ? picked.filter((p) => p !== id) : [...picked, id];
    await setDialog(ctx.db, ctx.actor.identity.id, { ...d, picked: next } satisfies NoticeDialog, ctx.nowIso);
    return void await showPage(ctx, communes, next, Math.floor(index / COMMUNES_PER_PAGE), await pressedMessage(ctx));
  }
  const tag = payload.startsWith('t.') ? payload.slice(2) : undefined;
  if (tag !== undefined && tags.includes(tag)) return { dialog: d, audience: { tags: [tag] }, scope };
  await ctx.effects.audit('notice.bad_button', 'notice', 'audience', null, { payload: payload.slice(0, 20) });
  await ctx.reply((t) => ({ text: t.notice.badAudience }));
  return undefined;
}

/** A forged or stale organisation: refused politely, audited, nothing changed. */
async function refuse(ctx: FlowContext, orgIds: string): Promise<void> {
  await ctx.effects.audit('access.denied', 'notice', 'audience', null, { orgIds, event: ctx.event.kind });
  await ctx.reply((t) => ({ text: t.notice.orgNotInScope }));
}

/** The outbox row of the message whose button was pressed (in this chat), if it is known. */
async function pressedMessage(ctx: FlowContext): Promise<number | undefined> {
  if (ctx.event.kind !== 'button') return undefined;
  const { platform, chat_id: chatId } = ctx.actor.identity;
  return (await findSentByMessageId(ctx.db, platform, chatId, ctx.event.messageId))?.id;
}

/**
 * One page of communes: each a toggle (✓ when picked), then previous / next / done (with the count
 * picked). The text is the same on every page, so turning a page or ticking edits only the buttons
 * of message `editOf` (its outbox row); undefined: a new message.
 */
async function showPage(ctx: FlowContext, communes: Org[], picked: readonly number[], page: number, editOf: number | undefined): Promise<void> {
  const pages = Math.max(1, Math.ceil(communes.length / COMMUNES_PER_PAGE));
  const p = Math.min(Math.max(0, page), pages - 1);
  const slice = communes.slice(p * COMMUNES_PER_PAGE, (p + 1) * COMMUNES_PER_PAGE);
  const text = (t: Copy) => t.notice.communesPicker(communes.length, pages);
  await ctx.reply((t) => {
    const toggles: Button[] = slice.map((o) => btn(`${picked.includes(o.id) ? '✓ ' : ''}${o.name}`, NOTICE_ACTIONS.audience, `o.${o.id}`));
    const nav: Button[] = [
      ...(p > 0 ? [btn(t.notice.btnPrev(p, pages), NOTICE_ACTIONS.audience, `c.${p - 1}`, 'secondary')] : []),
      ...(p < pages - 1 ? [btn(t.notice.btnNext(p + 2, pages), NOTICE_ACTIONS.audience, `c.${p + 1}`, 'secondary')] : []),
      btn(t.notice.btnDone(picked.length), NOTICE_ACTIONS.audience, 'd'),
    ];
    return { text: text(t), buttons: [...rows(toggles, 2), nav] };
  }, editOf === undefined ? undefined : { edit: { outboxId: editOf, text } });
}
