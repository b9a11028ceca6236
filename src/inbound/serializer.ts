/** Runs tasks one at a time per key (per chat), and at most `maxConcurrent` at once overall. */
export interface KeyedSerializer {
  run(key: string, task: () => Promise<void>): Promise<void>;
  /** Resolves when no task is queued or running. */
  idle(): Promise<void>;
}

/**
 * Creates a {@link KeyedSerializer}. Tasks must not throw; errors are swallowed to keep the chain
 * alive. The overall bound matters under a burst: every event is already persisted, so waiting
 * costs nothing, while thousands of flow transactions in flight at once cost memory and queue on
 * the database anyway.
 */
export function createKeyedSerializer(maxConcurrent = 8): KeyedSerializer {
  const tails = new Map<string, Promise<void>>();
  const slots = createSemaphore(maxConcurrent);
  let inFlight = 0;
  let waiters: Array<() => void> = [];
  const settle = () => {
    if (inFlight > 0) return;
    const w = waiters;
    waiters = [];
    w.forEach((resolve) => resolve());
  };
  return {
    run(key, task) {
      inFlight += 1;
      const prev = tails.get(key) ?? Promise.resolve();
      const next = prev.then(() => slots.use(task)).catch(() => undefined).finally(() => {
        inFlight -= 1;
        if (tails.get(key) === next) tails.delete(key);
        settle();
      });
      tails.set(key, next);
      return next;
    },
    idle() {
      return inFlight === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
    },
  };
}

function createSemaphore(max: number) {
  let used = 0;
  const queue: Array<() => void> = [];
  return {
    async use(task: () => Promise<void>): Promise<void> {
      if (used >= max) await new Promise<void>((resolve) => queue.push(resolve));
      else used += 1;
      try {
        // Let pending I/O run first: on SQLite a flow transaction runs start to end without
        // yielding (every statement is synchronous), so back-to-back tasks would keep new webhook
        // requests — whose ack only stores the event — waiting until the whole backlog is done.
        await new Promise<void>((resolve) => setImmediate(resolve));
        await task();
      } finally {
        const next = queue.shift();
        if (next) next();
        else used -= 1;
      }
    },
  };
}
