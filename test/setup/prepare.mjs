#!/usr/bin/env node
// `npm test` runs this first, so the README's test command works on a fresh machine (Debian 12,
// Node 20, npm): it installs the npm dependencies when node_modules is missing or stale, Debian's
// Chromium for the browser tests, and makes sure the Redis (and, when asked for, PostgreSQL) test
// servers answer — starting local ones when it can, saying plainly how otherwise. Each install or
// start is announced on one line. Plain Node.js only: nothing from node_modules may be needed yet.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ensureDependencies, say } from '../../src/setup/dependencies.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const isRoot = process.getuid?.() === 0;
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
let aptUpdated = false;

/** Runs a command with its output on standard error; true when it exits 0. */
function run(command, args, env = process.env) {
  const r = spawnSync(command, args, { stdio: ['ignore', 2, 2], env });
  return r.status === 0;
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** `apt-get install` as root; false when not root, without apt-get, or when it fails. */
function aptInstall(packages, what) {
  if (!isRoot || !hasCommand('apt-get')) return false;
  say(`[setup] ${what.vi} (apt-get install ${packages.join(' ')}) / ${what.en} (apt-get install ${packages.join(' ')})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) aptUpdated = run('apt-get', ['update', '-qq'], env);
  return run('apt-get', ['install', '-y', '-qq', ...packages], env);
}

function ensureChromium() {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(path)) return true;
  if (path === '/usr/bin/chromium' && aptInstall(['chromium'], {
    vi: 'Cài Chromium của Debian cho kiểm thử trình duyệt', en: 'Installing Debian\'s Chromium for the browser tests',
  }) && existsSync(path)) return true;
  say(`[setup] Kiểm thử trình duyệt cần Chromium tại ${path}: chạy "sudo apt-get install chromium" (hoặc đặt CHROMIUM_PATH) / ` +
    `The browser tests need Chromium at ${path}: run "sudo apt-get install chromium" (or set CHROMIUM_PATH)`);
  return false;
}

/** Resolves with the first line a TCP server at host:port answers to `probe` (or to nothing), or `undefined`. */
function ask(host, port, probe) {
  return new Promise((resolve) => {
    const socket = connect({ host: host.replace(/^\[|\]$/g, ''), port });
    const done = (value) => { socket.destroy(); resolve(value); };
    socket.setTimeout(2_000, () => done(undefined));
    socket.on('error', () => done(undefined));
    socket.on('connect', () => { if (probe) socket.write(probe); else done(''); });
    socket.on('data', (chunk) => done(chunk.toString('latin1').split('\r\n')[0]));
  });
}

async function waitFor(check) {
  for (let i = 0; i < 50; i += 1) {
    if (await check()) return true;
    await sleep(200);
  }
  return false;
}

async function ensureRedis() {
  const url = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  const [host, port] = [url.hostname || '127.0.0.1', Number(url.port || 6379)];
  // Any reply (PONG, or an error asking for a password) means a Redis server is there.
  const answers = async () => /^[+-]/.test((await ask(host, port, 'PING\r\n')) ?? '');
  if (await answers()) return true;
  if (LOCAL_HOSTS.has(host) && (hasCommand('redis-server') || aptInstall(['redis-server'], {
    vi: 'Cài Redis cho kiểm thử', en: 'Installing Redis for the tests',
  }))) {
    const dir = mkdtempSync(join(tmpdir(), 'liaison-test-redis-'));
    say(`[setup] Khởi động Redis cho kiểm thử tại ${host}:${port} (dữ liệu trong ${dir}) / Starting Redis for the tests at ${host}:${port} (data in ${dir})`);
    run('redis-server', ['--daemonize', 'yes', '--bind', host.replace(/^\[|\]$/g, ''), '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', join(dir, 'redis.log')]);
    if (await waitFor(answers)) return true;
  }
  say(`[setup] Redis không trả lời tại ${host}:${port}: cài và chạy redis-server (apt-get install redis-server), hoặc đặt TEST_REDIS_URL / ` +
    `Redis does not answer at ${host}:${port}: install and run redis-server (apt-get install redis-server), or set TEST_REDIS_URL`);
  return false;
}

async function ensurePostgres() {
  const raw = process.env.TEST_POSTGRES_URL;
  const example = 'export TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test';
  if (!raw) {
    say(`[setup] TEST_POSTGRES_URL chưa đặt: kiểm thử cơ sở dữ liệu chỉ chạy trên SQLite; để chạy cả PostgreSQL: ${example} / ` +
      `TEST_POSTGRES_URL is not set: database tests run on SQLite only; to include PostgreSQL: ${example}`);
    return true;
  }
  const url = new URL(raw);
  const [host, port] = [url.hostname || '127.0.0.1', Number(url.port || 5432)];
  const answers = async () => (await ask(host, port, undefined)) !== undefined;
  if (await answers()) return true;
  const versions = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql').sort() : [];
  const version = versions.at(-1);
  if (LOCAL_HOSTS.has(host) && isRoot && version && hasCommand('pg_ctlcluster')) {
    say(`[setup] Khởi động PostgreSQL ${version} cho kiểm thử / Starting PostgreSQL ${version} for the tests (pg_ctlcluster ${version} main start)`);
    run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start']);
    if (await waitFor(answers)) return true;
  }
  say(`[setup] PostgreSQL không trả lời tại ${host}:${port}: khởi động nó (pg_ctlcluster <phiên bản> main start), hoặc bỏ TEST_POSTGRES_URL để chỉ chạy SQLite / ` +
    `PostgreSQL does not answer at ${host}:${port}: start it (pg_ctlcluster <version> main start), or unset TEST_POSTGRES_URL to test on SQLite only`);
  return false;
}

let ok = ensureDependencies(root, { dev: true });
ok = ensureChromium() && ok;
ok = (await ensureRedis()) && ok;
ok = (await ensurePostgres()) && ok;
process.exit(ok ? 0 : 1);
