/**
 * The bot as a child process, started exactly as an operator would (`node src/liaison.mjs …`
 * in the repository root), with its output captured and its peak resident memory readable.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository root: the bot's working directory. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = 'src/liaison.mjs';
const OUTPUT_LIMIT = 200;

/**
 * Every configuration key the bot reads (src/config.ts). Keys the bench does not set are passed
 * empty, which the bot treats as unset, so a developer's `.env` cannot change what is measured.
 */
const CONFIG_KEYS = [
  'TELEGRAM_BOT_TOKEN', 'TELEGRAM_API_ROOT', 'TELEGRAM_MODE', 'TELEGRAM_WEBHOOK_SECRET', 'TELEGRAM_BOT_USERNAME',
  'PUBLIC_URL', 'DATABASE_URL', 'DATABASE_PREPARED_STATEMENTS', 'DATABASE_POOL_SIZE', 'REDIS_URL', 'REDIS_SERVER_BIN', 'QUEUE_PREFIX', 'HTTP_HOST', 'HTTP_PORT', 'DATA_DIR',
  'DEFAULT_LOCALE', 'LOG_LEVEL', 'OUTBOX_CONCURRENCY', 'OUTBOX_MAX_ATTEMPTS', 'OUTBOX_BACKOFF_MAX_MS',
  'MAX_QUESTION_CHARS', 'SHUTDOWN_TIMEOUT_MS', 'METRICS_ENABLED', 'LOAD_SAMPLE_IF_EMPTY',
  'OUTBOX_SEND_LEASE_MS', 'OUTBOX_SWEEP_MS', 'REDIS_CHECK_INTERVAL_MS', 'OUTBOX_DIGEST_THRESHOLD',
] as const;

/**
 * How `npm start` launches the bot, read from package.json's `start` script
 * (`NAME=${NAME:-default} … node <node options> src/liaison.mjs start`): the environment defaults it
 * sets and the options it gives `node`, so the bench starts the bot exactly so.
 */
export function npmStartLaunch(): { envDefaults: Record<string, string>; nodeArgs: string[] } {
  const script = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const envDefaults = Object.fromEntries([...script.matchAll(/(\w+)=\$\{\w+:-([^}]*)\}/g)].map((m) => [m[1]!, m[2]!]));
  const nodeArgs = /\bnode\s+((?:--\S+\s+)*)src\/liaison\.mjs start/.exec(script)?.[1]?.trim().split(/\s+/).filter(Boolean) ?? [];
  return { envDefaults, nodeArgs };
}

/**
 * Builds the child's environment: the parent's, every config key blanked, then `settings`; with
 * the defaults `npm start` sets (glibc's `MALLOC_ARENA_MAX`) unless the parent sets them.
 */
export function botEnvironment(settings: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const blank = Object.fromEntries(CONFIG_KEYS.map((k) => [k, '']));
  return { ...npmStartLaunch().envDefaults, ...process.env, ...blank, ...settings };
}

/** Keeps the last lines a child wrote, to show them if it fails. */
class OutputTail {
  readonly lines: string[] = [];
  private partial = '';

  /** Appends a chunk; returns the complete lines it finished. */
  push(stream: string, chunk: Buffer): string[] {
    const parts = (this.partial + chunk.toString('utf8')).split('\n');
    this.partial = parts.pop() ?? '';
    const complete = parts.map((p) => `[${stream}] ${p}`);
    this.lines.push(...complete);
    if (this.lines.length > OUTPUT_LIMIT) this.lines.splice(0, this.lines.length - OUTPUT_LIMIT);
    return complete;
  }

  text(): string {
    return [...this.lines, ...(this.partial ? [this.partial] : [])].join('\n');
  }
}

/**
 * Runs one `liaison` command to completion (e.g. `sample`, `import people f.csv`); resolves with
 * its output, rejects with the output when it exits non-zero or outlives `timeoutMs`.
 */
export function runLiaison(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail = new OutputTail();
    child.stdout.on('data', (c: Buffer) => tail.push('out', c));
    child.stderr.on('data', (c: Buffer) => tail.push('err', c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(tail.text());
      else reject(new Error(`liaison ${args.join(' ')} exited with ${code ?? signal}:\n${tail.text()}`));
    });
  });
}

/** A running `liaison start` child. */
export interface BotProcess {
  readonly pid: number;
  /** Rejects when the child exits before {@link stop} was called (with its last output). */
  readonly died: Promise<never>;
  /** Log lines at warn level or above (pino JSON `level` ≥ 40) written so far. */
  readonly problems: readonly string[];
  /** How many log lines carried each `msg` (at the child's LOG_LEVEL), for investigations. */
  readonly messageCounts: ReadonlyMap<string, number>;
  /** Peak resident set size so far, in bytes (VmHWM of /proc/<pid>/status). */
  peakRssBytes(): number;
  /** Current resident set size, in bytes (VmRSS). */
  rssBytes(): number;
  /** CPU time the process used so far, every thread, user and system, in seconds (/proc/<pid>/stat). */
  cpuSeconds(): number;
  /** SIGTERM, then waits for the exit (SIGKILL after `timeoutMs`); resolves with the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
  /** The last lines the child wrote. */
  output(): string;
}

/**
 * Starts `node [npm start's node options] [nodeArgs] src/liaison.mjs start` and resolves once `isPolling()` says its first long poll
 * arrived: the bot starts receiving last, after its database, queues and HTTP server are up.
 * `onLine` sees every complete output line (`[out] {…pino JSON…}`), e.g. to time the bot's own log lines.
 */
export function startBot(
  env: NodeJS.ProcessEnv, isPolling: () => boolean, nodeArgs: readonly string[] = [], timeoutMs = 60_000, onLine?: (line: string) => void,
): Promise<BotProcess> {
  return startChild([...npmStartLaunch().nodeArgs, ...nodeArgs, CLI, 'start'], env, isPolling, timeoutMs, onLine);
}

/**
 * Starts `node <args>` in the repository root as {@link startBot} does (same output capture,
 * readiness by `isPolling()`, stop and memory readings): for other bots on the same fake, such
 * as the bench's bare telegraf echo bot.
 */
export async function startChild(
  args: readonly string[], env: NodeJS.ProcessEnv, isPolling: () => boolean, timeoutMs = 60_000, onLine?: (line: string) => void,
): Promise<BotProcess> {
  const child = spawn(process.execPath, [...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error('could not start the bot process');
  const tail = new OutputTail();
  const problems: string[] = [];
  const messageCounts = new Map<string, number>();
  const collect = (stream: string) => (chunk: Buffer) => {
    for (const line of tail.push(stream, chunk)) {
      if (isProblem(line)) problems.push(line);
      onLine?.(line);
      const msg = /"msg":"([^"]*)"/.exec(line)?.[1];
      if (msg !== undefined) messageCounts.set(msg, (messageCounts.get(msg) ?? 0) + 1);
    }
  };
  child.stdout?.on('data', collect('out'));
  child.stderr?.on('data', collect('err'));
  const exit = waitForExit(child);
  let stopping = false;
  const died = new Promise<never>((_resolve, reject) => {
    void exit.then((code) => {
      if (!stopping) reject(new Error(`the bot exited unexpectedly (code ${String(code)}):\n${tail.text()}`));
    });
  });
  died.catch(() => undefined);
  const bot: BotProcess = {
    pid: child.pid,
    died,
    problems,
    messageCounts,
    peakRssBytes: () => readStatusKb(child.pid!, 'VmHWM') * 1024,
    rssBytes: () => readStatusKb(child.pid!, 'VmRSS') * 1024,
    cpuSeconds: () => readCpuSeconds(child.pid!),
    stop: async (stopTimeoutMs = 20_000) => {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
      try {
        return await exit;
      } finally {
        clearTimeout(timer);
      }
    },
    output: () => tail.text(),
  };
  await waitUntil(isPolling, timeoutMs, bot.died, () => `the bot did not start within ${timeoutMs} ms:\n${tail.text()}`)
    .catch(async (err: unknown) => {
      await bot.stop(5000);
      throw err;
    });
  return bot;
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

function isProblem(line: string): boolean {
  const m = /"level":(\d+)/.exec(line);
  return m ? Number(m[1]) >= 40 : line.startsWith('[err]') && line.trim() !== '[err]';
}

/** A `kB` field of /proc/<pid>/status of a live process, e.g. VmHWM (peak resident set) or VmRSS. */
export function readStatusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]);
}

/** Clock ticks per second of /proc's CPU times (`getconf CLK_TCK`; 100 on Linux when it cannot be asked). */
let clockTicks: number | undefined;

/** utime + stime of /proc/<pid>/stat (fields 14 and 15, after the parenthesised command name), in seconds. */
export function readCpuSeconds(pid: number): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

/** Polls `done()` every 20 ms; rejects on timeout or when `abort` rejects first. */
async function waitUntil(done: () => boolean, timeoutMs: number, abort: Promise<never>, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const poll = async () => {
    while (!done()) {
      if (Date.now() > deadline) throw new Error(describe());
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  await Promise.race([poll(), abort]);
}

/** A TCP port free on 127.0.0.1 right now (for the bot's HTTP_PORT, so the bench can read its /metrics). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** What the bot counted of its database work so far. */
export interface DbCounters {
  /** `db_statements_total`: statements sent to the database. */
  statements: number;
  /** `db_commits_total`: SQLite's group COMMITs (absent on PostgreSQL). */
  commits?: number;
}

/** The bot's database counters, read from its /metrics on loopback. */
export async function readDbCounters(port: number): Promise<DbCounters> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  const text = await response.text();
  const statements = /^db_statements_total (\d+)$/m.exec(text);
  if (!statements) throw new Error('no db_statements_total in /metrics');
  const commits = /^db_commits_total (\d+)$/m.exec(text);
  return { statements: Number(statements[1]), ...(commits ? { commits: Number(commits[1]) } : {}) };
}
