import { z } from 'zod';
import { bool, int, optionalText } from './fields.js';

/** The `ZALO_OA_*` and `ZALO_PERSONAL_*` keys; documented in `.env.example`. */
export const zaloKeys = {
  ZALO_PERSONAL_ENABLED: bool.default(false),
  ZALO_PERSONAL_CREDENTIALS_FILE: optionalText,
  ZALO_PERSONAL_SEND_INTERVAL_MS: int(0, 60_000).default(1200),
  ZALO_PERSONAL_SEND_JITTER_MS: int(0, 60_000).default(400),
  ZALO_PERSONAL_RATE_LIMIT_RETRY_MS: int(1000, 3_600_000).default(60_000),
  ZALO_PERSONAL_RECONNECT_MAX_MS: int(1000, 3_600_000).default(300_000),
  ZALO_PERSONAL_KICKED_RETRY_MS: int(10_000, 86_400_000).default(600_000),
  ZALO_PERSONAL_LOGIN_TIMEOUT_MS: int(10_000, 900_000).default(180_000),
  ZALO_OA_APP_ID: z.string().trim().regex(/^\d{1,32}$/, 'digits (the app id of the Zalo app that owns the OA)').optional(),
  ZALO_OA_APP_SECRET: optionalText,
  ZALO_OA_SECRET_KEY: optionalText,
  ZALO_OA_OPENAPI_URL: z.url().default('https://openapi.zalo.me'),
  ZALO_OA_OAUTH_URL: z.url().default('https://oauth.zaloapp.com'),
  ZALO_OA_ZNS_URL: z.url().default('https://business.openapi.zalo.me'),
  ZALO_OA_ZNS_TEMPLATE_ID: z.string().trim().regex(/^\d{1,20}$/, 'digits (an approved ZNS template id)').optional(),
  ZALO_OA_ACCESS_TOKEN: optionalText,
  ZALO_OA_REFRESH_TOKEN: optionalText,
  ZALO_OA_TOKEN_EXPIRES_IN_S: int(60, 7 * 24 * 3600).default(90_000),
  ZALO_OA_LATE_EVENT_MAX_HOURS: int(1, 168).default(24),
  ZALO_OA_QUOTE_FIELD: z.string().trim().regex(/^([a-z][a-z0-9_]{0,39}|none)$/, 'a field name such as react_message_id or quote_message_id, or none')
    .default('react_message_id').transform((v) => (v === 'none' ? '' : v)),
  ZALO_OA_DOMAIN_VERIFICATION: z.string().trim().optional().transform((v, ctx) => {
    if (v === undefined) return undefined;
    const code = parseDomainVerification(v);
    if (!code) ctx.addIssue({ code: 'custom', message: 'the code from Zalo\'s domain verification: the part between zalo_verifier and .html of the file Zalo offers, the file name itself, or the meta tag' });
    return code;
  }),
  ZALO_OA_REFRESH_MARGIN_MS: int(0, 12 * 3_600_000).default(1_800_000),
  ZALO_OA_PAID_WINDOW: bool.default(false),
};

type ZaloRaw = z.infer<z.ZodObject<typeof zaloKeys>>;

/** Settings of the Zalo OA channel (`ZALO_OA_*`). */
export interface ZaloOaConfig {
  appId: string;
  /** App secret (token refresh). Secret. */
  appSecret: string;
  /** OA secret key (webhook signatures). Secret. */
  oaSecretKey: string;
  /** Origins without trailing slash. */
  openapiUrl: string;
  oauthUrl: string;
  znsUrl: string;
  /** When set, a held answer triggers one ZNS "your answer is ready" to the reporter's phone. */
  znsTemplateId?: string;
  /** Tokens installed at start when the database has none for this OA (secrets). */
  seed?: { accessToken: string; refreshToken: string; expiresInS: number };
  /**
   * Signed webhook events older than this are acknowledged and dropped with a log line; younger ones
   * are processed (Zalo re-delivers for up to ~12 h), in ms. Kept below the 30 days inbound events
   * are remembered for deduplication.
   */
  lateEventMaxAgeMs: number;
  /** Field of `message` quoting the user's message in a send; '' never quotes natively. */
  quoteField: string;
  /** Zalo's domain verification code, served at the site root. */
  domainVerification?: string;
  /** Refresh the access token this long before it expires, in ms. */
  refreshMarginMs: number;
  /** Pay for consultation messages up to 7 days after the user's last message (else 48 h free). */
  paidWindow: boolean;
}

/** The personal Zalo account (`ZALO_PERSONAL_*`). */
export interface ZaloPersonalConfig {
  enabled: boolean;
  /** The saved session `{cookie, imei, userAgent}` (mode 600). Secret contents. */
  credentialsPath: string;
  /** Recent inbound messages kept for quoting after a restart (mode 600). */
  recentMessagesPath: string;
  /** Where `liaison zalo login` writes the QR code image. */
  qrImagePath: string;
  /** Least gap between two sends of the account, in ms. */
  sendMinIntervalMs: number;
  /** Random extra gap of 0 to this many ms. */
  sendJitterMs: number;
  /** Wait after Zalo refuses for sending too fast, in ms (Zalo gives no hint). */
  rateLimitRetryMs: number;
  /** Longest wait between reconnect attempts, in ms. */
  reconnectMaxMs: number;
  /** Least wait before reconnecting after Zalo Web/PC took the session over (close 3000), in ms. */
  kickedRetryMs: number;
  /** How long `liaison zalo login` waits for the scan, in ms. */
  loginTimeoutMs: number;
}

/** Rules between Zalo keys, checked on the raw values so they are listed with the per-key problems. */
export function zaloCrossCheck(raw: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (raw.ZALO_OA_APP_ID) {
    if (!raw.ZALO_OA_APP_SECRET) problems.push('ZALO_OA_APP_SECRET: required when ZALO_OA_APP_ID is set (Zalo app → Settings → secret key)');
    if (!raw.ZALO_OA_SECRET_KEY) problems.push('ZALO_OA_SECRET_KEY: required when ZALO_OA_APP_ID is set (OA secret key for webhook signatures; not the app secret)');
  }
  if (Boolean(raw.ZALO_OA_ACCESS_TOKEN) !== Boolean(raw.ZALO_OA_REFRESH_TOKEN)) {
    problems.push('ZALO_OA_ACCESS_TOKEN / ZALO_OA_REFRESH_TOKEN: set both or neither');
  }
  return problems;
}

/** The OA settings, or undefined unless the app id and both secrets are set. */
export function toZaloOa(raw: ZaloRaw): ZaloOaConfig | undefined {
  if (!raw.ZALO_OA_APP_ID || !raw.ZALO_OA_APP_SECRET || !raw.ZALO_OA_SECRET_KEY) return undefined;
  const origin = (url: string) => url.replace(/\/+$/, '');
  return {
    appId: raw.ZALO_OA_APP_ID, appSecret: raw.ZALO_OA_APP_SECRET, oaSecretKey: raw.ZALO_OA_SECRET_KEY,
    openapiUrl: origin(raw.ZALO_OA_OPENAPI_URL), oauthUrl: origin(raw.ZALO_OA_OAUTH_URL), znsUrl: origin(raw.ZALO_OA_ZNS_URL),
    ...(raw.ZALO_OA_ZNS_TEMPLATE_ID ? { znsTemplateId: raw.ZALO_OA_ZNS_TEMPLATE_ID } : {}),
    ...(raw.ZALO_OA_ACCESS_TOKEN && raw.ZALO_OA_REFRESH_TOKEN
      ? { seed: { accessToken: raw.ZALO_OA_ACCESS_TOKEN, refreshToken: raw.ZALO_OA_REFRESH_TOKEN, expiresInS: raw.ZALO_OA_TOKEN_EXPIRES_IN_S } }
      : {}),
    lateEventMaxAgeMs: raw.ZALO_OA_LATE_EVENT_MAX_HOURS * 3_600_000, quoteField: raw.ZALO_OA_QUOTE_FIELD,
    ...(raw.ZALO_OA_DOMAIN_VERIFICATION ? { domainVerification: raw.ZALO_OA_DOMAIN_VERIFICATION } : {}),
    refreshMarginMs: raw.ZALO_OA_REFRESH_MARGIN_MS, paidWindow: raw.ZALO_OA_PAID_WINDOW,
  };
}

/** The personal account's settings; its files live under `dataDir` unless a path is given. */
export function toZaloPersonal(raw: ZaloRaw & { DATA_DIR: string }): ZaloPersonalConfig {
  return {
    enabled: raw.ZALO_PERSONAL_ENABLED,
    credentialsPath: raw.ZALO_PERSONAL_CREDENTIALS_FILE ?? `${raw.DATA_DIR}/zalo-personal/credentials.json`,
    recentMessagesPath: `${raw.DATA_DIR}/zalo-personal/recent-messages.jsonl`,
    qrImagePath: `${raw.DATA_DIR}/zalo-personal/login-qr.png`,
    sendMinIntervalMs: raw.ZALO_PERSONAL_SEND_INTERVAL_MS,
    sendJitterMs: raw.ZALO_PERSONAL_SEND_JITTER_MS,
    rateLimitRetryMs: raw.ZALO_PERSONAL_RATE_LIMIT_RETRY_MS,
    reconnectMaxMs: raw.ZALO_PERSONAL_RECONNECT_MAX_MS,
    kickedRetryMs: raw.ZALO_PERSONAL_KICKED_RETRY_MS,
    loginTimeoutMs: raw.ZALO_PERSONAL_LOGIN_TIMEOUT_MS,
  };
}

/**
 * The verification code from what an operator pasted: the bare code, the file name Zalo offers
 * (`zalo_verifier<code>.html`) or the meta tag; undefined when none of these.
 */
export function parseDomainVerification(value: string): string | undefined {
  const text = value.trim();
  const fromFile = /zalo_verifier([A-Za-z0-9_-]+)\.html/.exec(text)?.[1];
  const fromTag = /content\s*=\s*["']([A-Za-z0-9_-]+)["']/.exec(text)?.[1];
  const code = fromFile ?? fromTag ?? text;
  return /^[A-Za-z0-9_-]{8,128}$/.test(code) ? code : undefined;
}
