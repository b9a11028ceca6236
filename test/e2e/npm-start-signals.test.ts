import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/paths.js';
import { pingUnixSocket } from '../../src/redis/ping.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

/**
 * `npm start` as an operator runs it: a supervisor or `docker stop` signals npm's process only,
 * and Ctrl+C signals npm and the bot alike (npm then passes its own signal on, so the bot gets two).
 * Either way the bot stops gracefully ("stopped", exit 0), never killed half way.
 */
const dir = mkdtempSync(join(tmpdir(), 'liaison-npm-start-'));
const prefixes: string[] = [];
/** A hang's bound, not the machine's speed: a start was seen past 4 s on a loaded machine. */
const WAIT_MS = 90_000;

/** `privateRedis`: no REDIS_URL, so the bot runs its own redis-server, as on the embedded defaults. */
function npmStart(name: string, privateRedis = false, extra: Record<string, string> = {}): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const prefix = uniquePrefix('npm-start');
  prefixes.push(prefix);
  const env = {
    PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, DATABASE_URL: join(dir, `${name}.sqlite`), DATA_DIR: join(dir, name),
    ...(privateRedis ? {} : { REDIS_URL: TEST_REDIS_URL }), QUEUE_PREFIX: prefix, HTTP_PORT: '0', LOG_LEVEL: 'info', ...extra,
  };
  // Its own process group, as a terminal gives the command it runs: the group is what Ctrl+C signals.
  const child = spawn('npm', ['start'], { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (b: Buffer) => { text += b.toString('utf8'); });
  child.stderr!.on('data', (b: Buffer) => { text += b.toString('utf8'); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${WAIT_MS} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('npm start and signals', () => {
  let running: ChildProcess | undefined;
  afterEach(() => {
    // A failed test must not leave a bot running: end the whole group.
    if (running?.pid && running.exitCode === null) try { process.kill(-running.pid, 'SIGKILL'); } catch { /* gone */ }
    running = undefined;
  });
  afterAll(async () => {
    for (const p of prefixes) await deletePrefix(p);
    rmSync(dir, { recursive: true, force: true });
  });

  it('SIGTERM to npm alone (a supervisor, docker stop) reaches the bot, which stops gracefully', async () => {
    const bot = npmStart('term');
    running = bot.child;
    await until('http listening', () => bot.output().includes('"msg":"http listening"'));
    process.kill(bot.child.pid!, 'SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.output()).toContain('"signal":"SIGTERM"');
    expect(bot.output()).toContain('"msg":"stopped"');
  }, 2 * WAIT_MS + 10_000);

  it('Ctrl+C (SIGINT to npm and the bot, then npm\'s own passed on) stops it gracefully, not at the second signal', async () => {
    const bot = npmStart('int');
    running = bot.child;
    await until('http listening', () => bot.output().includes('"msg":"http listening"'));
    process.kill(-bot.child.pid!, 'SIGINT');
    expect(await bot.exited).toBe(0);
    expect(bot.output()).toContain('"msg":"stopped"');
    expect(bot.output()).not.toContain('graceful stop timed out');
  }, 2 * WAIT_MS + 10_000);

  it('a signal while the bot is still starting stops it once started, gracefully, not on the spot', async () => {
    const bot = npmStart('starting');
    running = bot.child;
    await until('database ready', () => bot.output().includes('"msg":"database ready"'));
    // npm start's default: V8 favours memory (LOW_MEMORY=true), said first.
    expect(bot.output()).toContain('"lowMemory":true');
    process.kill(bot.child.pid!, 'SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.output()).toContain('"signal":"SIGTERM"');
    expect(bot.output()).toContain('"msg":"stopped"');
  }, 2 * WAIT_MS + 10_000);

  it('a signal while it waits for a database that does not answer ends it after SHUTDOWN_TIMEOUT_MS, saying why', async () => {
    // Nothing listens on port 1: the start waits for the database (as while PostgreSQL restarts).
    const bot = npmStart('no-database', false, { DATABASE_URL: 'postgres://liaison@127.0.0.1:1/liaison', SHUTDOWN_TIMEOUT_MS: '500' });
    running = bot.child;
    await until('waiting for the database', () => bot.output().includes('"msg":"waiting for the database"'));
    process.kill(bot.child.pid!, 'SIGTERM');
    expect(await bot.exited).toBe(1);
    expect(bot.output()).toContain('still starting (waiting for the database or Redis) when asked to stop; exiting');
  }, 2 * WAIT_MS + 10_000);

  it('after kill -9, npm start again takes over the private redis-server the killed bot left, and stops it with itself', async () => {
    const first = npmStart('killed', true);
    running = first.child;
    await until('http listening', () => first.output().includes('"msg":"http listening"'));
    // npm and the bot (the group); the private redis-server has a group of its own and stays.
    process.kill(-first.child.pid!, 'SIGKILL');
    await first.exited;
    const socket = join(dir, 'killed', 'redis', 'redis.sock');
    expect(await pingUnixSocket(socket)).toBe(true);
    const second = npmStart('killed', true);
    running = second.child;
    await until('http listening', () => second.output().includes('"msg":"http listening"'));
    expect(second.output()).toContain('left running by a bot that was killed');
    process.kill(second.child.pid!, 'SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain('"msg":"private redis-server stopped"');
    expect(await pingUnixSocket(socket)).toBe(false);
  }, 3 * WAIT_MS + 10_000);
});
