import { isClaimLive, listChatHeads, type OutboxChat } from '../../db/repositories/outbox-claims.js';
import type { OutboxRow } from '../../db/schema.js';
import type { DeliveryContext } from './types.js';

/** A wake-up to add: the chat, its oldest pending row, and when (epoch ms; absent: now). */
export interface WakeUp {
  chat: OutboxChat;
  headId: number;
  dueMs?: number;
}

/** What one sweep found. */
export interface SweepReport {
  /** Chats with pending rows this process can send. */
  chats: number;
  /** Chats whose send in flight lost its process (claim lapsed), resumed now. */
  stalled: number;
}

/** Checks every chat with pending rows; see {@link createSweeper}. */
export interface Sweeper {
  /** `force`: wake every chat found, even those woken lately (after Redis lost its data). */
  run(options?: { force?: boolean }): Promise<SweepReport>;
}

/** A chat woken by this sweeper is not woken again for this many sweeps (its job is queued or ran). */
const QUIET_SWEEPS = 10;

/**
 * The safety net under the jobs (run at boot, every `sweepMs`, and after Redis lost its data):
 * one query for the oldest pending row of every chat, then a wake-up for each chat that is not
 * being sent right now — due rows at once, rows waiting for a rate limit or backoff at their due
 * time. Job ids are per process and row, so this adds nothing for chats already queued here. A
 * chat whose head is claimed by a process that stopped (its claim lapsed) is stalled: logged once,
 * counted in `outbox_stalled_chats_total`, and woken, which sends the interrupted row again.
 */
export function createSweeper(ctx: DeliveryContext, add: (wakeUps: readonly WakeUp[]) => Promise<void>, sweepMs: number): Sweeper {
  const reported = new Set<string>();
  /** Wake-ups this sweeper added lately (`<head>@<due>` → when), so a long backlog is not re-added every second. */
  const recent = new Map<string, number>();
  return {
    async run(options = {}) {
      const heads = (await listChatHeads(ctx.db, ctx.queueName)).filter((h) => ctx.adapters.has(h.platform));
      const nowMs = ctx.lease.now();
      const nowIso = new Date(nowMs).toISOString();
      const request = { owner: ctx.lease.owner, nowIso, inFlightHere: (id: number) => ctx.lease.holds(id), ownerGone: (owner: string) => ctx.lease.isGone(owner) };
      const wakeUps: WakeUp[] = [];
      let stalled = 0;
      let oldestWaitMs = 0;
      const stillStalled = new Set<string>();
      /** Heads whose claim lapsed: always woken (their sender is gone). */
      const lapsed = new Set<number>();
      for (const head of heads) {
        const chat: OutboxChat = { queue: head.queue, platform: head.platform, chatId: head.chat_id };
        if (head.lease_owner !== null) {
          if (isClaimLive(head, request)) continue;
          const key = `${head.id}@${head.lease_until ?? ''}`;
          stillStalled.add(key);
          lapsed.add(head.id);
          if (!reported.has(key)) {
            reported.add(key);
            stalled += 1;
            noteStalled(ctx, head, nowMs);
          }
          wakeUps.push({ chat, headId: head.id });
        } else if (head.next_attempt_at !== null && head.next_attempt_at > nowIso) {
          wakeUps.push({ chat, headId: head.id, dueMs: Date.parse(head.next_attempt_at) });
        } else {
          oldestWaitMs = Math.max(oldestWaitMs, nowMs - Date.parse(head.next_attempt_at ?? head.created_at));
          wakeUps.push({ chat, headId: head.id });
        }
      }
      for (const key of reported) if (!stillStalled.has(key)) reported.delete(key);
      ctx.metrics?.outboxOldestWaitSeconds.set(Number.isFinite(oldestWaitMs) ? Math.max(0, oldestWaitMs) / 1000 : 0);
      const keyOf = (w: WakeUp) => `${w.headId}@${w.dueMs ?? ''}`;
      const quietSince = nowMs - QUIET_SWEEPS * sweepMs;
      const due = wakeUps.filter((w) => options.force || lapsed.has(w.headId) || (recent.get(keyOf(w)) ?? 0) < quietSince);
      const present = new Set(wakeUps.map(keyOf));
      for (const key of recent.keys()) if (!present.has(key)) recent.delete(key);
      await add(due);
      for (const w of due) recent.set(keyOf(w), nowMs);
      return { chats: heads.length, stalled };
    },
  };
}

function noteStalled(ctx: DeliveryContext, head: OutboxRow, nowMs: number): void {
  ctx.metrics?.outboxStalledChatsTotal.inc({ platform: head.platform });
  const lapsedMs = nowMs - Date.parse(head.lease_until ?? '');
  // A negative lapse: the claim was cut short because its process is known to be dead (LeaseKeeper.isGone).
  ctx.logger.warn({ outboxId: head.id, platform: head.platform, owner: head.lease_owner, lapsedMs: Number.isFinite(lapsedMs) ? lapsedMs : undefined, ownerGone: lapsedMs < 0 },
    'outbox: chat stalled behind a send whose process stopped; resuming it');
}
