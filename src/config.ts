import { parse as parseDotenv } from 'dotenv';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { bool, int, optionalText } from './config/fields.js';
import { deliveryKeys, toDeliverySettings, type DeliverySettings } from './config/delivery.js';
import { noticeKeys, toNoticeSettings, type NoticeSettings } from './config/notices.js';
import { toZaloOa, toZaloPersonal, zaloCrossCheck, zaloKeys, type ZaloOaConfig, type ZaloPersonalConfig } from './config/zalo.js';
import { securityKeys, allowedHostNames } from './config/security.js';
import type { SecretsKeySource } from './secrets-key.js';
import { DEFAULT_PG_POOL_SIZE } from '../db/pool-sizes.js';
import { fileCrossCheck, fileKeys, fileSecrets, toFileSettings, type FileSettings } from './config/files.js';
import { pushKeys, toPushSettings, type PushSettings } from './config/push.js';

export type { DeliverySettings } from './config/delivery.js';
export type { NoticeSettings } from './config/notices.js';
export type { ZaloOaConfig, ZaloPersonalConfig } from './config/zalo.js';
export type { FileSettings } from './config/files.js';


/** Every setting, validated. Keys and defaults are documented in `.env.example`. */
const schema = z.object({
  ...zaloKeys,
  ...noticeKeys,
  ...securityKeys,
  ...fileKeys,
  ...deliveryKeys,
  ...pushKeys,
  TELEGRAM_BOT_TOKEN: z.string().trim().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must look like 123456:ABC… (from @BotFather)').optional(),
  TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org').refine((u) => new URL(u).pathname === '/', 'must have no path part'),
  TELEGRAM_MODE: z.enum(['polling', 'webhook']).default('polling'),
  TELEGRAM_REQUEST_TIMEOUT_MS: int(1000, 600_000).default(30_000),
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, '16–256 characters of A-Z a-z 0-9 _ -').optional(),
  TELEGRAM_BOT_USERNAME: z.string().regex(/^[A-Za-z0-9_]{5,64}$/).optional(),
  PUBLIC_URL: z.url().refine((u) => u.startsWith('https://') || u.startsWith('http://'), 'http(s) URL').optional(),
  DATABASE_URL: z.string().trim().min(1).default('data/liaison.sqlite'),
  DATABASE_PREPARED_STATEMENTS: bool.default(true),
  DATABASE_POOL_SIZE: int(2, 500).default(DEFAULT_PG_POOL_SIZE),
  LOW_MEMORY: bool.default(true),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  REDIS_SERVER_BIN: z.string().min(1).default('redis-server'),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default('liaison'),
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  HTTP_PORT: int(0, 65535).default(8080),
  DATA_DIR: z.string().min(1).default('data'),
  DEFAULT_LOCALE: z.enum(['vi', 'en']).default('vi'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OUTBOX_CONCURRENCY: int(1, 256).default(16),
  OUTBOX_MAX_ATTEMPTS: int(1, 1000).default(30),
  OUTBOX_BACKOFF_MAX_MS: int(1000, 3_600_000).default(300_000),
  OUTBOX_CREDENTIALS_RECHECK_MS: int(100, 3_600_000).default(60_000),
  MAX_QUESTION_CHARS: int(20, 20_000).default(4000),
  ANSWER_CORRECTION_MINUTES: int(0, 1440).default(10),
  SHUTDOWN_TIMEOUT_MS: int(100, 120_000).default(10_000),
  METRICS_ENABLED: bool.default(true),
  LOAD_SAMPLE_IF_EMPTY: bool.default(true),
  WEB_ENABLED: bool.default(true),
  WEB_SESSION_IDLE_MS: int(60_000, 30 * 24 * 3_600_000).default(8 * 3_600_000),
  WEB_SESSION_MAX_MS: int(3_600_000, 365 * 24 * 3_600_000).default(30 * 24 * 3_600_000),
  NETWORK_NAME: z.string().trim().min(1).max(80).default('Mạng lưới phát ngôn'),
  HTTP_TRUST_PROXY: bool.default(false),
  DEADLINE_REMINDER_PERCENTS: z.string().regex(/^\d{1,2}(,\d{1,2})*$/, 'comma-separated percentages 1–99, e.g. 50,80').default('50,80'),
  DEADLINE_OVERDUE_TIME: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm').default('08:00'),
  ESCALATION_LADDER: z.string().regex(/^(head|coordinator|leader)(,(head|coordinator|leader))*$/, 'comma-separated rungs: head, coordinator, leader').default('head,coordinator,leader'),
  CI: optionalText,
});

type Raw = z.infer<typeof schema>;

/** The validated, frozen configuration. Built once by {@link loadConfig}; pass it down explicitly. */
export interface Config {
  telegram?: {
    /** Bot token from @BotFather. Secret: never log it. */
    token: string;
    /** Bot API root without path, e.g. `https://api.telegram.org` or a local fake. */
    apiRoot: string;
    mode: 'polling' | 'webhook';
    /** Webhook secret echoed by Telegram in `X-Telegram-Bot-Api-Secret-Token` (webhook mode). */
    webhookSecret?: string;
    /** Bot username for deep links; asked from `getMe` when unset. */
    username?: string;
    /** Bound of one Bot API request, in ms (file uploads: 10 times that); then a retryable error. */
    requestTimeoutMs: number;
  };
  /** The Zalo Official Account channel; absent unless `ZALO_OA_APP_ID` is set. */
  zaloOa?: ZaloOaConfig;
  /** Public base URL of this service (webhooks), e.g. `https://bot.example.gov.vn`. */
  publicUrl?: string;
  databaseUrl: string;
  /** PostgreSQL: the inquiry path's marked statements run as named (prepared) statements. */
  databasePreparedStatements: boolean;
  /** PostgreSQL: most connections of each process's main pool (its acks' own pool adds up to 10: `db/pool-sizes.ts`). */
  databasePoolSize: number;
  /**
   * `liaison start` has V8 favour a small heap (`--optimize-for-size`): a lower peak of resident
   * memory for more CPU per inquiry (README, *Operating it*, "Memory").
   */
  lowMemory: boolean;
  /** `undefined`: run a private redis-server child. */
  redisUrl?: string;
  redisServerBin: string;
  /** BullMQ key prefix; several deployments may share one Redis with different prefixes. */
  queuePrefix: string;
  /** `trustProxy`: sign-in rate limits key on X-Forwarded-For's last entry (behind a reverse proxy). */
  http: {
    host: string; port: number; trustProxy: boolean;
    /** Host names (lower case) the server answers to besides IP addresses and `localhost` (`HTTP_ALLOWED_HOSTS`). */
    allowedHosts: string[];
  };
  /** Bearer token for `GET /metrics` (`METRICS_TOKEN`); absent: loopback clients only. Secret. */
  metricsToken?: string;
  /** Directory for the SQLite file, the private Redis and exports. */
  dataDir: string;
  /** Where the key of stored credentials comes from (`SECRETS_KEY`, `SECRETS_KEY_FILE`; see `src/secrets-key.ts`). */
  secretsKey: SecretsKeySource;
  defaultLocale: 'vi' | 'en';
  logLevel: Raw['LOG_LEVEL'];
  outbox: {
    /** Parallel deliveries per process. */
    concurrency: number;
    /** Attempts on transient errors before a row is marked failed. */
    maxAttempts: number;
    /** Upper bound of the exponential backoff between attempts, in ms. */
    backoffMaxMs: number;
    /** How often messages held because a platform refused our credentials are tried again (one per platform), in ms. */
    credentialsRecheckMs: number;
  };
  /** Longest question accepted, in characters. */
  maxQuestionChars: number;
  /** How long after sending an answer its spokesperson may correct it, in minutes (0: never). */
  answerCorrectionMinutes: number;
  /** How long a graceful stop may take before the process exits anyway, in ms. */
  shutdownTimeoutMs: number;
  metricsEnabled: boolean;
  /** Load the sample network on start when the directory is empty (first run). */
  loadSampleIfEmpty: boolean;
  /** The web channel (chat page at /web on the HTTP server). */
  web: {
    enabled: boolean;
    /** A browser session idle this long (no request, no open page) expires, in ms. */
    sessionIdleMs: number;
    /** A browser session ends this long after sign-in whatever its activity, in ms. */
    sessionMaxMs: number;
    /** The sender name of the bot's messages on the page (the network's name). */
    botName: string;
  };
  deadlines: {
    /** Reminders to the spokesperson at these percentages of the allowed time (plus one at the due time). */
    reminderPercents: number[];
    /** Local time (Asia/Ho_Chi_Minh) of the daily nudge on working days while overdue, `HH:mm`. */
    overdueNudgeTime: string;
    /** Who is told, in order, once the inquiry is late: head of agency, coordinating office, network leader. */
    ladder: Array<'head' | 'coordinator' | 'leader'>;
  };
  /** The personal Zalo account (zca-js). Paths are set even when disabled, for `liaison zalo login`. */
  zaloPersonal: ZaloPersonalConfig;
  notices: NoticeSettings;
  /** Attachments (`FILES_*`, `S3_*`, `CLAMD_ADDRESS`). */
  files: FileSettings;
  /** Outbox claims and sweep, Redis data-loss checks. */
  delivery: DeliverySettings;
  /** Web Push to staff (`WEB_PUSH_*`). */
  push: PushSettings;
  /** Every secret value, so the logger can scrub them from any text. */
  secrets: readonly string[];
}



/** Thrown by {@link loadConfig}; `problems` lists every bad key. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Cấu hình không hợp lệ / invalid configuration (.env.example lists every key):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads `.env` (if present) under the environment: real environment variables win. */
export function readEnvironment(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const file = `${cwd}/.env`;
  const fromFile = existsSync(file) ? parseDotenv(readFileSync(file)) : {};
  return { ...fromFile, ...env };
}

function emptyToUndefined(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = env[key];
    out[key] = v === undefined || v.trim() === '' ? undefined : v;
  }
  return out;
}

/** Validates the environment into a frozen {@link Config}, or throws {@link ConfigError}. */
export function loadConfig(env: Record<string, string | undefined> = readEnvironment()): Readonly<Config> {
  const values = emptyToUndefined(env);
  const parsed = schema.safeParse(values);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)),
    ...crossCheck(values),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(toConfig(parsed.data));
}

/** Rules between keys, checked on the raw values so they are listed with the per-key problems. */
function crossCheck(raw: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (raw.TELEGRAM_MODE === 'webhook') {
    if (!raw.TELEGRAM_WEBHOOK_SECRET) problems.push('TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_MODE=webhook');
    if (!raw.PUBLIC_URL) problems.push('PUBLIC_URL: required when TELEGRAM_MODE=webhook (Telegram must reach /webhooks/telegram)');
  }
  problems.push(...zaloCrossCheck(raw));
  problems.push(...fileCrossCheck(raw));
  return problems;
}


function toConfig(raw: Raw): Config {
  const telegram = raw.TELEGRAM_BOT_TOKEN
    ? {
      token: raw.TELEGRAM_BOT_TOKEN,
      apiRoot: raw.TELEGRAM_API_ROOT.replace(/\/$/, ''),
      mode: raw.TELEGRAM_MODE,
      requestTimeoutMs: raw.TELEGRAM_REQUEST_TIMEOUT_MS,
      ...(raw.TELEGRAM_WEBHOOK_SECRET ? { webhookSecret: raw.TELEGRAM_WEBHOOK_SECRET } : {}),
      ...(raw.TELEGRAM_BOT_USERNAME ? { username: raw.TELEGRAM_BOT_USERNAME } : {}),
    }
    : undefined;
  const zaloOa = toZaloOa(raw);
  const secrets = [raw.TELEGRAM_BOT_TOKEN, raw.TELEGRAM_WEBHOOK_SECRET, passwordOf(raw.DATABASE_URL), passwordOf(raw.REDIS_URL),
    raw.ZALO_OA_APP_SECRET, raw.ZALO_OA_SECRET_KEY, raw.ZALO_OA_ACCESS_TOKEN, raw.ZALO_OA_REFRESH_TOKEN, raw.METRICS_TOKEN, raw.SECRETS_KEY, ...fileSecrets(raw)]
    .filter((s): s is string => typeof s === 'string' && s.length >= 4);
  return {
    ...(telegram ? { telegram } : {}),
    ...(zaloOa ? { zaloOa } : {}),
    ...(raw.PUBLIC_URL ? { publicUrl: raw.PUBLIC_URL.replace(/\/$/, '') } : {}),
    databaseUrl: raw.DATABASE_URL,
    databasePreparedStatements: raw.DATABASE_PREPARED_STATEMENTS,
    databasePoolSize: raw.DATABASE_POOL_SIZE,
    lowMemory: raw.LOW_MEMORY,
    ...(raw.REDIS_URL ? { redisUrl: raw.REDIS_URL } : {}),
    redisServerBin: raw.REDIS_SERVER_BIN,
    queuePrefix: raw.QUEUE_PREFIX,
    http: { host: raw.HTTP_HOST, port: raw.HTTP_PORT, trustProxy: raw.HTTP_TRUST_PROXY, allowedHosts: allowedHostNames(raw) },
    ...(raw.METRICS_TOKEN ? { metricsToken: raw.METRICS_TOKEN } : {}),
    dataDir: raw.DATA_DIR,
    secretsKey: { ...(raw.SECRETS_KEY ? { key: raw.SECRETS_KEY } : {}), keyFile: raw.SECRETS_KEY_FILE ?? `${raw.DATA_DIR}/secret.key` },
    defaultLocale: raw.DEFAULT_LOCALE,
    logLevel: raw.LOG_LEVEL,
    outbox: { concurrency: raw.OUTBOX_CONCURRENCY, maxAttempts: raw.OUTBOX_MAX_ATTEMPTS, backoffMaxMs: raw.OUTBOX_BACKOFF_MAX_MS, credentialsRecheckMs: raw.OUTBOX_CREDENTIALS_RECHECK_MS },
    maxQuestionChars: raw.MAX_QUESTION_CHARS,
    answerCorrectionMinutes: raw.ANSWER_CORRECTION_MINUTES,
    shutdownTimeoutMs: raw.SHUTDOWN_TIMEOUT_MS,
    metricsEnabled: raw.METRICS_ENABLED,
    loadSampleIfEmpty: raw.LOAD_SAMPLE_IF_EMPTY,
    web: { enabled: raw.WEB_ENABLED, sessionIdleMs: raw.WEB_SESSION_IDLE_MS, sessionMaxMs: raw.WEB_SESSION_MAX_MS, botName: raw.NETWORK_NAME },
    deadlines: {
      reminderPercents: raw.DEADLINE_REMINDER_PERCENTS.split(',').map(Number).filter((p) => p > 0 && p < 100),
      overdueNudgeTime: raw.DEADLINE_OVERDUE_TIME,
      ladder: raw.ESCALATION_LADDER.split(',') as Config['deadlines']['ladder'],
    },
    zaloPersonal: toZaloPersonal(raw),
    notices: toNoticeSettings(raw),
    files: toFileSettings(raw, raw.DATA_DIR),
    delivery: toDeliverySettings(raw),
    push: toPushSettings(raw),
    secrets,
  };
}

function passwordOf(url: string | undefined): string | undefined {
  if (!url || !/^[a-z]+:\/\//i.test(url)) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
