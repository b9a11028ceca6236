import { Command, Option } from 'commander';
import { setFlagsFromString } from 'node:v8';
import { makeDataPrivate, writePrivateFile } from './private-files.js';
import { createDb, isPostgresUrl, sqlitePath } from '../db/client.js';
import { installZaloTokens } from '../db/repositories/zalo-oa-tokens.js';
import { resetVapidKeys } from '../db/repositories/web-push.js';
import { loadSecretBox } from './secrets-key.js';
import { loadSampleNetwork } from './import/sample.js';
import type { Role } from '../db/schema.js';
import { ROLES } from '../db/schema.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { migrateDatabase } from './migrate.js';
import { importCalendarCsv, loadCalendar, showCalendar } from './import/calendar.js';
import { bilingual, importCsvFile, IMPORT_KINDS, parseImportKind } from './import/index.js';
import { exportInvites } from './import/invites-export.js';
import { sampleTryLinks } from './import/sample.js';
import { startBanner } from './banner.js';
import { createLogger, type Logger } from './logger.js';
import { formatOnTimeReport, onTimeReport } from './report/on-time.js';
import { describeDeployment, NoChannelError, startApp, type ProcessRole } from './main.js';
import { issueWebLoginCodeForPerson, WEB_LOGIN_CODE_TTL_MS } from '../flows/web-login.js';
import { RedisStartError, RedisUnavailableError } from './redis/private-server.js';
import { systemClock } from './time/clock.js';
import { ZaloLoginError, zaloLoginCommand } from './zalo-login.js';
import { registerNoticeCommands } from './notices/cli.js';
import { registerAnnualCommand } from './report/annual-cli.js';

/** A host to print in a link: a wildcard bind address is reached as localhost. */
function displayHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}

/** Prints a user-facing failure and sets the exit code; known errors need no stack trace. */
function fail(err: unknown): never {
  if (err instanceof ConfigError || err instanceof NoChannelError || err instanceof RedisUnavailableError || err instanceof ZaloLoginError) {
    console.error(err.message);
    process.exit(2);
  }
  const known = err instanceof RedisStartError ? err.message : portInUse(err);
  console.error(known ?? (err instanceof Error ? err.stack ?? err.message : String(err)));
  process.exit(1);
}

/** What to do when the HTTP port is taken (a bot already running, or another program), in both languages. */
function portInUse(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  if (e?.code !== 'EADDRINUSE') return undefined;
  const where = `${e.address ?? ''}:${e.port ?? ''}`;
  return [
    `Cổng ${where} đang được một chương trình khác dùng (có thể là một bot đang chạy): dừng chương trình đó, hoặc đặt HTTP_PORT khác.`,
    `The port ${where} is in use by another program (perhaps a bot already running): stop it, or set another HTTP_PORT.`,
  ].join('\n');
}

function config(): Readonly<Config> {
  try {
    return loadConfig();
  } catch (err) {
    fail(err);
  }
}

async function withDb<T>(fn: (db: ReturnType<typeof createDb>) => Promise<T>): Promise<T> {
  const cfg = config();
  makeDataPrivate(cfg.dataDir, isPostgresUrl(cfg.databaseUrl) ? [] : [sqlitePath(cfg.databaseUrl)]);
  const handle = createDb({ url: cfg.databaseUrl, pgPoolSize: cfg.databasePoolSize });
  try {
    // Every command sees the release's schema and shipped data (calendars), not only `start`.
    await migrateDatabase(handle.db, systemClock.now());
    return await fn(handle);
  } finally {
    await handle.close();
  }
}

async function start(options: { role: ProcessRole }): Promise<void> {
  const cfg = config();
  const logger = createLogger({ level: cfg.logLevel, secrets: cfg.secrets });
  // Before the bot allocates: V8 then keeps the heap small from the start.
  if (cfg.lowMemory) setFlagsFromString('--optimize-for-size');
  logger.info({ lowMemory: cfg.lowMemory }, cfg.lowMemory ? 'V8 favours memory over speed (LOW_MEMORY=true)' : 'V8 favours speed over memory (LOW_MEMORY=false)');
  const started = startApp({ config: cfg, logger, clock: systemClock, role: options.role }).catch(fail);
  // From the first moment: a signal while starting (or just after the HTTP server is up) stops
  // the bot once it has started, instead of Node's default of ending the process on the spot.
  const signals = stopOnSignals(started, cfg.shutdownTimeoutMs, logger);
  const app = await started;
  if (signals.stopping()) return;
  const telegram = app.adapters.get('telegram') as { botUsername?: () => Promise<string> } | undefined;
  const username = await telegram?.botUsername?.().catch(() => undefined);
  const servesPage = app.adapters.get('web')?.routes?.some((r) => r.method === 'GET' && r.path === '/web') ?? false;
  const webBase = servesPage && app.httpPort !== undefined ? `${cfg.publicUrl ?? `http://${displayHost(cfg.http.host)}:${app.httpPort}`}/web` : undefined;
  // Each sample person gets their own sign-in slot (/web/u/<n>/), so all of them can be open as
  // tabs of one browser at once, each tab signed in as a different person.
  let slot = 0;
  const webLinks = webBase ? await sampleTryLinks(app.db.db, (code) => `${webBase}/u/${(slot += 1)}/?code=${code}`).catch(() => []) : [];
  const tryLinks = username ? await sampleTryLinks(app.db.db, (code) => `https://t.me/${username}?start=${code}`).catch(() => []) : [];
  if (signals.stopping()) return;
  console.log(startBanner({
    role: options.role, deployment: describeDeployment(cfg), sampleLoaded: app.sampleLoaded, webLinks, telegramLinks: tryLinks,
    ...(webBase ? { webBase } : {}), ...(username ? { telegram: { username, mode: cfg.telegram?.mode ?? 'polling' } } : {}),
  }));
}

/**
 * SIGINT and SIGTERM stop the bot gracefully, bounded by `timeoutMs` (then exit 1). A signal may
 * come twice: Ctrl+C reaches both `npm start` and the bot, and npm passes its own on; the first
 * stops the bot, later ones are logged and never cut the stop short.
 */
function stopOnSignals(started: Promise<{ stop(): Promise<void> }>, timeoutMs: number, logger: Logger): { stopping(): boolean } {
  let stopping = false;
  let running = false;
  void started.then(() => { running = true; });
  const shutdown = (signal: string) => {
    if (stopping) {
      logger.info({ signal }, 'signal received again; the stop is under way');
      return;
    }
    stopping = true;
    logger.info({ signal }, 'signal received');
    const timer = setTimeout(() => {
      logger.error(running ? 'graceful stop timed out; exiting' : 'still starting (waiting for the database or Redis) when asked to stop; exiting');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    void started.then((app) => app.stop()).then(() => process.exit(0), (err: unknown) => {
      logger.error({ err }, 'stop failed');
      process.exit(1);
    });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  return { stopping: () => stopping };
}

/** Builds the `liaison` command line. */
function createProgram(): Command {
  const program = new Command('liaison')
    .description('Press-liaison network bot (mạng lưới phát ngôn): inquiries from the press to agency spokespersons.')
    .showHelpAfterError();

  program.command('start')
    .description('Run the bot: migrate, start the channels, the queues and the HTTP server.')
    .addOption(new Option('--role <role>', 'which parts to run: all, web (channels + HTTP), worker (queues)').choices(['all', 'web', 'worker']).default('all'))
    .action((opts: { role: ProcessRole }) => start(opts).catch(fail));

  program.command('migrate')
    .description('Apply pending database migrations and the shipped official calendars (db/calendar/) for years without one, and exit.')
    .action(() => withDb(async () => { console.log('Cơ sở dữ liệu đã cập nhật / Database is up to date.'); }).catch(fail));

  program.command('import')
    .description(`Import a CSV file into the directory, or agencies' own deadline periods and office hours. Nothing is imported if any row is bad. Kinds: ${IMPORT_KINDS.join(', ')}.`)
    .argument('<kind>', `what the file holds: ${IMPORT_KINDS.join(', ')}`)
    .argument('<file>', 'path of the UTF-8 CSV file (formats in README.md)')
    .action((kindArg: string, file: string) => withDb(async ({ db }) => {
      const kind = parseImportKind(kindArg);
      if (!kind) {
        console.error(bilingual((c) => c.unknownKind(kindArg, IMPORT_KINDS)));
        process.exitCode = 1;
        return;
      }
      const result = await importCsvFile(db, kind, file, systemClock.now());
      if (!result.ok) {
        console.error(`Không nhập gì vì có ${result.errors.length} lỗi / Nothing was imported: ${result.errors.length} problem(s).`);
        result.errors.forEach((e) => console.error(e));
        process.exitCode = 1;
        return;
      }
      console.log(`Đã nhập ${result.rows} dòng (${result.inserted} mới, ${result.updated} cập nhật) / Imported ${result.rows} ${kind} row(s): ${result.inserted} new, ${result.updated} updated.`);
    }).catch(fail));

  program.command('sample')
    .description('Load the sample network (Thành phố Huế: departments, communes, topics, outlets, people with invite codes).')
    .action(() => withDb(async ({ db }) => {
      const summary = await loadSampleNetwork(db, systemClock.now());
      const counts = summary.files.map((f) => `${f.rows} ${f.kind} (${f.inserted} new, ${f.updated} updated)`);
      console.log(`Đã nạp mạng lưới mẫu / Sample network loaded: ${counts.join(', ')}.`);
      console.log('Invite codes: npm run liaison -- invites export');
    }).catch(fail));

  const calendar = program.command('calendar').description('The legal calendar: holidays, days off in lieu, make-up working days.');
  calendar.command('import')
    .description('Import an official yearly schedule (CSV date,kind,name,source; years from the file name, e.g. 2027.csv). It replaces the statutory defaults for those years. Nothing is imported if any row is bad.')
    .argument('<file>', 'path of the UTF-8 CSV file')
    .action((file: string) => withDb(async ({ db }) => {
      const result = await importCalendarCsv(db, file, systemClock.now());
      if (!result.ok) {
        console.error(`Không nhập gì vì có ${result.errors.length} lỗi / Nothing was imported: ${result.errors.length} problem(s).`);
        result.errors.forEach((e) => console.error(e));
        process.exitCode = 1;
        return;
      }
      console.log(`Đã nhập ${result.rows} ngày của lịch năm ${result.years.join(', ')} / Imported ${result.rows} calendar row(s) for ${result.years.join(', ')}.`);
    }).catch(fail));
  calendar.command('show')
    .description('Print a year\'s non-working days and make-up working days, official or statutory, with sources.')
    .argument('<year>', 'four-digit year')
    .action((year: string) => withDb(async ({ db }) => {
      if (!/^\d{4}$/.test(year)) {
        console.error('Năm cần 4 chữ số, ví dụ 2026 / Year must have four digits, e.g. 2026.');
        process.exitCode = 1;
        return;
      }
      console.log(await showCalendar(db, Number(year)));
    }).catch(fail));

  const report = program.command('report')
    .description('On-time replies per agency for inquiries received in a period, with and without extensions. Default: the Decree 244 reporting year (15 Dec – 14 Dec) ending this year.')
    .option('--from <date>', 'first received date, YYYY-MM-DD')
    .option('--to <date>', 'last received date, YYYY-MM-DD')
    .action((opts: { from?: string; to?: string }) => withDb(async ({ db }) => {
      const year = Number(new Date().toISOString().slice(0, 4));
      const range = { from: opts.from ?? `${year - 1}-12-15`, to: opts.to ?? `${year}-12-14` };
      if (![range.from, range.to].every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))) {
        console.error('Ngày cần dạng YYYY-MM-DD / Dates must read YYYY-MM-DD.');
        process.exitCode = 1;
        return;
      }
      console.log(formatOnTimeReport(await onTimeReport(db, range, systemClock.now(), await loadCalendar(db)), range));
    }).catch(fail));
  registerAnnualCommand(report, { withDb, fail });

  const invites = program.command('invites').description('Invite codes and deep links.');
  invites.command('export')
    .description('Write the invites sheet as CSV, issuing a code to each person who has none. Codes are stored only as hashes: a code is shown once, when issued; unused ones issued earlier show no code (--reissue replaces them).')
    .option('--out <file>', 'write to this file instead of standard output')
    .option('--reissue', 'give every unused invite of the selection a new code (the old codes stop working)')
    .option('--bot-username <name>', 'bot username for t.me links (default TELEGRAM_BOT_USERNAME)')
    .addOption(new Option('--role <role>', 'only people holding this role').choices([...ROLES]))
    .option('--bom', 'start the file with a UTF-8 BOM, so Excel shows Vietnamese diacritics')
    .action((opts: { out?: string; botUsername?: string; role?: Role; bom?: boolean; reissue?: boolean }) => withDb(async ({ db }) => {
      const botUsername = opts.botUsername ?? config().telegram?.username;
      const { csv, issued, hidden } = await exportInvites(db, { ...(botUsername ? { botUsername } : {}), ...(opts.role ? { roles: [opts.role] } : {}), bom: Boolean(opts.bom), reissue: Boolean(opts.reissue), now: systemClock.now() });
      if (opts.out) {
        writePrivateFile(opts.out, csv);
        console.log(`Đã ghi / Wrote ${opts.out}`);
      } else process.stdout.write(csv);
      // On stderr, so a sheet on stdout stays clean CSV.
      if (issued > 0) console.error(`Đã cấp ${issued} mã mời mới: mã chỉ hiện lần này, hãy lưu tệp. / Issued ${issued} new invite codes: they are shown only now, keep the sheet.`);
      if (hidden > 0) console.error(`${hidden} mã mời chưa dùng đã cấp trước đây không thể hiện lại (chỉ lưu mã băm); dùng --reissue để cấp mã mới (mã cũ hết hiệu lực). / ${hidden} unused invites issued earlier cannot be shown again (only their hash is stored); --reissue issues new codes (the old ones stop working).`);
    }).catch(fail));

  const zalo = program.command('zalo').description('The personal Zalo account the bot drives through zca-js (ZALO_PERSONAL_*).');
  zalo.command('login')
    .description('Log the personal Zalo account in by scanning a QR code (shown here and saved as a PNG under DATA_DIR); saves the session (mode 600) for the bot.')
    .action(() => zaloLoginCommand(config()).then(() => process.exit(0), fail));
  registerNoticeCommands(program, { config, withDb, fail });
  program.command('zalo-oa')
    .description('Zalo Official Account channel.')
    .command('tokens')
    .description('Install the OA access and refresh tokens (from the Zalo developer console), replacing stored ones; also clears a "refresh rejected" stop.')
    .requiredOption('--access <token>', 'access token')
    .requiredOption('--refresh <token>', 'refresh token (single-use: the bot rotates it from now on)')
    .option('--expires-in <seconds>', 'access token lifetime in seconds, as the console showed it', '90000')
    .action((opts: { access: string; refresh: string; expiresIn: string }) => withDb(async ({ db }) => {
      const zalo = config().zaloOa;
      const expiresInS = Number(opts.expiresIn);
      if (!zalo || !Number.isInteger(expiresInS) || expiresInS <= 0) {
        console.error('Cần ZALO_OA_APP_ID, ZALO_OA_APP_SECRET, ZALO_OA_SECRET_KEY và --expires-in là số giây dương / Set ZALO_OA_APP_ID, ZALO_OA_APP_SECRET, ZALO_OA_SECRET_KEY, and --expires-in as positive seconds.');
        process.exitCode = 1;
        return;
      }
      const now = systemClock.now();
      await installZaloTokens(db, zalo.appId, { accessToken: opts.access.trim(), refreshToken: opts.refresh.trim(), accessExpiresAt: new Date(now.getTime() + expiresInS * 1000), refreshExpiresAt: null }, now, loadSecretBox(config().secretsKey));
      console.log('Đã cài mã Zalo OA / Zalo OA tokens installed; running bots use them at their next send.');
    }).catch(fail));

  program.command('push').description('Web Push to staff browsers.')
    .command('reset-keys')
    .description('Only when the secrets key that sealed the VAPID private key is lost: forgets the VAPID keys and every browser subscription; the next start makes new keys and staff turn notifications on again.')
    .requiredOption('--yes', 'confirm: every subscription is removed')
    .action(() => withDb(async ({ db }) => {
      const removed = await resetVapidKeys(db);
      console.log(`Đã xóa khóa VAPID và ${removed} đăng ký; khởi động lại bot để tạo khóa mới, nhân viên bật lại thông báo trên trang. / Removed the VAPID keys and ${removed} subscriptions; restart the bot to make new keys, staff turn notifications on again on the page.`);
    }).catch(fail));

  const web = program.command('web').description('The web chat page.');
  web.command('link')
    .description('Print a one-time sign-in link (and code, valid 10 minutes) for a person, to hand to someone who uses only the web page.')
    .argument('<person-code>', 'the person\'s directory code (person_code in people.csv), e.g. PV-HUE-01')
    .action((personCode: string) => withDb(async ({ db }) => {
      const cfg = config();
      const issued = await db.transaction().execute((tx) => issueWebLoginCodeForPerson(tx, personCode, systemClock.now()));
      if (!issued) {
        console.error(`Không có người nào mang mã ${personCode} / No person has the code ${personCode}.`);
        process.exitCode = 1;
        return;
      }
      const base = cfg.publicUrl ?? `http://${displayHost(cfg.http.host)}:${cfg.http.port}`;
      console.log([
        `${issued.fullName}: ${base}/web?code=${issued.code}`,
        `Mã đăng nhập / sign-in code: ${issued.code} (${WEB_LOGIN_CODE_TTL_MS / 60_000} phút / minutes, một lần / single use)`,
      ].join('\n'));
    }).catch(fail));

  return program;
}

await createProgram().parseAsync(process.argv);
