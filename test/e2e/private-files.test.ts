import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startApp } from '../../src/main.js';
import { REPO_ROOT } from '../../src/paths.js';
import { systemClock } from '../../src/time/clock.js';
import { uniquePrefix } from '../helpers/redis.js';

const dirs: string[] = [];
/** A data folder as an earlier version (umask 022) left it: folder 755, database 644. */
function oldDataDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'liaison-perm-'));
  dirs.push(root);
  const data = join(root, 'data');
  mkdirSync(data, { mode: 0o755 });
  chmodSync(data, 0o755);
  return data;
}

/** Every folder and file under `dir` whose mode lets group or others in, as `path mode`. */
function openToOthers(dir: string): string[] {
  const found: string[] = [];
  const walk = (path: string): void => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink() || stat.isSocket()) return;
    if ((stat.mode & 0o077) !== 0) found.push(`${path} ${(stat.mode & 0o777).toString(8)}`);
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
  return found;
}

describe('files the bot writes are private (issue #10, High)', () => {
  afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

  it('npm start with a private redis-server: the data folder ends 700 and every file in it 600 (SQLite, WAL, SHM, Redis AOF)', async () => {
    const data = oldDataDir();
    writeFileSync(join(data, 'liaison.sqlite'), '');
    chmodSync(join(data, 'liaison.sqlite'), 0o644);
    const config = loadConfig({
      DATABASE_URL: join(data, 'liaison.sqlite'), DATA_DIR: data, HTTP_PORT: '0', LOG_LEVEL: 'silent', QUEUE_PREFIX: uniquePrefix('perm'),
    });
    const app = await startApp({ config, logger: createLogger({ level: 'silent' }), clock: systemClock });
    try {
      const names = readdirSync(data);
      expect(names).toEqual(expect.arrayContaining(['liaison.sqlite', 'liaison.sqlite-wal', 'redis']));
      expect(readdirSync(join(data, 'redis', 'appendonlydir')).length).toBeGreaterThan(0);
      expect(lstatSync(data).mode & 0o777).toBe(0o700);
      expect(openToOthers(data)).toEqual([]);
    } finally {
      await app.stop();
    }
    expect(openToOthers(data)).toEqual([]);
  });

  it('`invites export --out` onto an existing world-readable file leaves it 600', () => {
    const data = oldDataDir();
    const env = { PATH: process.env.PATH ?? '', DATABASE_URL: join(data, 'cli.sqlite'), DATA_DIR: data, LOG_LEVEL: 'silent' };
    const run = (args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'src', 'liaison.mjs'), ...args], { cwd: data, env, encoding: 'utf8', timeout: 120_000 });
    expect(run(['sample']).status).toBe(0);
    const out = join(dirs.at(-1)!, 'invites.csv');
    writeFileSync(out, 'old');
    chmodSync(out, 0o644);
    const r = run(['invites', 'export', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(lstatSync(out).mode & 0o777).toBe(0o600);
    expect(openToOthers(data)).toEqual([]);
  });
});
