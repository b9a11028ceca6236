// The worker thread that writes the annual report's XLSX (started by annual-file.ts; bundled as a
// second entry of src/liaison.mjs). It builds the sheets' XML, encodes and deflates it, and writes
// the file, so none of that runs on the bot's event loop; the listing's pages come from the
// thread that started it, over `port`.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { pullListings, serializeError } from './annual-listing-channel.js';
import { writeAnnualXlsx } from './annual-xlsx.js';
import type { AnnualWorkerData, AnnualWorkerOutcome } from './annual-file.js';

const { report, file, port } = workerData as AnnualWorkerData;

async function run(): Promise<void> {
  // `wx`: a new file of its own (600), never one that was there (or a link placed there).
  const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
  // A failed write (disk full, the folder gone) ends the report at once, whatever it awaits then.
  const failed = once(out, 'error').then(([err]) => { throw err; });
  failed.catch(() => undefined);
  await Promise.race([
    (async () => {
      await writeAnnualXlsx({ ...report, evidenceTuples: pullListings(port) }, out);
      await finished(out);
    })(),
    failed,
  ]);
}

let outcome: AnnualWorkerOutcome;
try {
  await run();
  outcome = { type: 'done' };
} catch (err) {
  outcome = { type: 'error', error: serializeError(err) };
}
port.close();
parentPort?.postMessage(outcome);
