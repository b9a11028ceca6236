/** Runs tasks one at a time per key (per chat), concurrently across keys. */
export interface KeyedSerializer {
  run(key: string, task: () => Promise<void>): Promise<void>;
  /** Resolves when no task is queued or running. */
  idle(): Promise<void>;
}

/** Creates a {@link KeyedSerializer}. Tasks must not throw; errors are swallowed to keep the chain alive. */
export function createKeyedSerializer(): KeyedSerializer {
  const tails = new Map<string, Promise<void>>();
  let inFlight = 0;
  let waiters: Array<() => void> = [];
  const settle = () => {
    if (inFlight === 0) {
      const w = waiters;
      waiters = [];
      w.forEach((resolve) => resolve());
    }
  };
  return {
    run(key, task) {
      inFlight += 1;
      const prev = tails.get(key) ?? Promise.resolve();
      const next = prev.then(task).catch(() => undefined).finally(() => {
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
