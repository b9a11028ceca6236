/** The source of "now". Injected everywhere so tests control time without sleeping. */
export interface Clock {
  /** The current instant. */
  now(): Date;
}

/** The real wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand. */
export interface ManualClock extends Clock {
  set(at: Date | string): void;
  advance(ms: number): void;
}

/** Creates a {@link ManualClock} starting at `start`. */
export function createManualClock(start: Date | string): ManualClock {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (at) => { current = new Date(at); },
    advance: (ms) => { current = new Date(current.getTime() + ms); },
  };
}

/** The time zone of every wall-clock rule (rules.md): UTC+7, no daylight saving. */
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';
