/** A queue of "send me a code" requests, worked one at a time away from the requests that made them. */
export interface RequestQueue {
  /** Queues `who`; dropped (silently, like a rate-limited request) when {@link MAX_QUEUED} are waiting. */
  push(who: string): void;
  /** Stops taking requests and waits for the one being worked. */
  close(): Promise<void>;
}

/** Requests waiting at most; beyond, new ones are dropped (the answer to the page is the same). */
export const MAX_QUEUED = 1000;

/**
 * Works each request on a later turn of the event loop, after the HTTP answer was written, and one
 * at a time, so that what a request costs (a directory lookup, and for a known person a code and a
 * message) never shows in the time any answer takes.
 */
export function createRequestQueue(work: (who: string) => Promise<void>, onError: (err: unknown) => void): RequestQueue {
  const waiting: string[] = [];
  let running: Promise<void> | undefined;
  let closed = false;
  const drain = async (): Promise<void> => {
    for (let who = waiting.shift(); who !== undefined && !closed; who = waiting.shift()) {
      await work(who).catch(onError);
    }
    running = undefined;
  };
  return {
    push(who) {
      if (closed || waiting.length >= MAX_QUEUED) return;
      waiting.push(who);
      // setTimeout, not a microtask or setImmediate: the answer is written before any of this runs.
      running ??= new Promise<void>((resolve) => { setTimeout(resolve, 10).unref(); }).then(drain);
    },
    async close() {
      closed = true;
      waiting.length = 0;
      await running;
    },
  };
}
