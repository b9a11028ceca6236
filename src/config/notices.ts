import { z } from 'zod';
import { int } from './fields.js';

/** The `NOTICE_*` keys (policy-notice broadcasts); documented in `.env.example`. */
export const noticeKeys = {
  NOTICE_CONCURRENCY: int(1, 128).default(8),
  NOTICE_RATE_PER_S: z.string().regex(/^[a-z_]+=\d+(\.\d+)?(,[a-z_]+=\d+(\.\d+)?)*$/, 'comma-separated platform=messages per second, e.g. telegram=25,zalo_oa=10 (0: no limit)').default('telegram=25,zalo_oa=10,zalo_personal=1,web=0'),
  NOTICE_CHAT_INTERVAL_MS: int(0, 600_000).default(1000),
  NOTICE_PROGRESS_INTERVAL_MS: int(500, 600_000).default(3000),
  NOTICE_REMIND_AFTER_MS: int(0, 30 * 24 * 3_600_000).default(24 * 3_600_000),
  NOTICE_SEND_LEASE_MS: int(1000, 3_600_000).default(10_000),
  NOTICE_MAX_ATTEMPTS: int(1, 100).default(10),
  NOTICE_BATCH_SIZE: int(1, 5000).default(100),
};

type NoticeRaw = z.infer<z.ZodObject<typeof noticeKeys>>;

/** Policy-notice broadcasts (`NOTICE_*`). */
export interface NoticeSettings {
  /** Batches delivered at once per process (each batch sends one message at a time). */
  concurrency: number;
  /** Messages per second per platform account (Telegram: per bot); 0 or absent: no limit of ours. */
  ratePerS: Readonly<Record<string, number>>;
  /** Least time between two messages to one chat, in ms (Telegram: about 1 s). */
  chatIntervalMs: number;
  /** Least time between two edits of a coordinator's progress message, in ms. */
  progressIntervalMs: number;
  /** Remind those who have not acknowledged this long after sending, in ms; 0: never. */
  remindAfterMs: number;
  /** A send whose claim was not renewed for this long is presumed lost with its process, in ms (renewed every third of it while it runs). */
  sendLeaseMs: number;
  /** Attempts per recipient on transient errors before the row is marked failed. */
  maxAttempts: number;
  /** Recipients per delivery job. */
  batchSize: number;
}

/** The notice settings from validated keys. */
export function toNoticeSettings(raw: NoticeRaw): NoticeSettings {
  return {
    concurrency: raw.NOTICE_CONCURRENCY,
    ratePerS: Object.fromEntries(raw.NOTICE_RATE_PER_S.split(',').map((pair) => pair.split('=')).map(([k, v]) => [k, Number(v)])),
    chatIntervalMs: raw.NOTICE_CHAT_INTERVAL_MS,
    progressIntervalMs: raw.NOTICE_PROGRESS_INTERVAL_MS,
    remindAfterMs: raw.NOTICE_REMIND_AFTER_MS,
    sendLeaseMs: raw.NOTICE_SEND_LEASE_MS,
    maxAttempts: raw.NOTICE_MAX_ATTEMPTS,
    batchSize: raw.NOTICE_BATCH_SIZE,
  };
}
