import type { Redis } from 'ioredis';
import { findIdentity } from '../../db/repositories/identities.js';
import { setSummaryShown, type SummaryShown } from '../../db/repositories/notices-write.js';
import { findOutbox } from '../../db/repositories/outbox.js';
import type { Notice } from '../../db/schema.js';
import { copyFor, type Copy } from '../../flows/copy/index.js';
import type { NoticeCounts } from '../../flows/copy/notice-types.js';
import { noticeTally } from '../../flows/notices/status.js';
import type { NoticeContext } from './types.js';

/** How long after a broadcast finished its progress message still follows acknowledgements, in ms. */
export const ACK_FOLLOW_MS = 3 * 24 * 3_600_000;

/** Edits coordinators' progress messages in place, at most once per interval per notice across processes. */
export interface ProgressReporter {
  /**
   * Edits the progress message unless it was edited less than the interval ago (or `final`).
   * `counts`: the tally to show (the final summary's, so both read the same); read afresh when absent.
   */
  update(notice: Notice, final?: boolean, counts?: NoticeCounts): Promise<void>;
  /**
   * After the broadcast finished: edits the final progress message again when its tally changed
   * since it was last shown — an acknowledgement, or a held recipient reached or failed later — at
   * most once per interval per notice, across processes; and the final summary too when a
   * delivery settled (not for an acknowledgement alone).
   */
  followAcks(notice: Notice): Promise<void>;
}

/** What a tally shows, to tell whether the message must change. */
function fingerprint(c: NoticeCounts): string {
  return [c.total, c.pending, c.sent, c.failed, c.unreachable, c.notJoined, c.held, c.acked].join('/');
}

/** What a final summary written with `c` shows: where the deliveries stand, acknowledgements aside (it is edited only when this changes). */
export function summaryShown(c: NoticeCounts): SummaryShown {
  return { tally: [c.total, c.pending, c.sent, c.failed, c.unreachable, c.notJoined, c.held].join('/'), held: c.held };
}

export function createProgressReporter(ctx: NoticeContext, redis: Redis, prefix: string): ProgressReporter {
  const lastTry = new Map<number, number>();
  const shownKey = (id: number) => `${prefix}:notice-acked-shown:${id}`;
  const lockKey = (id: number) => `${prefix}:notice-progress:${id}`;

  /** Edits a message of the coordinator's chat to `text(t)`; true when it did. `outboxId` names the message when `messageId` is not known. */
  const editOne = async (notice: Notice, messageId: string | null, outboxId: number | null | undefined, text: (t: Copy) => string): Promise<boolean> => {
    try {
      const identity = await findIdentity(ctx.db, notice.progress_identity_id!);
      const adapter = identity ? ctx.adapters.get(identity.platform) : undefined;
      if (!identity || !adapter?.edit || !adapter.capabilities.edits) return false;
      const id = messageId ?? (outboxId == null ? null : (await findOutbox(ctx.db, outboxId))?.sent_message_id ?? null);
      if (!id) return false;
      const account = ctx.accountOf(identity.platform);
      const rate = ctx.settings.ratePerS[identity.platform] ?? 0;
      await ctx.pacer.acquire(account, identity.chat_id, rate, 0);
      await ctx.pacer.admit(account, identity.chat_id, rate, 0);
      await adapter.edit(identity.chat_id, id, { text: text(copyFor(identity.locale, ctx.defaultLocale)) });
      return true;
    } catch (err) {
      // A lost edit is shown by the next one (or the final summary); never fail a delivery for it.
      ctx.logger.debug({ noticeId: notice.id, err: String(err) }, 'notices: progress edit failed');
      return false;
    }
  };

  /** Edits the progress message; returns the tally it shows (as a fingerprint), or undefined when nothing was edited. */
  const edit = async (notice: Notice, final: boolean, given?: NoticeCounts): Promise<string | undefined> => {
    const counts = given ?? await noticeTally(ctx.db, notice.id);
    const done = await editOne(notice, notice.progress_message_id, notice.progress_outbox_id, (t) => t.notice.progress(notice.id, notice.title, counts, final));
    return done ? fingerprint(counts) : undefined;
  };

  /** Whether a delivery settled since the final summary was written (a held recipient reached or failed later). */
  const summaryStale = (notice: Notice, counts: NoticeCounts): boolean =>
    Boolean(notice.summary_outbox_id) && notice.summary_shown != null && notice.summary_shown !== summaryShown(counts).tally;
  /** The one-time final summary, edited again — not for each acknowledgement (the progress message follows those). */
  const followSummary = async (notice: Notice, counts: NoticeCounts): Promise<void> => {
    if (await editOne(notice, null, notice.summary_outbox_id, (t) => t.notice.summary(notice.id, notice.title, counts))) {
      await setSummaryShown(ctx.db, notice.id, summaryShown(counts));
    }
  };

  const remember = async (noticeId: number, shown: string | undefined): Promise<void> => {
    if (shown !== undefined) await redis.set(shownKey(noticeId), shown, 'PX', ACK_FOLLOW_MS);
  };

  return {
    async update(notice, final = false, counts) {
      if (notice.progress_identity_id === null) return;
      // Checked here first so a lane asks Redis about once per interval, not once per send.
      const nowMs = Date.now();
      if (!final && nowMs - (lastTry.get(notice.id) ?? 0) < ctx.settings.progressIntervalMs) return;
      lastTry.set(notice.id, nowMs);
      if (!final && (await redis.set(lockKey(notice.id), '1', 'PX', ctx.settings.progressIntervalMs, 'NX')) !== 'OK') return;
      const shown = await edit(notice, final, counts);
      if (final) await remember(notice.id, shown);
    },
    async followAcks(notice) {
      if (notice.progress_identity_id === null || notice.status !== 'sent') return;
      const counts = await noticeTally(ctx.db, notice.id);
      const progressStale = (await redis.get(shownKey(notice.id))) !== fingerprint(counts);
      const summary = summaryStale(notice, counts);
      if (!progressStale && !summary) return;
      if ((await redis.set(lockKey(notice.id), '1', 'PX', ctx.settings.progressIntervalMs, 'NX')) !== 'OK') return;
      if (progressStale) await remember(notice.id, await edit(notice, true, counts));
      if (summary) await followSummary(notice, counts);
    },
  };
}
