import type { Redis } from 'ioredis';
import { findIdentity } from '../../db/repositories/identities.js';
import { findOutbox } from '../../db/repositories/outbox.js';
import type { Notice } from '../../db/schema.js';
import { copyFor } from '../../flows/copy/index.js';
import { countAcked, countByStatus } from '../../db/repositories/notices.js';
import { toNoticeCounts } from '../../flows/notices/status.js';
import type { NoticeContext } from './types.js';

/** How long after a broadcast finished its progress message still follows acknowledgements, in ms. */
export const ACK_FOLLOW_MS = 3 * 24 * 3_600_000;

/** Edits coordinators' progress messages in place, at most once per interval per notice across processes. */
export interface ProgressReporter {
  /** Edits the progress message unless it was edited less than the interval ago (or `final`). */
  update(notice: Notice, final?: boolean): Promise<void>;
  /**
   * After the broadcast finished: edits the final progress message again when the acknowledged
   * count changed since it was last shown (at most once per interval per notice, across processes).
   */
  followAcks(notice: Notice): Promise<void>;
}

export function createProgressReporter(ctx: NoticeContext, redis: Redis, prefix: string): ProgressReporter {
  const lastTry = new Map<number, number>();
  const shownKey = (id: number) => `${prefix}:notice-acked-shown:${id}`;
  const lockKey = (id: number) => `${prefix}:notice-progress:${id}`;

  /** Edits the message; returns the acknowledged count it shows, or undefined when nothing was edited. */
  const edit = async (notice: Notice, final: boolean): Promise<number | undefined> => {
    try {
      const identity = await findIdentity(ctx.db, notice.progress_identity_id!);
      const adapter = identity ? ctx.adapters.get(identity.platform) : undefined;
      if (!identity || !adapter?.edit || !adapter.capabilities.edits) return undefined;
      const messageId = notice.progress_message_id
        ?? (notice.progress_outbox_id === null ? null : (await findOutbox(ctx.db, notice.progress_outbox_id))?.sent_message_id ?? null);
      if (!messageId) return undefined;
      const t = copyFor(identity.locale, ctx.defaultLocale);
      const counts = toNoticeCounts(await countByStatus(ctx.db, notice.id));
      const account = ctx.accountOf(identity.platform);
      const rate = ctx.settings.ratePerS[identity.platform] ?? 0;
      await ctx.pacer.acquire(account, identity.chat_id, rate, 0);
      await ctx.pacer.admit(account, identity.chat_id, rate, 0);
      await adapter.edit(identity.chat_id, messageId, { text: t.notice.progress(notice.id, notice.title, counts, final) });
      return counts.acked;
    } catch (err) {
      // A lost edit is shown by the next one (or the final summary); never fail a delivery for it.
      ctx.logger.debug({ noticeId: notice.id, err: String(err) }, 'notices: progress edit failed');
      return undefined;
    }
  };

  const remember = async (noticeId: number, acked: number | undefined): Promise<void> => {
    if (acked !== undefined) await redis.set(shownKey(noticeId), String(acked), 'PX', ACK_FOLLOW_MS);
  };

  return {
    async update(notice, final = false) {
      if (notice.progress_identity_id === null) return;
      // Checked here first so a lane asks Redis about once per interval, not once per send.
      const nowMs = Date.now();
      if (!final && nowMs - (lastTry.get(notice.id) ?? 0) < ctx.settings.progressIntervalMs) return;
      lastTry.set(notice.id, nowMs);
      if (!final && (await redis.set(lockKey(notice.id), '1', 'PX', ctx.settings.progressIntervalMs, 'NX')) !== 'OK') return;
      const acked = await edit(notice, final);
      if (final) await remember(notice.id, acked);
    },
    async followAcks(notice) {
      if (notice.progress_identity_id === null || notice.status !== 'sent') return;
      const acked = await countAcked(ctx.db, notice.id);
      const shown = await redis.get(shownKey(notice.id));
      if (shown !== null && Number(shown) === acked) return;
      if ((await redis.set(lockKey(notice.id), '1', 'PX', ctx.settings.progressIntervalMs, 'NX')) !== 'OK') return;
      await remember(notice.id, await edit(notice, true));
    },
  };
}
