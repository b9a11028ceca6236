import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Db } from '../../db/client.js';
import { preferredIdentity } from '../../db/repositories/directory.js';
import { copyFor } from '../../flows/copy/index.js';
import { localDate } from '../../flows/copy/format.js';
import { formatAudience, parseAudience } from '../../flows/notices/audience.js';
import { saveDraft, type NoticeContent } from '../../flows/notices/draft.js';
import { ackRates, toNoticeCounts } from '../../flows/notices/status.js';
import { cancelDraft, confirmDraft } from '../../db/repositories/notices-write.js';
import { findPersonByCode } from '../../db/repositories/directory.js';
import { countByStatus, findNotice, listRecipientsForExport } from '../../db/repositories/notices.js';
import { toCsv } from '../import/csv-write.js';

/** `liaison notice send` options. */
export interface SendOptions {
  audience: string;
  file: string;
  title?: string;
  link?: string;
  /** Person code of the coordinator the notice is sent for (gets the final summary in chat). */
  as?: string;
  yes?: boolean;
  /** Files to send after the text (a decree), stored and checked like any file first. */
  attach?: string[];
}

/** Stores one file given on the command line; its attachment id, or why it was refused (in both languages). */
export type CliFileStore = (path: string) => Promise<{ id: number } | { refused: string }>;

/** A user-facing refusal of the command line (exit code 1, no stack trace). */
export class NoticeCliError extends Error {}

/**
 * Reads a notice file: a first line `# Title` (unless `--title` is given), then the body
 * (Markdown-ish plain text, sent as is).
 */
export function readNoticeFile(file: string, title?: string, link?: string): NoticeContent {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').replace(/\r\n/g, '\n').trim();
  const m = /^#\s+(.+)\n+([\s\S]*)$/.exec(text);
  const content = title ? { title, body: text } : m ? { title: m[1]!.trim(), body: m[2]!.trim() } : undefined;
  if (!content) throw new NoticeCliError('Tệp cần dòng đầu "# Tiêu đề" (hoặc --title) / The file needs a first line "# Title" (or --title).');
  if (content.body === '') throw new NoticeCliError('Nội dung trống / The body is empty.');
  if (link !== undefined && !/^https?:\/\/\S+$/.test(link)) throw new NoticeCliError('--link cần http(s):// / --link must be an http(s) URL.');
  return { ...content, link: link ?? null };
}

/**
 * Drafts the notice, prints the preview and, once confirmed (`--yes` or typing "y"), marks it for
 * sending. Returns the notice id when confirmed; the caller queues its deliveries.
 */
export async function sendFromCli(db: Db, o: SendOptions, now: Date, print: (line: string) => void, storeFile?: CliFileStore): Promise<number | undefined> {
  const audience = parseAudience(o.audience);
  if (!audience) throw new NoticeCliError('Đối tượng không hợp lệ / Bad --audience. Examples: all, org:HUE, org:P-KIMLONG,P-VYDA, tag:y-te, org:HUE;tag:y-te');
  const content = { ...readNoticeFile(o.file, o.title, o.link), ...(o.attach?.length ? { files: await storeAll(o.attach, storeFile) } : {}) };
  const sender = o.as ? await findPersonByCode(db, o.as) : undefined;
  if (o.as && !sender) throw new NoticeCliError(`Không có người mã ${o.as} / No person with code ${o.as}.`);
  const nowIso = now.toISOString();
  const draft = await saveDraft(db, content, audience, { scope: null, today: localDate(now), nowIso, createdBy: sender?.id ?? null });
  const t = copyFor('vi');
  if ('refused' in draft) {
    throw new NoticeCliError(draft.refused === 'unknown_orgs' ? t.notice.unknownOrgs(draft.codes) : draft.refused === 'empty' ? t.notice.noRecipients : t.notice.outOfScope(draft.codes));
  }
  print(t.notice.preview({
    id: draft.id, title: content.title, audience: formatAudience(audience), perChannel: draft.perChannel,
    unreachable: draft.unreachable, notJoined: draft.notJoined, parts: Math.ceil(t.notice.message(content).length / 4000),
    files: (o.attach ?? []).map((path) => basename(path)),
  }).split('\n').slice(0, -1).join('\n'));
  if (!o.yes && !(await askYes(`Gửi cho ${draft.perChannel.reduce((n, c) => n + c.n, 0)} người? / Send? [y/N] `))) {
    await cancelDraft(db, draft.id, nowIso);
    print('Đã hủy, không gửi gì / Cancelled; nothing was sent.');
    return undefined;
  }
  const identity = sender ? await preferredIdentity(db, sender.id) : undefined;
  await confirmDraft(db, draft.id, nowIso, identity?.id ?? null);
  return draft.id;
}

async function storeAll(paths: readonly string[], storeFile: CliFileStore | undefined): Promise<number[]> {
  if (!storeFile) throw new NoticeCliError('Không lưu được tệp đính kèm / Attachments cannot be stored here.');
  const ids: number[] = [];
  for (const path of paths) {
    const stored = await storeFile(path);
    if ('refused' in stored) throw new NoticeCliError(`${basename(path)}: ${stored.refused}`);
    ids.push(stored.id);
  }
  return ids;
}

async function askYes(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^(y|yes|c|có|co)$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** `liaison notice status <id>`: counts and acknowledgement rates, in Vietnamese. */
export async function statusText(db: Db, id: number): Promise<string> {
  const notice = await findNotice(db, id);
  if (!notice) throw new NoticeCliError(copyFor('vi').notice.notFound(String(id)));
  const { provinces, communes } = await ackRates(db, id);
  const extra = notice.resent_in_flight > 0 ? `\nGửi lại sau sự cố (có thể trùng) / re-sent after a crash (possible repeats): ${notice.resent_in_flight}` : '';
  return `${copyFor('vi').notice.status(id, notice.title, toNoticeCounts(await countByStatus(db, id)), provinces, communes)}\nstatus: ${notice.status}${extra}`;
}

/** Columns of `liaison notice export`. */
export const NOTICE_EXPORT_HEADER = ['person_code', 'full_name', 'org_code', 'org_name', 'channel', 'status', 'attempts', 'sent_at', 'acked_at', 'error'] as const;

/** `liaison notice export <id>`: each recipient's delivery and acknowledgement as CSV. */
export async function exportCsv(db: Db, id: number, bom: boolean): Promise<string> {
  if (!(await findNotice(db, id))) throw new NoticeCliError(copyFor('vi').notice.notFound(String(id)));
  const rows = (await listRecipientsForExport(db, id)).map((r) => [
    r.person_code ?? '', r.full_name, r.org_code ?? '', r.org_name ?? '', r.platform ?? '', r.status, String(r.attempts),
    r.sent_at ?? '', r.acked_at ?? '', r.last_error ?? '',
  ]);
  return (bom ? '\uFEFF' : '') + toCsv([[...NOTICE_EXPORT_HEADER], ...rows]);
}
