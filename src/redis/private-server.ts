import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from '../logger.js';
import { RedisStartError, RedisUnavailableError } from './errors.js';
import { otherClientsOnUnixSocket, pingUnixSocket, serverPidOnUnixSocket, shutdownOnUnixSocket } from './ping.js';

export { RedisStartError, RedisUnavailableError } from './errors.js';

/** Longest unix socket path we use, in bytes (the OS limit is 104 on macOS, 108 on Linux). */
const MAX_SOCKET_PATH_BYTES = 100;
/** The file under `<dataDir>/redis/` that holds the running server's socket path. */
const SOCKET_NOTE = 'socket-path';
/** redis-server output lines kept for error messages. */
const LOG_TAIL_LINES = 30;

/** Options for {@link startPrivateRedis}. */
export interface PrivateRedisOptions {
  /** The `redis-server` program (`Config.redisServerBin`), a name on PATH or a path. */
  bin: string;
  /** The bot's data directory; Redis keeps its append-only file under `<dataDir>/redis/`. */
  dataDir: string;
  logger: Logger;
  /** How long to wait for the server to answer PING, in ms. Default 15000. */
  startTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL, in ms. Default 15000. */
  stopTimeoutMs?: number;
}

/** A redis-server child owned by this process. */
export interface PrivateRedis {
  /** Where it listens: a unix socket only (no TCP port). */
  target: { path: string };
  /** Process id of the child (a new one after it was started again). */
  readonly pid: number;
  /** Shuts the server down (AOF fsynced) and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
}

interface Exit { code: number | null; signal: NodeJS.Signals | null }
interface Running { child: ChildProcess; exited: Promise<Exit> }

/** The wait before starting a server that died again, in ms: doubled each failed try, up to the most. */
const RESTART_FIRST_DELAY_MS = 250;
const RESTART_MAX_DELAY_MS = 30_000;

/**
 * Starts a private `redis-server` for a single-machine install: unix socket only (mode 700), AOF
 * on, no RDB snapshots, data in `<dataDir>/redis/`. Resolves once it answers PING. Throws
 * {@link RedisUnavailableError} when the program is missing, {@link RedisStartError} when it
 * does not come up (with its last output lines).
 */
export async function startPrivateRedis(options: PrivateRedisOptions): Promise<PrivateRedis> {
  const logger = options.logger.child({ component: 'redis-server' });
  const dir = resolve(options.dataDir, 'redis');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const socket = chooseSocketPath(dir);
  const stopTimeoutMs = options.stopTimeoutMs ?? 15_000;
  try {
    await retireLeftServer(dir, socket.path, stopTimeoutMs, logger);
  } catch (err) {
    socket.cleanup();
    throw err;
  }
  const startTimeoutMs = options.startTimeoutMs ?? 15_000;
  const launch = async (): Promise<Running> => {
    const running = await spawnRedis(options.bin, redisArgs(dir, socket.path));
    const tail = captureOutput(running.child, logger);
    try {
      await waitUntilReady(socket.path, running.exited, startTimeoutMs, tail);
    } catch (err) {
      await terminate(running, stopTimeoutMs);
      throw err;
    }
    return running;
  };
  const first = await launch().catch((err: unknown) => {
    socket.cleanup();
    throw err;
  });
  const server = superviseServer(first, launch, stopTimeoutMs, logger);
  // 'exit' handlers must be synchronous: a signal is all we can send on the way out.
  const onParentExit = () => { server.current().child.kill('SIGTERM'); };
  process.once('exit', onParentExit);
  // Where it listens, for the next start to find it should this process die without stopping it.
  writeFileSync(join(dir, SOCKET_NOTE), socket.path, { mode: 0o600 });
  logger.info({ socket: socket.path, dir, pid: first.child.pid }, 'private redis-server ready');
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= (async () => {
    await server.stop();
    process.removeListener('exit', onParentExit);
    rmSync(join(dir, SOCKET_NOTE), { force: true });
    socket.cleanup();
    logger.info('private redis-server stopped');
  })());
  return { target: { path: socket.path }, get pid() { return server.current().child.pid ?? -1; }, stop };
}

/**
 * Keeps the server running: killed under the bot (the OOM killer, a signal by hand), it is started
 * again on the same socket and data, after a pause doubled on each failed try, so the bot's
 * clients reconnect by themselves (the bot notices any data lost with it). `stop()` ends a restart
 * in progress and stops the server.
 */
function superviseServer(first: Running, launch: () => Promise<Running>, stopTimeoutMs: number, logger: Logger): { current(): Running; stop(): Promise<void> } {
  let current = first;
  let stopping = false;
  let restarting: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  const pause = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => { clearTimeout(timer); resolve(); };
  });
  const restart = async (): Promise<void> => {
    for (let attempt = 0; !stopping; attempt += 1) {
      await pause(Math.min(RESTART_MAX_DELAY_MS, RESTART_FIRST_DELAY_MS * 2 ** attempt));
      if (stopping) return;
      try {
        current = await launch();
      } catch (err) {
        logger.error({ err, attempt: attempt + 1 }, 'private redis-server did not start again; trying later');
        continue;
      }
      if (stopping) return;
      logger.warn({ pid: current.child.pid }, 'private redis-server started again');
      watch(current);
      return;
    }
  };
  const watch = (running: Running): void => {
    void running.exited.then((exit) => {
      if (stopping) return;
      logger.error({ code: exit.code, signal: exit.signal }, 'private redis-server exited unexpectedly; starting it again');
      restarting = restart();
    });
  };
  watch(first);
  return {
    current: () => current,
    async stop() {
      stopping = true;
      wake?.();
      await restarting;
      await terminate(current, stopTimeoutMs);
    },
  };
}

/**
 * A server still answering on this data directory's socket (or on the one the last start noted)
 * is either another bot's, which is connected to it — then starting is refused — or one left
 * running by a bot killed without the chance to stop it (`kill -9`, the OOM killer): nobody is
 * connected, and it is shut down (its AOF fsynced, so its data is read again by the new server).
 */
async function retireLeftServer(dir: string, socketPath: string, stopTimeoutMs: number, logger: Logger): Promise<void> {
  const noted = readTrimmed(join(dir, SOCKET_NOTE));
  for (const path of new Set([socketPath, ...(noted ? [noted] : [])])) {
    if (!(await pingUnixSocket(path))) continue;
    if ((await otherClientsOnUnixSocket(path)) !== 0) {
      throw new RedisStartError([
        `Một bot khác đang dùng thư mục dữ liệu này (Redis riêng của nó đang có kết nối tại ${path}): dừng bot đó trước, hoặc đặt DATA_DIR khác.`,
        `Another bot is using this data directory (its private Redis on ${path} has clients connected): stop that bot first, or set another DATA_DIR.`,
      ].join('\n'));
    }
    const pid = await serverPidOnUnixSocket(path);
    logger.warn({ socket: path, pid }, 'a private redis-server left running by a bot that was killed (nobody connected): shutting it down, its data is kept');
    await shutdownOnUnixSocket(path);
    // The new server reads the same AOF: start it only once the old one has exited.
    const deadline = Date.now() + stopTimeoutMs;
    while (pid === undefined ? await pingUnixSocket(path, 200) : isRunning(pid)) {
      if (Date.now() > deadline) {
        throw new RedisStartError([
          `Redis riêng còn lại từ lần chạy trước (${path}) không dừng sau ${stopTimeoutMs} ms: hãy dừng tiến trình redis-server${pid === undefined ? '' : ` ${pid}`} rồi khởi động lại.`,
          `The private Redis left from an earlier run (${path}) did not shut down within ${stopTimeoutMs} ms: stop that redis-server process${pid === undefined ? '' : ` (${pid})`}, then start again.`,
        ].join('\n'));
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Whether process `pid` still runs (a zombie, exited but not yet reaped, does not). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // Linux: the state after the command's name in /proc/<pid>/stat; elsewhere, alive is running.
  const stat = readTrimmed(`/proc/${pid}/stat`);
  return stat === undefined || stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** A small file's text, trimmed; undefined when it is missing, unreadable or empty. */
function readTrimmed(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function redisArgs(dir: string, socketPath: string): string[] {
  return [
    '--port', '0', '--unixsocket', socketPath, '--unixsocketperm', '700',
    '--dir', dir, '--appendonly', 'yes', '--save', '',
    '--daemonize', 'no', '--protected-mode', 'yes', '--maxmemory-policy', 'noeviction',
  ];
}

/** `<dir>/redis.sock`, or a short private directory under the temp dir when that path is too long. */
function chooseSocketPath(dir: string): { path: string; cleanup(): void } {
  const preferred = join(dir, 'redis.sock');
  if (Buffer.byteLength(preferred) <= MAX_SOCKET_PATH_BYTES) return { path: preferred, cleanup: () => {} };
  const base = Buffer.byteLength(tmpdir()) < MAX_SOCKET_PATH_BYTES - 30 ? tmpdir() : '/tmp';
  const short = mkdtempSync(join(base, 'liaison-redis-'));
  return { path: join(short, 'redis.sock'), cleanup: () => rmSync(short, { recursive: true, force: true }) };
}

function spawnRedis(bin: string, args: string[]): Promise<Running> {
  return new Promise((resolvePromise, reject) => {
    // Its own process group: a terminal's Ctrl+C must reach only the bot, which stops Redis
    // last, after the queues have drained.
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const exited = new Promise<Exit>((done) => child.once('exit', (code, signal) => done({ code, signal })));
    child.once('spawn', () => resolvePromise({ child, exited }));
    child.on('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'ENOENT' ? new RedisUnavailableError(bin, { cause: err }) : new RedisStartError(`cannot run ${bin}: ${err.message}`));
    });
  });
}

/** Forwards the server's output to the log and keeps the last lines for error messages. */
function captureOutput(child: ChildProcess, logger: Logger): { lines(): string[] } {
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      if (lines.length > LOG_TAIL_LINES) lines.shift();
      if (line.includes('WARNING')) logger.warn({ line }, 'redis-server');
      else logger.debug({ line }, 'redis-server');
    });
  }
  return { lines: () => [...lines] };
}

async function waitUntilReady(socketPath: string, exited: Promise<Exit>, timeoutMs: number, tail: { lines(): string[] }): Promise<void> {
  let exit: Exit | undefined;
  void exited.then((e) => { exit = e; });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exit) {
      throw new RedisStartError([
        `Redis riêng dừng ngay khi khởi động (mã ${exit.code}, tín hiệu ${exit.signal}); xem các dòng cuối của nó bên dưới.`,
        `redis-server exited during start-up (code ${exit.code}, signal ${exit.signal}); its last lines are below.`,
      ].join('\n'), tail.lines());
    }
    if (await pingUnixSocket(socketPath, 500)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new RedisStartError([
    `Redis riêng không trả lời trên ${socketPath} sau ${timeoutMs} ms.`,
    `redis-server did not answer PING on ${socketPath} within ${timeoutMs} ms.`,
  ].join('\n'), tail.lines());
}

/** SIGTERM makes redis-server fsync the AOF and exit; SIGKILL only if it hangs. */
async function terminate({ child, exited }: Running, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); });
  const result = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (result === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}
