/** A push-based stream of strings that one consumer reads with `for await`. */
export interface Channel extends AsyncIterable<string> {
  /** Queues a chunk; ignored once closed. */
  push(chunk: string): void;
  /** Ends the stream: a pending read resolves `done`, queued chunks are dropped. Idempotent. */
  close(): void;
  readonly closed: boolean;
}

/**
 * Creates a {@link Channel}. Unlike an async generator, its iterator's `return()` takes effect at
 * once even while a read is waiting, so a disconnecting client never leaves a read hanging.
 * @param onClose called once, when the channel closes for any reason (consumer or producer).
 */
export function createChannel(onClose: () => void = () => undefined): Channel {
  const queue: string[] = [];
  let waiting: ((result: IteratorResult<string>) => void) | undefined;
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    queue.length = 0;
    waiting?.({ done: true, value: undefined });
    waiting = undefined;
    onClose();
  };
  const iterator: AsyncIterator<string> = {
    next: () => {
      const chunk = queue.shift();
      if (chunk !== undefined) return Promise.resolve({ done: false, value: chunk });
      if (closed) return Promise.resolve({ done: true, value: undefined });
      return new Promise((resolve) => { waiting = resolve; });
    },
    return: () => {
      close();
      return Promise.resolve({ done: true, value: undefined });
    },
  };
  return {
    push: (chunk) => {
      if (closed) return;
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve({ done: false, value: chunk });
        return;
      }
      queue.push(chunk);
    },
    close,
    get closed() { return closed; },
    [Symbol.asyncIterator]: () => iterator,
  };
}
