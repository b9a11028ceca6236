/**
 * A part of the application built later in start-up, handed to a part built earlier that needs
 * it (the chat channels exist before the outbox that delivers their alerts). Set exactly once, by
 * the composition root; readers see plainly whether it exists yet.
 */
export interface Later<T> {
  /** Provides the value; a second call throws (each part is wired once). */
  set(value: T): void;
  /** The value, or undefined while start-up has not built it. */
  peek(): T | undefined;
  /** The value; throws naming it when start-up has not built it. */
  get(): T;
}

/** A {@link Later} named `what` (for the error when it is read too early or set twice). */
export function later<T>(what: string): Later<T> {
  let value: { v: T } | undefined;
  return {
    set(v) {
      if (value) throw new Error(`${what} is already wired`);
      value = { v };
    },
    peek: () => value?.v,
    get() {
      if (!value) throw new Error(`${what} used before start-up finished`);
      return value.v;
    },
  };
}
