/**
 * `npm run bench [-- --only inquiry|import|deadlines|notices|zalo-webhook|acks|files|dashboard] [-- --quick]`: runs the benchmarks and prints one
 * table, each figure beside the bound it is measured against. Exits 0 when every benchmark ran
 * (even if a bound was missed: the table says so), 1 when a benchmark itself broke. The dashboard
 * bench also takes `--part queries|annual` and `--keep-db DIR` (seed once, reuse on later runs).
 * `--db sqlite` leaves PostgreSQL out even when a server answers (`--db postgres` leaves SQLite out
 * of the inquiry bench), for investigations of one database.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { formatTable, round, type BenchRow } from './bench-helpers.js';
import { findPostgres } from './bench-db.js';
import { benchAcks } from './ack-bench.js';
import { benchDeadlines } from './deadline-bench.js';
import { benchFiles } from './files-bench.js';
import { benchImport } from './import-bench.js';
import { benchInquiries, FULL_PLAN, QUICK_PLAN } from './inquiry-bench.js';
import { benchNotices } from './notice-bench.js';
import { benchZaloWebhook } from './zalo-webhook-bench.js';
import { benchDashboard } from './dashboard-bench.js';

type Section = 'inquiry' | 'import' | 'deadlines' | 'notices' | 'zalo-webhook' | 'acks' | 'files' | 'dashboard';
const SECTIONS: readonly Section[] = ['inquiry', 'import', 'deadlines', 'notices', 'zalo-webhook', 'acks', 'files', 'dashboard'];

/** The parsed command line. */
interface Options {
  only?: Section;
  quick: boolean;
  /** Dashboard bench: keep the seeded databases here and reuse them on the next run (`--keep-db DIR`). */
  keepDb?: string;
  /** Dashboard bench: only the queries or only the annual report (`--part queries|annual`). */
  part?: 'queries' | 'annual';
  /** Only this database (`--db sqlite|postgres`); both by default. */
  db?: 'sqlite' | 'postgres';
}

function parseOptions(argv: readonly string[]): Options {
  const { values } = parseArgs({ args: [...argv], options: { only: { type: 'string' }, quick: { type: 'boolean', default: false }, 'keep-db': { type: 'string' }, part: { type: 'string' }, db: { type: 'string' } } });
  const only = values.only as Section | undefined;
  if (only !== undefined && !SECTIONS.includes(only)) {
    throw new Error(`--only takes ${SECTIONS.map((x) => `"${x}"`).join(', ')}, not "${values.only}"`);
  }
  const part = values.part;
  if (part !== undefined && part !== 'queries' && part !== 'annual') throw new Error(`--part takes "queries" or "annual", not "${part}"`);
  const db = values.db;
  if (db !== undefined && db !== 'sqlite' && db !== 'postgres') throw new Error(`--db takes "sqlite" or "postgres", not "${db}"`);
  return { ...(only ? { only } : {}), ...(db ? { db } : {}), quick: values.quick ?? false, ...(values['keep-db'] ? { keepDb: values['keep-db'] } : {}), ...(part ? { part } : {}) };
}

const started = performance.now();
function log(message: string): void {
  console.error(`[bench ${round((performance.now() - started) / 1000)} s] ${message}`);
}

/** A section's outcome: its rows and remarks, or why it broke. */
interface SectionResult {
  rows: BenchRow[];
  notes: string[];
  error?: unknown;
}

async function runSection(name: string, fn: () => Promise<{ rows: BenchRow[]; notes: string[] }>): Promise<SectionResult> {
  log(`${name}: start`);
  try {
    const result = await fn();
    log(`${name}: done`);
    return result;
  } catch (error) {
    log(`${name}: FAILED`);
    return { rows: [], notes: [], error };
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const postgresUrl = options.db === 'sqlite' ? undefined : await findPostgres();
  // The import bench reads TEST_POSTGRES_URL itself: cover PostgreSQL there too when the default server answers.
  if (postgresUrl && !process.env.TEST_POSTGRES_URL) process.env.TEST_POSTGRES_URL = postgresUrl;
  log(`PostgreSQL: ${postgresUrl ? 'available' : 'not available, SQLite only'}${options.quick ? '; quick run' : ''}`);

  const results: SectionResult[] = [];
  const wants = (section: Section) => options.only === undefined || options.only === section;
  if (wants('inquiry')) {
    results.push(await runSection('inquiry', () => benchInquiries({ plan: options.quick ? QUICK_PLAN : FULL_PLAN, postgresUrl, sqlite: options.db !== 'postgres', log })));
  }
  if (wants('import')) {
    results.push(await runSection('import', async () => ({ rows: await benchImport(), notes: [] })));
  }
  if (wants('deadlines')) {
    results.push(await runSection('deadlines', async () => ({ rows: await benchDeadlines({ quick: options.quick }), notes: [] })));
  }

  if (wants('notices')) {
    results.push(await runSection('notices', async () => ({ rows: await benchNotices({ quick: options.quick, log }), notes: [] })));
  }

  if (wants('zalo-webhook')) {
    results.push(await runSection('zalo-webhook', async () => ({ rows: await benchZaloWebhook({ quick: options.quick }), notes: [] })));
  }
  if (wants('acks')) {
    results.push(await runSection('acks', () => benchAcks({ quick: options.quick, postgresUrl, log })));
  }

  if (wants('files')) {
    results.push(await runSection('files', async () => ({ rows: await benchFiles({ quick: options.quick, log }), notes: [] })));
  }

  if (wants('dashboard')) {
    results.push(await runSection('dashboard', async () => ({ rows: await benchDashboard({ quick: options.quick, postgresUrl, log, keepDb: options.keepDb, part: options.part }), notes: [] })));
  }

  console.log(formatTable(results.flatMap((r) => r.rows)));
  for (const note of results.flatMap((r) => r.notes)) console.log(`note: ${note}`);
  const errors = results.flatMap((r) => (r.error === undefined ? [] : [r.error]));
  for (const error of errors) console.error(`bench broke: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  console.log(`bench took ${round((performance.now() - started) / 1000)} s`);
  return errors.length > 0 ? 1 : 0;
}

main().then((code) => {
  process.exitCode = code;
}, (err: unknown) => {
  console.error(err instanceof Error ? err.stack ?? err.message : String(err));
  process.exitCode = 1;
});
