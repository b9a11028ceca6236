/** Options of {@link createPacer}. */
export interface PacerOptions {
  /** Least time between the starts of two calls, in ms. */
  minIntervalMs: number;
  /** A random extra of 0 to this many ms is added to each gap, so the rhythm does not look automated. */
  jitterMs: number;
  /** Current time in epoch ms. */
  now: () => number;
  /** Waits `ms` milliseconds. */
  sleep: (ms: number) => Promise<void>;
  /** Uniform random number in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/** Runs tasks one at a time, in call order, with a paced gap between their starts. */
export type Pacer = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * A personal account that sends in bursts looks like spam to Zalo and gets locked, so every call
 * to the account goes through one queue: serial, and each start at least `minIntervalMs` (+ jitter)
 * after the previous one started. A failed call still counts (Zalo saw the request).
 */
export function createPacer(options: PacerOptions): Pacer {
  const random = options.random ?? Math.random;
  let tail: Promise<unknown> = Promise.resolve();
  let nextAt = Number.NEGATIVE_INFINITY;
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = async (): Promise<T> => {
      const waitMs = nextAt - options.now();
      if (waitMs > 0) await options.sleep(waitMs);
      const startedAt = options.now();
      nextAt = startedAt + options.minIntervalMs + Math.floor(random() * Math.max(0, options.jitterMs));
      return task();
    };
    const result = tail.then(run, run);
    tail = result.catch(() => undefined);
    return result;
  };
}
