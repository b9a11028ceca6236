import type { Command } from 'commander';
import { writePrivateFile } from '../private-files.js';
import type { DbHandle } from '../../db/client.js';
import type { Config } from '../config.js';
import { createLogger } from '../logger.js';
import { systemClock } from '../time/clock.js';
import { exportCsv, NoticeCliError, sendFromCli, statusText, type CliFileStore, type SendOptions } from './cli-actions.js';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Db } from '../../db/client.js';
import { copyFor } from '../../flows/copy/index.js';
import type { Files } from '../files/index.js';
import { createNoticeService } from './service.js';

/** What the notice commands borrow from `src/cli.ts`. */
export interface NoticeCliDeps {
  config(): Readonly<Config>;
  withDb<T>(fn: (db: DbHandle) => Promise<T>): Promise<T>;
  fail(err: unknown): never;
}

/** Registers `liaison notice send|status|export`. */
export function registerNoticeCommands(program: Command, deps: NoticeCliDeps): void {
  const notice = program.command('notice').description('Policy notices to commune contacts (thông báo chính sách).');
  const run = (fn: () => Promise<void>) => fn().catch((err: unknown) => {
    if (err instanceof NoticeCliError) {
      console.error(err.message);
      process.exitCode = 1;
      return;
    }
    deps.fail(err);
  });

  notice.command('send')
    .description('Preview a notice, then send it after confirmation. Audience: all | org:CODE[,CODE…] (with everything below) | tag:TAG[,TAG…] | org:…;tag:… (both).')
    .requiredOption('--audience <audience>', 'who receives it, e.g. org:HUE')
    .requiredOption('--file <file>', 'UTF-8 text; first line "# Title" unless --title')
    .option('--title <title>', 'title (then the whole file is the body)')
    .option('--link <url>', 'a link to attach')
    .option('--as <person-code>', 'coordinator the notice is sent for (receives the final summary in chat)')
    .option('--yes', 'send without asking')
    .option('--attach <file...>', 'files to send after the text (a decree): checked by their bytes like any file')
    .action((opts: SendOptions) => run(() => deps.withDb(async ({ db }) => {
      const id = await sendFromCli(db, opts, systemClock.now(), (line) => console.log(line), cliFileStore(deps.config(), db));
      if (id === undefined) return;
      const cfg = deps.config();
      if (cfg.redisUrl) {
        const service = createNoticeService({
          db, redis: { url: cfg.redisUrl }, prefix: cfg.queuePrefix, adapters: new Map(), clock: systemClock,
          logger: createLogger({ level: 'silent', secrets: cfg.secrets }), settings: cfg.notices, defaultLocale: cfg.defaultLocale,
          accountOf: (p) => p, enqueueOutbox: async () => undefined,
        });
        try {
          await service.startNotices([id]);
        } finally {
          await service.close();
        }
        console.log(`Đang gửi thông báo #${id} / Notice #${id} is being sent. Progress: liaison notice status ${id}`);
      } else {
        console.log(`Thông báo #${id} sẽ được bot đang chạy gửi trong vòng 15 giây / The running bot starts sending notice #${id} within 15 s. Progress: liaison notice status ${id}`);
      }
    })));

  notice.command('status')
    .description('Delivery and acknowledgement counts of a notice, with rates per province and commune.')
    .argument('<id>', 'notice number')
    .action((id: string) => run(() => deps.withDb(async ({ db }) => { console.log(await statusText(db, toId(id))); })));

  notice.command('export')
    .description('Write each recipient\'s delivery status and acknowledgement time as CSV.')
    .argument('<id>', 'notice number')
    .option('--out <file>', 'write to this file instead of standard output')
    .option('--bom', 'start with a UTF-8 BOM (Excel)')
    .action((id: string, opts: { out?: string; bom?: boolean }) => run(() => deps.withDb(async ({ db }) => {
      const csv = await exportCsv(db, toId(id), Boolean(opts.bom));
      if (opts.out) {
        writePrivateFile(opts.out, csv);
        console.log(`Đã ghi / Wrote ${opts.out}`);
      } else process.stdout.write(csv);
    })));
}

/** Stores a file named on the command line through the bot's file service (the same checks and blob store as the bot). */
function cliFileStore(cfg: Readonly<Config>, db: Db): CliFileStore {
  // Loaded only when a file is attached: the file service brings the S3 client, which every other
  // `liaison` command would otherwise pay for at start.
  let files: Promise<Files> | undefined;
  const service = () => (files ??= import('../files/index.js').then((m) => m.createFiles(cfg.files, db, createLogger({ level: 'silent', secrets: cfg.secrets }), () => systemClock.now())));
  const t = copyFor('vi');
  const en = copyFor('en');
  const limits = { maxFileMb: Math.round(cfg.files.limits.maxFileBytes / 1024 / 1024), maxMessageMb: Math.round(cfg.files.limits.maxMessageBytes / 1024 / 1024), maxFiles: cfg.files.limits.maxFilesPerMessage };
  return async (path) => {
    let bytes;
    try {
      bytes = createReadStream(path);
      await new Promise((resolve, reject) => { bytes!.once('open', resolve).once('error', reject); });
    } catch {
      return { refused: `không đọc được tệp / cannot read the file` };
    }
    const saved = await (await service()).service.save({ bytes, name: basename(path), sourceKey: `cli:${randomUUID()}`, fallbackName: 'tep' });
    if ('attachmentId' in saved) return { id: saved.attachmentId };
    const file = { name: basename(path), kind: 'document' as const };
    return { refused: `${t.files.refused(file, saved.refused, limits)} / ${en.files.refused(file, saved.refused, limits)}` };
  };
}

function toId(text: string): number {
  if (!/^\d{1,12}$/.test(text)) throw new NoticeCliError('Số thông báo không hợp lệ / The notice number must be digits.');
  return Number(text);
}
