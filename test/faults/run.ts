/**
 * `npm run faults`: the fault suite of issue #10. Drives the bot as `npm start` runs it under a
 * steady load through the fake Bot API and the fake Zalo OA server, on SQLite and on PostgreSQL (private servers only), injects
 * each fault, and prints a table of what was sent, delivered, lost and repeated against the bounds;
 * then the fuzz pass on each database. Exits 1 when a bound is not met.
 *
 *   npm run faults [-- --only sqlite|postgres] [--plan short|kills] [--skip-fuzz] [--fuzz N]
 *
 * FAULTS_DEBUG=1 prints the first log lines (with their times) of each process restarted after a kill.
 */
import { parseArgs } from 'node:util';
import { runFuzz } from './fuzz.js';
import { canRun, FULL_PLAN, KILL_PLAN, runPlan, SHORT_PLAN } from './plan.js';
import type { FaultOutcome } from './segment.js';
import type { DbKind } from './session.js';
import { faultTable } from './table.js';

const { values } = parseArgs({ options: { only: { type: 'string' }, 'skip-fuzz': { type: 'boolean' }, fuzz: { type: 'string' }, plan: { type: 'string' } } });
const log = (m: string) => console.log(`[faults ${new Date().toISOString().slice(11, 23)}] ${m}`);

const outcomes: FaultOutcome[] = [];
const databases: DbKind[] = values.only ? [values.only as DbKind] : ['sqlite', 'postgres'];
let failed = false;
for (const db of databases) {
  if (!canRun(db)) {
    log(`${db}: skipped (no PostgreSQL server binaries under /usr/lib/postgresql)`);
    failed = true;
    continue;
  }
  try {
    outcomes.push(...await runPlan(db, values.plan === 'short' ? SHORT_PLAN : values.plan === 'kills' ? KILL_PLAN : FULL_PLAN, { reporters: 6, zaloReporters: 2, pauseMs: 300, waitMs: 30_000, log }));
  } catch (err) {
    log(`${db}: the plan stopped: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    failed = true;
  }
}
console.log(`\n${faultTable(outcomes)}\n`);
if (outcomes.some((o) => !o.pass)) failed = true;
if (!values['skip-fuzz']) {
  for (const db of databases.filter(canRun)) {
    const fuzz = await runFuzz({ bodies: Number(values.fuzz ?? 10_000), db, log });
    console.log(`fuzz (${db}): ${JSON.stringify(fuzz)}`);
    if (!fuzz.pass) failed = true;
  }
}
process.exit(failed ? 1 : 0);
