import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/paths.js';
import { sample, sha256 } from '../helpers/files.js';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const dir = mkdtempSync(join(tmpdir(), 'liaison-cli-'));
const baseEnv = { PATH: process.env.PATH ?? '', DATABASE_URL: join(dir, 'cli.sqlite'), DATA_DIR: dir, LOG_LEVEL: 'silent' };
/**
 * One command's bound, in ms: a hung command still fails, but a machine loaded by other work (a
 * start takes 0.7 s idle and was seen past 4 s under load) does not. Each test's own timeout is this
 * times the number of commands it runs, so the test never ends before its commands' bounds.
 */
const COMMAND_TIMEOUT_MS = 120_000;
const forCommands = (n: number): number => n * COMMAND_TIMEOUT_MS + 10_000;

/** Runs `liaison <args>` as a user would, from an empty working directory. */
function liaison(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'src', 'liaison.mjs'), ...args], { cwd: dir, env: { ...baseEnv, ...env }, encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('the liaison command line', () => {
  afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

  it('refuses to start with no channel, saying what to set', () => {
    const r = liaison(['start'], { WEB_ENABLED: 'false' });
    expect(r.code).toBe(2);
    expect(r.out).toContain('TELEGRAM_BOT_TOKEN');
  }, forCommands(1));

  it('says plainly, in both languages and without a stack trace, that the HTTP port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    const prefix = uniquePrefix('cli-port');
    try {
      // A database of its own: a start loads the sample network, which the other tests' imports do not expect.
      const own = mkdtempSync(join(dir, 'port-'));
      const r = liaison(['start'], { HTTP_PORT: String(port), REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, DATABASE_URL: join(own, 'bot.sqlite'), DATA_DIR: own, LOW_MEMORY: 'false', LOG_LEVEL: 'info' });
      expect(r.code).toBe(1);
      // Said before anything else starts; the default (true) is the npm-start-signals tests' bot.
      expect(r.out).toContain('"lowMemory":false');
      expect(r.out).toContain(`Cổng 127.0.0.1:${port} đang được một chương trình khác dùng`);
      expect(r.out).toContain(`The port 127.0.0.1:${port} is in use by another program`);
      expect(r.out).not.toMatch(/^\s+at /m);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
      await deletePrefix(prefix);
    }
  }, forCommands(1));

  it('lists every bad setting at once', () => {
    const r = liaison(['start'], { HTTP_PORT: 'x', DEFAULT_LOCALE: 'fr', TELEGRAM_MODE: 'webhook' });
    expect(r.code).toBe(2);
    for (const key of ['HTTP_PORT', 'DEFAULT_LOCALE', 'TELEGRAM_WEBHOOK_SECRET', 'PUBLIC_URL']) expect(r.out).toContain(key);
  }, forCommands(1));

  // One test per subcommand, so each has a whole command's bound (nine in one test timed out at 35 s under load).
  it.each([['--help'], ['start', '--help'], ['migrate', '--help'], ['import', '--help'], ['sample', '--help'], ['calendar', 'import', '--help'], ['calendar', 'show', '--help'], ['report', '--help'], ['invites', 'export', '--help']].map((args) => ({ args, line: args.join(' ') })))('has --help: liaison $line', ({ args }) => {
    const r = liaison(args);
    expect(r.code, args.join(' ')).toBe(0);
    expect(r.out).toContain('Usage: liaison');
  }, forCommands(1));

  it('imports nothing from a file with a bad row, naming file:line, then imports the good file', () => {
    const bad = join(dir, 'outlets.csv');
    writeFileSync(bad, 'code,name\nHUE,Báo Huế\n,Thiếu mã\n');
    const r = liaison(['import', 'outlets', bad]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${bad}:3: code không được để trống / code is required`);
    writeFileSync(bad, 'code,name\nHUE,Báo Huế\n');
    const ok = liaison(['import', 'outlets', bad]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('1 new');
  }, forCommands(2));

  it('imports the shipped official calendar on migrate, so calendar show agrees with the running bot before the first start', () => {
    const fresh = { DATABASE_URL: join(dir, 'fresh-calendar.sqlite') };
    const shown = liaison(['calendar', 'show', '2026'], fresh);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('Official imported schedule: 2026.csv');
    expect(shown.out).not.toContain('Statutory defaults');
    expect(shown.out).toContain('2026-01-10'); // the make-up Saturday only the official schedule knows

    const migrated = { DATABASE_URL: join(dir, 'fresh-migrate.sqlite') };
    expect(liaison(['migrate'], migrated).code).toBe(0);
    const db = new Database(migrated.DATABASE_URL, { readonly: true });
    try {
      expect(db.prepare('select year, source from calendar_years').all()).toEqual([{ year: 2026, source: '2026.csv' }]);
    } finally {
      db.close();
    }
  }, forCommands(2));

  it('push reset-keys needs --yes, then removes the VAPID keys and every subscription', () => {
    expect(liaison(['migrate']).code).toBe(0);
    const db = new Database(join(dir, 'cli.sqlite'));
    db.prepare("INSERT INTO web_push_keys (id, public_key, private_key, created_at) VALUES (1, 'pub', 'v1.x.y.z', '2026-12-05T00:00:00.000Z')").run();
    db.prepare("INSERT INTO push_subscriptions (person_id, endpoint, p256dh, auth, created_at) VALUES (1, 'https://push.example/a', 'p', 'a', '2026-12-05T00:00:00.000Z')").run();
    const refused = liaison(['push', 'reset-keys']);
    expect(refused.code).not.toBe(0);
    expect(refused.out).toContain('--yes');
    expect(db.prepare('SELECT COUNT(*) AS n FROM web_push_keys').get()).toEqual({ n: 1 });
    const r = liaison(['push', 'reset-keys', '--yes']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('1 subscriptions');
    expect(db.prepare('SELECT COUNT(*) AS n FROM web_push_keys').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM push_subscriptions').get()).toEqual({ n: 0 });
    db.close();
  }, forCommands(3));

  it('loads the sample and exports invite links', () => {
    expect(liaison(['sample']).code).toBe(0);
    const r = liaison(['invites', 'export', '--role', 'reporter', '--bot-username', 'hue_bot', '--reissue']);
    expect(r.code).toBe(0);
    // Only hashes are stored: the sample's codes are replaced by new ones, shown this once.
    expect(r.out).toMatch(/https:\/\/t\.me\/hue_bot\?start=[a-z2-9]{10}/);
    expect(r.out).not.toContain('pv-hue-01');
    expect(r.out).toContain('shown only now');
  }, forCommands(2));

  it('imports agencies\' own deadline periods and office hours (after the sample), by either spelling of the kind', () => {
    const file = join(dir, 'deadline-overrides.csv');
    writeFileSync(file, 'org_code,deadline_class,amount,unit,legal_basis\nSGDDT,routine,3,working_days,Quy chế phát ngôn\n');
    const r = liaison(['import', 'deadline_overrides', file]);
    expect(r.out).toContain('1 new');
    expect(r.code).toBe(0);
    const hours = join(dir, 'office-hours.csv');
    writeFileSync(hours, 'org_code,office_hours\nSGDDT,07:00-11:00; 13:00-16:30\n');
    expect(liaison(['import', 'office-hours', hours]).out).toContain('1 updated');
    const unknown = liaison(['import', 'holidays', hours]);
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain('không có loại dữ liệu "holidays"');
    expect(unknown.out).toContain('unknown import kind "holidays"');
  }, forCommands(3));

  it('notice send --attach stores the decree (checked by its bytes) with the notice; a renamed executable stops the command, nothing drafted', () => {
    const text = join(dir, 'notice.md');
    writeFileSync(text, '# Giờ mở cửa di tích\n\nTừ 1/1, các điểm di tích mở cửa đến 22 giờ.\n');
    const decree = join(dir, 'QD-15.pdf');
    writeFileSync(decree, sample.pdf(50_000, 81));
    const exe = join(dir, 'QD-16.pdf');
    writeFileSync(exe, sample.exe());
    const refused = liaison(['notice', 'send', '--audience', 'org:P-THUANHOA', '--file', text, '--attach', exe, '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('QD-16.pdf');
    expect(refused.out).toContain('Nội dung tệp được kiểm tra');
    expect(refused.out).toContain('content is checked');
    const sent = liaison(['notice', 'send', '--audience', 'org:P-THUANHOA', '--file', text, '--attach', decree, '--yes']);
    expect(sent.code).toBe(0);
    expect(sent.out).toContain('📎 Kèm 1 tệp: QD-15.pdf');
    const db = new Database(baseEnv.DATABASE_URL, { readonly: true });
    try {
      expect(db.prepare('select count(*) as n from notices').get()).toEqual({ n: 1 });
      expect(db.prepare('select a.name, a.sha256 from attachments a join notices n on n.id = a.notice_id').all()).toEqual([{ name: 'QD-15.pdf', sha256: sha256(sample.pdf(50_000, 81)) }]);
    } finally {
      db.close();
    }
  }, forCommands(2));
});
