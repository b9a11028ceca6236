import type { Db } from '../../db/client.js';
import { insertAudit } from '../../db/repositories/audit.js';
import { findIdentity, listReachableIdentitiesExcept } from '../../db/repositories/identities.js';
import { insertOutbox, markOutboxHeld, markOutboxRedirected } from '../../db/repositories/outbox.js';
import { followHandOverRedirect } from '../../db/repositories/notices-write.js';
import type { Platform } from '../../adapters/types.js';
import type { Identity, OutboxHeldReason, OutboxRow } from '../../db/schema.js';
import type { DeliveryContext, DeliveryOutcome } from './types.js';
import { isWindowClosed } from '../delivery/window.js';

/** Why a row cannot go out now, and what to write on it. */
export interface HoldCause {
  reason: OutboxHeldReason;
  /** Stored in `last_error` (already scrubbed). */
  note: string;
  /** Attempts to record on a held row (the attempt that ended in the hold). */
  attempts?: number;
  /** Identities on this platform are not usable either (our credentials there are refused). */
  avoidPlatform?: Platform;
}

/**
 * The row cannot reach its identity now: send it to another reachable identity of the same person
 * (a copy; this row becomes `redirected`), or park it as `held` with `cause.reason`. Reply-window
 * holds are released when the person writes (inbound processor), credential holds when the
 * platform accepts our credentials again (`credentials.ts`). `onHeld` (ZNS) only for the window.
 */
export async function holdOrRedirect(ctx: DeliveryContext, row: OutboxRow, cause: HoldCause): Promise<DeliveryOutcome> {
  const now = ctx.clock.now();
  const target = await otherReachableIdentity(ctx, row, now, cause.avoidPlatform);
  if (target) {
    const copyId = await ctx.db.transaction().execute(async (tx) => {
      const changed = await markOutboxRedirected(tx, [row.id], `redirected to identity ${target.id}: ${cause.reason}`, ['pending']);
      if (changed === 0) return undefined;
      const id = await insertCopy(tx, row, target, now.toISOString());
      // A handed-over notice: its delivery row is settled by the copy now.
      if (row.inquiry_id === null) await followHandOverRedirect(tx, row.id, id);
      await insertAudit(tx, { at: now.toISOString(), actorPersonId: null, actorIdentityId: null, action: 'delivery.redirect', entity: 'outbox', entityId: row.id, before: null, after: { to_identity: target.id, outbox_id: id, reason: cause.reason } });
      return id;
    });
    if (copyId === undefined) return { kind: 'skipped', reason: 'not_pending', row };
    return { kind: 'redirected', newIds: [copyId], row: { ...row, status: 'redirected' } };
  }
  if (!(await markOutboxHeld(ctx.db, row.id, cause.note, cause.reason, cause.attempts))) {
    return { kind: 'skipped', reason: 'not_pending', row };
  }
  const held = { ...row, status: 'held' as const, held_reason: cause.reason, last_error: cause.note, attempts: cause.attempts ?? row.attempts };
  if (cause.reason === 'reply_window') {
    try {
      await ctx.onHeld?.(held);
    } catch (err) {
      ctx.logger.error({ outboxId: row.id, err: err instanceof Error ? err.message : String(err) }, 'outbox: notifying about a held message failed');
    }
  }
  return { kind: 'held', reason: cause.reason, row: held };
}

/** Another identity of the row's person that can receive now: preferred first, then the most recently active. */
async function otherReachableIdentity(ctx: DeliveryContext, row: OutboxRow, now: Date, avoidPlatform: Platform | undefined): Promise<Identity | undefined> {
  const identity = await findIdentity(ctx.db, row.identity_id);
  if (!identity?.person_id) return undefined;
  const others = await listReachableIdentitiesExcept(ctx.db, identity.person_id, identity.id);
  const usable = others.filter((i) => {
    const adapter = ctx.adapters.get(i.platform);
    return adapter !== undefined && i.platform !== avoidPlatform && !isWindowClosed(i, adapter, now);
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
    sent_message_ids: null, last_error: null, created_at: nowIso, sent_at: null, masked_text: row.masked_text, secrets: row.secrets,
    attachments: row.attachments,
  });
}
