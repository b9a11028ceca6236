import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import type { DbHandle, DbSource } from '../../db/client.js';
import { localDate } from '../../flows/copy/format.js';
import { recordAnnualReportMade } from '../../flows/maintenance/annual-report-reminder.js';
import { formatDay } from '../dashboard/format.js';
import { defaultDashboardPageDir } from '../dashboard/assets.js';
import { loadCalendar } from '../import/calendar.js';
import { writePrivateFile } from '../private-files.js';
import { systemClock } from '../time/clock.js';
import { annualReport, UnknownOrgError, type AnnualReport } from './annual.js';
import { renderAnnualHtml } from './annual-html.js';
import { writeAnnualXlsxFile } from './annual-file.js';
import { annualLines } from './annual-xlsx.js';

/** What the annual report command needs from the CLI. */
export interface AnnualCliDeps {
  withDb<T>(fn: (db: DbHandle) => Promise<T>): Promise<T>;
  fail(err: unknown): never;
}

/** The report as aligned text for the terminal (Vietnamese, then English). */
export function formatAnnualText(r: AnnualReport): string {
  const who = r.org ? `${r.org.name} (${r.org.code})` : 'toàn mạng lưới / whole network';
  return [
    `Báo cáo năm ${r.year} (Điều 10 Nghị định 244/2026/NĐ-CP) / Annual report ${r.year} (Decree 244 Art. 10): ${who}, ${formatDay(r.range.from)} – ${formatDay(r.range.to)}`,
    ...annualLines(r).map((l) => `${l.no}. ${l.vi} / ${l.en}: ${l.value}${l.note ? ` (${l.note})` : ''}`),
  ].join('\n');
}

/**
 * Writes the XLSX to `path` (600, on a worker thread reading `source` itself, renamed into place
 * when complete); an interrupt (Ctrl-C) leaves no partial file.
 */
export async function writeAnnualFile(r: AnnualReport, path: string, source?: DbSource): Promise<void> {
  const interrupted = new AbortController();
  const stop = () => { interrupted.abort(new Error('Đã dừng / Interrupted.')); };
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    await writeAnnualXlsxFile(r, path, { signal: interrupted.signal, ...(source ? { source } : {}) });
  } finally {
    process.off('SIGINT', stop).off('SIGTERM', stop);
  }
}

/** `liaison report annual [--year Y] [--org CODE] [--out file.xlsx] [--html file.html]`. */
export function registerAnnualCommand(report: Command, deps: AnnualCliDeps): void {
  report.command('annual')
    .description('The Decree 244 Art. 10 yearly report (15 Dec – 14 Dec) for a ministry or province (--org, with everything below it) or the whole network: printed, and as XLSX (--out, second sheet: every record behind each figure) and a printable A4 page (--html).')
    .option('--year <year>', 'reporting year, e.g. 2026 (15/12/2025 – 14/12/2026); default this calendar year')
    .option('--org <code>', 'organisation code (a ministry or province); default the whole network')
    .option('--out <file.xlsx>', 'write the XLSX report here (file mode 600)')
    .option('--html <file.html>', 'write the printable A4 page here (file mode 600)')
    .action((opts: { year?: string; org?: string; out?: string; html?: string }) => deps.withDb(async ({ db, source }) => {
      const now = systemClock.now();
      // From 15 December to the year's end this is the year just ended, whose report is due by the 20th.
      const year = Number(opts.year ?? localDate(now).slice(0, 4));
      if (!Number.isInteger(year) || year < 2000 || year > 2100) {
        console.error('Năm cần 4 chữ số, ví dụ 2026 / --year must be a four-digit year, e.g. 2026.');
        process.exitCode = 1;
        return;
      }
      try {
        const report = await annualReport(db, { year, ...(opts.org ? { orgCode: opts.org } : {}), now, calendar: await loadCalendar(db) });
        console.log(formatAnnualText(report));
        if (opts.out || opts.html) await db.transaction().execute((tx) => recordAnnualReportMade(tx, year, now, null));
        if (opts.out) {
          await writeAnnualFile(report, opts.out, source);
          console.log(`Đã ghi / Wrote ${opts.out}`);
        }
        if (opts.html) {
          writePrivateFile(opts.html, renderAnnualHtml(report, { inline: readFileSync(`${defaultDashboardPageDir()}/print.css`, 'utf8') }));
          console.log(`Đã ghi / Wrote ${opts.html}`);
        }
      } catch (err) {
        if (!(err instanceof UnknownOrgError)) throw err;
        console.error(err.message);
        process.exitCode = 1;
      }
    }).catch(deps.fail));
}
