import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { MessageChannel, Worker, type MessagePort, type ResourceLimits } from 'node:worker_threads';
import { sqlitePath, type DbSource } from '../../db/client.js';
import { workerEntry } from '../worker-entry.js';
import { annualReportData, type AnnualReportData, type AnnualXlsxSource } from './annual.js';
import { deserializeError, serveListings, type SerializedError } from './annual-listing-channel.js';
import { tuplePages } from './annual-xlsx.js';

/** What the worker thread is given (structured-cloned; `port` transferred). */
export interface AnnualWorkerData {
  report: AnnualReportData;
  /** The file it creates (600) and writes; renamed into place by the starting thread. */
  file: string;
  /** The database, when the worker reads the listing itself (read-only, a connection of its own). */
  source?: DbSource;
  /** Otherwise its end of the listing's channel (annual-listing-channel.ts). */
  port?: MessagePort;
}

/** The worker's last message. */
export type AnnualWorkerOutcome = { type: 'done' } | { type: 'error'; error: SerializedError };

/** The report's worker thread stopped before it finished the file (it crashed, ran out of memory, or was ended). */
export class AnnualWorkerExitError extends Error {
  constructor(readonly exitCode: number | null, cause?: Error) {
    super(`Không tạo được tệp báo cáo năm: luồng tạo tệp dừng đột ngột (mã ${exitCode ?? '–'}) / The annual report's file could not be made: its worker thread stopped (exit code ${exitCode ?? '–'}).`, cause ? { cause } : undefined);
    this.name = 'AnnualWorkerExitError';
  }
}

/** Options of {@link writeAnnualXlsxFile}. */
export interface AnnualFileOptions {
  /** Aborting ends the worker thread and removes the unfinished file; the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /** The worker thread's heap bounds (Node's `ResourceLimits`, in MB). Default: Node's own. */
  resourceLimits?: ResourceLimits;
  /**
   * The report's database (`DbHandle.source`): the worker then reads the listing itself, with a
   * read-only connection of its own. Without it (or for a database in memory, or a report built in
   * memory), this thread reads the pages and hands them over.
   */
  source?: DbSource;
}

/**
 * Writes the report's XLSX to `path` (600) on a worker thread: reading the listing, building the
 * sheets' XML, encoding and compressing it all run there (with `source`; see
 * {@link AnnualFileOptions.source}), so the bot's event loop only waits. The file is written under
 * a temporary name beside `path` and renamed into place when complete: a failure, a crashed
 * worker or an abort leaves no partial file. An error inside the worker rejects here as the same
 * error (name, message, `code`); a worker that dies rejects with {@link AnnualWorkerExitError}.
 * Same workbook as {@link import('./annual-xlsx.js').writeAnnualXlsx}, which it runs.
 */
export async function writeAnnualXlsxFile(r: AnnualXlsxSource, path: string, o: AnnualFileOptions = {}): Promise<void> {
  const entry = await workerEntry('annual-worker', new URL('./annual-worker.ts', import.meta.url));
  o.signal?.throwIfAborted();
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const own = o.source !== undefined && r.listing !== undefined && sqlitePath(o.source.url) !== ':memory:';
  const channel = own ? undefined : new MessageChannel();
  const server = channel && serveListings(channel.port1, (kind) => tuplePages(r, kind));
  const data: AnnualWorkerData = { report: annualReportData(r), file: temp, ...(channel ? { port: channel.port2 } : { source: o.source! }) };
  const worker = new Worker(entry.url, {
    workerData: data, transferList: channel ? [channel.port2] : [], execArgv: entry.execArgv, ...(o.resourceLimits ? { resourceLimits: o.resourceLimits } : {}),
  });
  try {
    await outcome(worker, o.signal);
    await rename(temp, path);
  } catch (err) {
    // Stopped first, so that it creates nothing after the removal.
    await worker.terminate();
    await rm(temp, { force: true });
    throw err;
  } finally {
    await server?.close();
    await worker.terminate();
  }
}

/** The worker's result: resolves when it wrote the file, rejects with its error, its exit, or the abort. */
function outcome(worker: Worker, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let crash: Error | undefined;
    const onAbort = () => {
      reject(signal!.reason);
      void worker.terminate();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (fn: () => void) => {
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    worker.on('message', (m: AnnualWorkerOutcome) => settle(() => (m.type === 'done' ? resolve() : reject(deserializeError(m.error)))));
    // An uncaught exception or the heap's limit: the 'exit' that follows says it stopped.
    worker.on('error', (err) => { crash = err; });
    worker.on('exit', (code) => settle(() => reject(new AnnualWorkerExitError(code, crash))));
  });
}

/**
 * The report's XLSX as bytes (for an HTTP answer), written by {@link writeAnnualXlsxFile} in a
 * private temporary folder (700) that is removed afterwards.
 */
export async function annualXlsxBytes(r: AnnualXlsxSource, o: AnnualFileOptions = {}): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'liaison-annual-'));
  try {
    const path = join(dir, 'annual.xlsx');
    await writeAnnualXlsxFile(r, path, o);
    return await readFile(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
