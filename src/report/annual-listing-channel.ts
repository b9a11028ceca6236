import type { MessagePort } from 'node:worker_threads';
import type { EvidenceTuple } from '../../db/repositories/annual-listing.js';
import type { EvidenceKind } from '../../db/repositories/stats-figures.js';

/**
 * The annual report's listing handed from the thread that reads it to the thread that writes the
 * XLSX, a page at a time, on the writer's demand: the writer asks for a listing's next page as
 * soon as it receives one, so the reader reads page n+1 (and its own read-ahead, n+2) while page
 * n is turned into XML. At most one page per listing is in flight, so memory stays a few pages.
 */

/** Writer → reader: the next page of `kind`, or (`close`) no more of it. */
export type ListingRequest = { type: 'pull' | 'close'; kind: EvidenceKind };

/** Reader → writer: a page of `kind` (null: the listing is over), or why it could not be read. */
export type ListingReply =
  | { type: 'page'; kind: EvidenceKind; rows: EvidenceTuple[] | null }
  | { type: 'fail'; kind: EvidenceKind; error: SerializedError };

/** An error as it crosses threads: what callers test (`name`, `code`) and read (`message`). */
export interface SerializedError { name: string; message: string; code?: string | undefined; stack?: string | undefined }

/** An error as plain data, for postMessage. */
export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const code = (err as { code?: unknown }).code;
  return { name: err.name, message: err.message, code: typeof code === 'string' ? code : undefined, stack: err.stack };
}

/** The error again, on the receiving thread: same name, message and code, so callers treat it as if thrown here. */
export function deserializeError(e: SerializedError): Error {
  const err = new Error(e.message);
  err.name = e.name;
  if (e.code !== undefined) Object.assign(err, { code: e.code });
  if (e.stack !== undefined) err.stack = e.stack;
  return err;
}

/**
 * Serves the listings read by `pages` on `port` (the reader's side) until {@link ListingServer.close}.
 * Reading runs on this thread's event loop a page at a time; nothing here blocks it longer than a page.
 */
export interface ListingServer {
  /** Closes every listing still open (their connections and statements) and stops answering. */
  close(): Promise<void>;
}

/** Starts serving `pages(kind)` on `port`. */
export function serveListings(port: MessagePort, pages: (kind: EvidenceKind) => AsyncGenerator<EvidenceTuple[]>): ListingServer {
  const open = new Map<EvidenceKind, AsyncGenerator<EvidenceTuple[]>>();
  let closed = false;
  const reply = (m: ListingReply) => { if (!closed) port.postMessage(m); };
  const pull = async (kind: EvidenceKind) => {
    let list = open.get(kind);
    if (!list) open.set(kind, list = pages(kind));
    try {
      const next = await list.next();
      reply({ type: 'page', kind, rows: next.done ? null : next.value });
    } catch (err) {
      reply({ type: 'fail', kind, error: serializeError(err) });
    }
  };
  port.on('message', (m: ListingRequest) => {
    if (m.type === 'pull') void pull(m.kind);
    else void open.get(m.kind)?.return(undefined).catch(() => undefined);
  });
  return {
    async close() {
      closed = true;
      port.close();
      await Promise.all([...open.values()].map((l) => l.return(undefined).catch(() => undefined)));
    },
  };
}

/**
 * The writer's side: each listing as pages pulled from `port`. A listing asks for its next page
 * when it receives one, before handing it on; leaving it early tells the reader to close it.
 */
export function pullListings(port: MessagePort): (kind: EvidenceKind) => AsyncGenerator<EvidenceTuple[]> {
  const waiting = new Map<EvidenceKind, (m: ListingReply) => void>();
  port.on('message', (m: ListingReply) => {
    const resolve = waiting.get(m.kind);
    waiting.delete(m.kind);
    resolve?.(m);
  });
  const pull = (kind: EvidenceKind) => {
    const reply = new Promise<ListingReply>((resolve) => waiting.set(kind, resolve));
    port.postMessage({ type: 'pull', kind } satisfies ListingRequest);
    return reply;
  };
  return async function* pages(kind) {
    let next = pull(kind);
    let done = false;
    try {
      for (;;) {
        const m = await next;
        if (m.type === 'fail') throw deserializeError(m.error);
        if (m.rows === null) {
          done = true;
          return;
        }
        next = pull(kind);
        yield m.rows;
      }
    } finally {
      if (!done) port.postMessage({ type: 'close', kind } satisfies ListingRequest);
    }
  };
}
