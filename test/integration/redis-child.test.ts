import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { isRunning, RedisUnavailableError, startPrivateRedis, type PrivateRedis } from '../../src/redis/private-server.js';
import { createRedisConnection } from '../../src/scheduler/queues.js';

const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const bin = process.env.REDIS_SERVER_BIN ?? 'redis-server';

const isAlive = isRunning;

/** A parent process's script (node -e): starts a private server on `dataDir`, then runs `then`. */
function parentScript(dataDir: string, then: string[]): string {
  const moduleUrl = new URL('../../src/redis/private-server.ts', import.meta.url).href;
  return [
    `const { startPrivateRedis } = await import(${JSON.stringify(moduleUrl)});`,
    'const logger = { child: () => logger, info() {}, debug() {}, warn() {}, error() {} };',
    `const server = await startPrivateRedis({ bin: ${JSON.stringify(bin)}, dataDir: ${JSON.stringify(dataDir)}, logger });`,
    ...then,
  ].join('\n');
}

describe('private redis-server', () => {
  const dirs: string[] = [];
  const servers: PrivateRedis[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'liaison-redis-test-'));
    dirs.push(dir);
    return dir;
  };

  afterAll(async () => {
    for (const server of servers) await server.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('starts on a private unix socket with AOF on, runs BullMQ, and stops', async () => {
    const dataDir = tempDir();
    const server = await startPrivateRedis({ bin, dataDir, logger });
    servers.push(server);
    expect(server.target.path).toBe(join(dataDir, 'redis', 'redis.sock'));
    const redis = createRedisConnection(server.target, 'test');
    expect(await redis.ping()).toBe('PONG');
    expect(await redis.config('GET', 'port')).toEqual(['port', '0']);
    await redis.quit();
    const queue = new Queue('probe', { connection: server.target });
    await queue.add('x', { n: 1 }, { jobId: 'probe-1' });
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
    await queue.close();
    expect(readdirSync(join(dataDir, 'redis', 'appendonlydir')).some((f) => f.endsWith('.aof'))).toBe(true);
    await server.stop();
    expect(isAlive(server.pid)).toBe(false);
    expect(existsSync(server.target.path)).toBe(false);
    await server.stop();
  });

  it('keeps the data across a restart (AOF)', async () => {
    const dataDir = tempDir();
    const first = await startPrivateRedis({ bin, dataDir, logger });
    servers.push(first);
    const a = createRedisConnection(first.target, 'test');
    await a.set('kept', 'yes');
    await a.quit();
    await first.stop();
    const second = await startPrivateRedis({ bin, dataDir, logger });
    servers.push(second);
    const b = createRedisConnection(second.target, 'test');
    expect(await b.get('kept')).toBe('yes');
    await b.quit();
    await second.stop();
  });

  it('refuses to start a second server on the same data directory while a bot is connected to the first', async () => {
    const dataDir = tempDir();
    const first = await startPrivateRedis({ bin, dataDir, logger });
    servers.push(first);
    const bot = createRedisConnection(first.target, 'test');
    await bot.ping();
    await expect(startPrivateRedis({ bin, dataDir, logger })).rejects.toThrow(/Another bot is using this data directory .* clients connected/);
    expect(await bot.ping()).toBe('PONG');
    await bot.quit();
    await first.stop();
  });

  // A bot killed with -9 (or by the OOM killer) cannot stop its server: the next start found it
  // answering and refused, until someone killed it by hand.
  it.each([['its data directory', ''], ['a deep data directory (socket under the temp dir)', 'a-rather-long-directory-name-'.repeat(4)]])(
    'takes over from a server left by a killed bot, in %s: shuts it down and starts its own on the same data',
    async (_name, deep) => {
      const dataDir = join(tempDir(), deep);
      const script = parentScript(dataDir, ['console.log(JSON.stringify({ pid: server.pid, path: server.target.path }));', 'setInterval(() => {}, 1000);']);
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      const left = await new Promise<{ pid: number; path: string }>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (b: Buffer) => { out += b.toString('utf8'); if (out.includes('}')) resolve(JSON.parse(out.trim()) as { pid: number; path: string }); });
        child.once('exit', (code) => reject(new Error(`the parent exited (${code}) before its server was ready`)));
      });
      const before = createRedisConnection({ path: left.path }, 'test');
      await before.set('kept', 'yes');
      await before.quit();
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      expect(isAlive(left.pid)).toBe(true);
      const next = await startPrivateRedis({ bin, dataDir, logger });
      servers.push(next);
      expect(isAlive(left.pid)).toBe(false);
      const after = createRedisConnection(next.target, 'test');
      expect(await after.get('kept')).toBe('yes');
      await after.quit();
      await next.stop();
    },
  );

  // Killed under a running bot (the OOM killer), it stayed down until the bot was restarted by hand.
  it('is started again on the same socket when killed under the bot; its clients reconnect, and stop() stops the new one', async () => {
    const dataDir = tempDir();
    const server = await startPrivateRedis({ bin, dataDir, logger });
    servers.push(server);
    const client = createRedisConnection(server.target, 'test');
    client.on('error', () => undefined); // refused while the server is down: expected here
    await client.set('before', 'yes');
    const killed = server.pid;
    process.kill(killed, 'SIGKILL');
    // ioredis queues the command while it reconnects; it succeeds once the new server answers.
    await expect.poll(async () => (server.pid !== killed ? await client.set('after', 'yes') : 'same pid'), { timeout: 30_000, interval: 100 }).toBe('OK');
    expect(isAlive(killed)).toBe(false);
    expect(await client.get('after')).toBe('yes');
    await client.quit();
    const restarted = server.pid;
    await server.stop();
    expect(isAlive(restarted)).toBe(false);
    expect(existsSync(server.target.path)).toBe(false);
  });

  it('uses a short socket path when the data directory is deep', async () => {
    const dataDir = join(tempDir(), 'a-rather-long-directory-name-'.repeat(4));
    const server = await startPrivateRedis({ bin, dataDir, logger });
    servers.push(server);
    expect(Buffer.byteLength(server.target.path)).toBeLessThanOrEqual(100);
    expect(existsSync(join(dataDir, 'redis', 'appendonlydir'))).toBe(true);
    await server.stop();
    expect(existsSync(server.target.path)).toBe(false);
  });

  it('does not outlive a parent that exits without stopping it', async () => {
    const dataDir = tempDir();
    const script = parentScript(dataDir, ['console.log(server.pid);', 'process.exit(0);']);
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    const pid = Number(out.trim().split('\n').at(-1));
    expect(pid).toBeGreaterThan(0);
    const deadline = Date.now() + 10_000;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(isAlive(pid)).toBe(false);
  });

  it('explains how to get Redis when the program is missing', async () => {
    const attempt = startPrivateRedis({ bin: 'redis-server-that-does-not-exist', dataDir: tempDir(), logger });
    await expect(attempt).rejects.toBeInstanceOf(RedisUnavailableError);
    await expect(attempt).rejects.toThrow(/apt-get install redis-server/);
    await expect(attempt).rejects.toThrow(/REDIS_URL=redis:\/\/host:6379/);
  });
});
