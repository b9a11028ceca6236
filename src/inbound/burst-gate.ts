import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Lets acknowledgements go before processing during a burst. Storing an event (the ack) is short;
 * running its flow and delivering the answers is not, and all of it shares one thread: when 150
 * webhooks arrive together, every flow run between two of them delays the later acks. So a flow
 * waits until no event has arrived for `quietMs`, or until it has waited `maxDeferMs` (so a steady
 * stream never starves processing). A lone event waits `quietMs`; a chat does not notice that.
 */
export interface BurstGate {
  /** An event was just stored. */
  arrived(): void;
  /** Resolves when a flow queued at `queuedAt` (the timing's `now()`) may run. */
  wait(queuedAt: number): Promise<void>;
}

/** The time source and the wait (tests pass their own). */
export interface BurstGateTiming {
  /** Monotonic ms (default `performance.now`). */
  now(): number;
  sleep(ms: number): Promise<unknown>;
}

const realTiming: BurstGateTiming = { now: () => performance.now(), sleep: (ms) => sleep(ms) };

/** Creates a {@link BurstGate}; `quietMs` 0 turns it off. */
export function createBurstGate(quietMs: number, maxDeferMs: number, timing: BurstGateTiming = realTiming): BurstGate {
  let lastArrival = Number.NEGATIVE_INFINITY;
  return {
    arrived() { lastArrival = timing.now(); },
    async wait(queuedAt) {
      for (;;) {
        const now = timing.now();
        const quietFor = now - lastArrival;
        const deferredFor = now - queuedAt;
        if (quietMs <= 0 || quietFor >= quietMs || deferredFor >= maxDeferMs) return;
        await timing.sleep(Math.max(1, Math.min(quietMs - quietFor, maxDeferMs - deferredFor)));
      }
    },
  };
}
