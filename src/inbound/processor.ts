import type { InboundEvent, Platform } from '../../adapters/types.js';
import type { Db } from '../../db/client.js';
import { insertInbound, listPendingInbound, markInboundDone, markInboundFailed } from '../../db/repositories/inbound.js';
import { releaseHeldInChat } from '../../db/repositories/outbox.js';
import type { FlowSettings } from '../../flows/context.js';
import { handleInboundEvent } from '../../flows/handle.js';
import { genericErrorReply } from './error-reply.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../time/clock.js';
import { createKeyedSerializer } from './serializer.js';

/** Options for {@link createInboundProcessor}. */
export interface InboundProcessorOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  settings: FlowSettings;
  /** Hands committed outbox rows to the dispatcher. */
  enqueueOutbox(ids: readonly number[]): Promise<void>;
  /** Re-plans the deadline jobs of inquiries whose deadline changed. */
  syncDeadlines(inquiryIds: readonly number[]): Promise<void>;
  /** Queues the deliveries of notices confirmed by an event; optional (the boot reconciliation also does it). */
  startNotices?(noticeIds: readonly number[]): Promise<void>;
  /** Counts events for metrics; optional. */
  onEvent?(platform: Platform, kind: string, duplicate: boolean): void;
  /**
   * Work on a persisted event before its flow's transaction (fetching and storing its files);
   * must be idempotent (an event is prepared again after a crash). Default: none.
   */
  prepare?(event: InboundEvent): Promise<InboundEvent>;
}

/** Accepts inbound events from adapters: persist once, then process in order per chat. */
export interface InboundProcessor {
  /** Persists the event (deduplicated by platform + eventId) and schedules processing. Resolves once persisted. */
  accept(event: InboundEvent): Promise<void>;
  /** Processes events persisted but never processed (after a crash). Returns how many. */
  recover(): Promise<number>;
  /** Resolves when every accepted event has been processed. */
  drain(): Promise<void>;
}

type StoredEvent = Omit<InboundEvent, 'raw' | 'at'> & { at: string };

/** Creates the inbound pipeline: adapter → persisted event → flow in one transaction → outbox. */
export function createInboundProcessor(o: InboundProcessorOptions): InboundProcessor {
  const serial = createKeyedSerializer();

  const process = async (platform: Platform, eventId: string, received: InboundEvent): Promise<void> => {
    let event = received;
    let now = o.clock.now();
    try {
      if (o.prepare) {
        event = await o.prepare(received);
        now = o.clock.now();
      }
      const outcome = await o.db.transaction().execute(async (tx) => {
        if (!(await markInboundDone(tx, platform, eventId, now.toISOString()))) return { outboxIds: [], deadlineIds: [] };
        const handled = await handleInboundEvent(tx, event, now, o.settings);
        // The person wrote, so a closed reply window (Zalo OA) is open again: what waited for this
        // chat goes out first (older ids are delivered first within a chat), committed with the
        // new last_inbound_at so the delivery sees the window open.
        const released = await releaseHeldInChat(tx, 'outbox', platform, event.chatId);
        return { ...handled, outboxIds: [...released, ...handled.outboxIds] };
      });
      if (outcome.outboxIds.length > 0) await o.enqueueOutbox(outcome.outboxIds);
      // A failed sync is repaired by the boot-time reconciliation; it must not fail the event.
      if (outcome.deadlineIds.length > 0) await o.syncDeadlines(outcome.deadlineIds).catch((err: unknown) => o.logger.error({ err }, 'deadline sync failed'));
      // Like deadlines: the periodic notice reconciliation queues what a failure here left out.
      if (outcome.noticeIds?.length) await o.startNotices?.(outcome.noticeIds).catch((err: unknown) => o.logger.error({ err }, 'notice start failed'));
    } catch (err) {
      o.logger.error({ err, platform, eventId, kind: event.kind }, 'inbound event failed');
      // Each step below is best effort, but never silent: a failure here means the sender may get no reply.
      const logged = (what: string) => (e: unknown) => { o.logger.error({ err: e, platform, eventId }, what); };
      await markInboundFailed(o.db, platform, eventId, String(err), now.toISOString()).catch(logged('could not mark the inbound event failed; it will be retried at the next start'));
      const ids = await genericErrorReply(o.db, event, now, o.settings).catch((e: unknown) => { logged('could not queue the apology to the sender')(e); return []; });
      if (ids.length > 0) await o.enqueueOutbox(ids).catch(logged('could not enqueue the apology; the boot reconciliation will send it'));
    }
  };

  const schedule = (event: InboundEvent) => {
    void serial.run(`${event.platform}:${event.chatId}`, () => process(event.platform, event.eventId, event));
  };

  return {
    async accept(event) {
      const stored: StoredEvent = { ...withoutRaw(event), at: event.at.toISOString() };
      const fresh = await insertInbound(o.db, event.platform, event.eventId, JSON.stringify(stored), o.clock.now().toISOString());
      o.onEvent?.(event.platform, event.kind, !fresh);
      if (!fresh) {
        o.logger.info({ platform: event.platform, eventId: event.eventId }, 'duplicate inbound event ignored');
        return;
      }
      schedule(event);
    },
    async recover() {
      const pending = await listPendingInbound(o.db);
      for (const p of pending) {
        const parsed = JSON.parse(p.payload) as StoredEvent;
        schedule({ ...parsed, at: new Date(parsed.at), raw: null } as InboundEvent);
      }
      return pending.length;
    },
    drain: () => serial.idle(),
  };
}

function withoutRaw(event: InboundEvent): Omit<InboundEvent, 'raw'> {
  const { raw: _raw, ...rest } = event;
  return rest;
}
