// The worker thread that writes the annual report's XLSX (started by annual-file.ts; bundled as a
// second entry of src/liaison.mjs). It builds the sheets' XML, encodes and deflates it, and writes
// the file, so none of that runs on the bot's event loop. It reads the listing itself with a
// read-only connection of its own (`source`), or receives its pages over `port`.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { createDb } from '../../db/client.js';
import { evidenceTuplePages, type EvidenceTuple } from '../../db/repositories/annual-listing.js';
import type { EvidenceKind } from '../../db/repositories/stats-figures.js';
import { pullListings, serializeError } from './annual-listing-channel.js';
import { writeAnnualXlsx } from './annual-xlsx.js';
import type { AnnualWorkerData, AnnualWorkerOutcome } from './annual-file.js';

const { report, file, port, source } = workerData as AnnualWorkerData;

/** The listing's pages: read here when the worker has the database, else pulled from the starting thread. */
function listing(): { pages(kind: EvidenceKind): AsyncGenerator<EvidenceTuple[]>; close(): Promise<void> } {
  const q = report.listing;
  if (source && q) {
    // Three listings are read at once (the later two ahead, while the first is written).
    const handle = createDb({ ...source, readOnly: true, pgPoolSize: 3 });
    const names = new Map(q.orgNames);
    return { pages: (kind) => evidenceTuplePages(handle.db, kind, q.fromIso, q.toIso, q.orgIds, names), close: () => handle.close() };
  }
  return { pages: pullListings(port!), close: async () => { port!.close(); } };
}

async function run(): Promise<void> {
  // `wx`: a new file of its own (600), never one that was there (or a link placed there).
  const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
  // A failed write (disk full, the folder gone) ends the report at once, whatever it awaits then.
  const failed = once(out, 'error').then(([err]) => { throw err; });
  failed.catch(() => undefined);
  const list = listing();
  try {
    await Promise.race([
      (async () => {
        await writeAnnualXlsx({ ...report, evidenceTuples: list.pages }, out);
        await finished(out);
      })(),
      failed,
    ]);
  } finally {
    await list.close();
  }
}

let outcome: AnnualWorkerOutcome;
try {
  await run();
  outcome = { type: 'done' };
} catch (err) {
  outcome = { type: 'error', error: serializeError(err) };
}
parentPort?.postMessage(outcome);
