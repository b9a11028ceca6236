import type { JobsOptions, Queue } from 'bullmq';
import type { Logger } from '../logger.js';
import { addJobs } from '../scheduler/queue-service.js';
import { outboxJobId } from '../scheduler/queues.js';
import type { Waker } from './types.js';
import type { WakeUp } from './sweep.js';
import type { OutboxJobData } from './types.js';

/** Jobs added per round trip. */
const BATCH = 500;
/** Name of every job on an outbox queue. */
export const DRAIN_JOB_NAME = 'drain';
/** A drain that failed on an error of ours (database down) is tried again a few times; the sweep covers the rest. */
const JOB_OPTIONS: JobsOptions = { removeOnComplete: true, removeOnFail: true, attempts: 3, backoff: { type: 'exponential', delay: 1000 } };

/** Adds wake-ups as drain jobs; `add` takes many at once, `waker` is the drain's view of it. */
export interface WakeUps {
  add(wakeUps: readonly WakeUp[]): Promise<void>;
  waker: Waker;
}

/**
 * Drain jobs of process `owner`: job id `outbox-<head>-<owner>` (`-t<dueMs>` when delayed), so
 * waking a chat twice adds one job, and a job a stopped process left behind never takes the id.
 * `now` is the real clock (BullMQ delays).
 */
export function createWakeUps(queue: Queue<OutboxJobData>, owner: string, now: () => number): WakeUps {
  const add = async (wakeUps: readonly WakeUp[]): Promise<void> => {
    const at = now();
    await addJobs(queue, wakeUps.map((w) => {
      const dueMs = w.dueMs === undefined ? undefined : Math.max(0, Math.round(w.dueMs));
      return {
        name: DRAIN_JOB_NAME, data: { platform: w.chat.platform, chatId: w.chat.chatId },
        opts: { ...JOB_OPTIONS, jobId: outboxJobId(w.headId, owner, dueMs), delay: dueMs === undefined ? 0 : Math.max(0, dueMs - at) },
      };
    }), BATCH);
  };
  return {
    add,
    waker: {
      now: (chat, headId) => add([{ chat, headId }]),
      at: (chat, headId, dueMs) => add([{ chat, headId, dueMs }]),
    },
  };
}

/** Runs `run` every `ms` (never two at once); a failure is logged. The timer does not keep the process alive. */
export function every(ms: number, what: string, logger: Logger, run: () => Promise<unknown>): NodeJS.Timeout {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    run().catch((err: unknown) => logger.error({ err: String(err) }, `outbox: ${what} failed`)).finally(() => { running = false; });
  }, ms);
  timer.unref();
  return timer;
}
