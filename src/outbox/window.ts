import { UnreachableError, type ChatAdapter } from '../../adapters/types.js';
import type { Db } from '../../db/client.js';
import { insertAudit } from '../../db/repositories/audit.js';
import { findIdentity } from '../../db/repositories/identities.js';
import { insertOutbox, markOutboxHeld, markOutboxRedirected } from '../../db/repositories/outbox.js';
import type { Identity, OutboxRow } from '../../db/schema.js';
import type { DeliveryContext, DeliveryOutcome } from './deliver-one.js';

/** `UnreachableError.reason` an adapter uses when the platform's reply window is closed (Zalo OA -230/-232). */
export const REPLY_WINDOW_CLOSED_REASON = 'outside_window';

/**
 * The reply-window policy (Zalo OA lets the bot write only within 48 h of the user's last
 * message). Applies to interactive rows (queue `outbox`); notices keep the unreachable path.
 */
export function appliesTo(ctx: DeliveryContext, adapter: ChatAdapter): boolean {
  return ctx.queueName === 'outbox' && adapter.capabilities.replyWindowMs !== undefined;
}

/** True when the identity last wrote longer ago than the adapter's window (or never). */
export function isWindowClosed(identity: Identity | undefined, adapter: ChatAdapter, now: Date): boolean {
  const windowMs = adapter.capabilities.replyWindowMs;
  if (windowMs === undefined) return false;
  const last = identity?.last_inbound_at ? Date.parse(identity.last_inbound_at) : Number.NaN;
  return !Number.isFinite(last) || now.getTime() - last >= windowMs;
}

/** The platform refused the send because its window is closed. */
export function isWindowRefusal(err: unknown): boolean {
  return err instanceof UnreachableError && err.reason === REPLY_WINDOW_CLOSED_REASON;
}

/**
 * The row cannot reach its identity now: send it to another reachable identity of the same person
 * (a copy, marked `redirected` here), or park it as `held` until the person writes again (the
 * inbound processor releases it), and tell `onHeld` (ZNS notification) after commit.
 */
export async function holdOrRedirect(ctx: DeliveryContext, row: OutboxRow): Promise<DeliveryOutcome> {
  const now = ctx.clock.now();
  const target = await otherReachableIdentity(ctx, row, now);
  if (target) {
    const copyId = await ctx.db.transaction().execute(async (tx) => {
      const changed = await markOutboxRedirected(tx, [row.id], `redirected to identity ${target.id}: reply window closed`, ['pending']);
      if (changed === 0) return undefined;
      const id = await insertCopy(tx, row, target, now.toISOString());
      await insertAudit(tx, { at: now.toISOString(), actorPersonId: null, actorIdentityId: null, action: 'delivery.redirect', entity: 'outbox', entityId: row.id, before: null, after: { to_identity: target.id, outbox_id: id, reason: 'reply_window' } });
      return id;
    });
    if (copyId === undefined) return { kind: 'skipped', reason: 'not_pending', row };
    return { kind: 'redirected', newIds: [copyId], row: { ...row, status: 'redirected' } };
  }
  if (!(await markOutboxHeld(ctx.db, row.id, 'held: reply window closed; delivered when the recipient writes'))) {
    return { kind: 'skipped', reason: 'not_pending', row };
  }
  const held = { ...row, status: 'held' as const };
  try {
    await ctx.onHeld?.(held);
  } catch (err) {
    ctx.logger.error({ outboxId: row.id, err: err instanceof Error ? err.message : String(err) }, 'outbox: notifying about a held message failed');
  }
  return { kind: 'held', row: held };
}

/** Another identity of the row's person that can receive now: preferred first, then the most recently active. */
async function otherReachableIdentity(ctx: DeliveryContext, row: OutboxRow, now: Date): Promise<Identity | undefined> {
  const identity = await findIdentity(ctx.db, row.identity_id);
  if (!identity?.person_id) return undefined;
  const others = await ctx.db.selectFrom('identities').selectAll()
    .where('person_id', '=', identity.person_id).where('id', '!=', identity.id).where('unreachable_at', 'is', null).execute();
  const usable = others.filter((i) => {
    const adapter = ctx.adapters.get(i.platform);
    return adapter !== undefined && !isWindowClosed(i, adapter, now);
  });
  const score = (i: Identity) => i.preferred * 1e15 + (i.last_inbound_at ? Date.parse(i.last_inbound_at) / 1000 : 0);
  return usable.sort((a, b) => score(b) - score(a))[0];
}

/** The same message for another chat: its inquiry link is kept (a reply routes), its reply-to is not (that message lives in the other chat). */
async function insertCopy(db: Db, row: OutboxRow, to: Identity, nowIso: string): Promise<number> {
  return insertOutbox(db, {
    queue: row.queue, identity_id: to.id, platform: to.platform, chat_id: to.chat_id, text: row.text, buttons: row.buttons,
    reply_to_message_id: null, reply_to_outbox_id: null, inquiry_id: row.inquiry_id, ref_kind: row.ref_kind, ref_person_id: to.person_id,
    report_unreachable: row.report_unreachable, status: 'pending', attempts: 0, parts_sent: 0, sent_message_id: null,
    sent_message_ids: null, last_error: null, created_at: nowIso, sent_at: null,
  });
}
