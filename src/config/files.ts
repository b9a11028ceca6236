import { z } from 'zod';
import { bool, int, optionalText } from './fields.js';

const MB = 1024 * 1024;

/** The `FILES_*`, `S3_*` and `CLAMD_*` keys (attachments); documented in `.env.example`. */
export const fileKeys = {
  FILES_STORE: z.enum(['folder', 's3']).default('folder'),
  FILES_DIR: optionalText,
  FILES_MAX_MB: int(1, 2048).default(50),
  FILES_MAX_MESSAGE_MB: int(1, 4096).default(100),
  FILES_MAX_PER_MESSAGE: int(1, 50).default(10),
  FILES_LINK_SECRET: z.string().min(32, 'at least 32 characters (e.g. openssl rand -hex 32)').optional(),
  FILES_LINK_TTL_HOURS: int(1, 24 * 90).default(72),
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: optionalText,
  S3_PREFIX: z.string().regex(/^([A-Za-z0-9_.-]+\/)*$/, 'empty, or folder names each ending in /').default(''),
  S3_ACCESS_KEY_ID: optionalText,
  S3_SECRET_ACCESS_KEY: optionalText,
  S3_FORCE_PATH_STYLE: bool.default(true),
  CLAMD_ADDRESS: z.string().regex(/^(tcp:\/\/[^/\s]+:\d{1,5}|unix:\/\S+)$/, 'tcp://host:port or unix:/path/to/clamd.ctl').optional(),
};

type FileRaw = z.infer<z.ZodObject<typeof fileKeys>>;

/** Attachments: where the bytes live, the limits, links and the optional virus scan. */
export interface FileSettings {
  /** `folder`: a private folder (`dir`); `s3`: an S3-compatible bucket (`s3`). */
  store: 'folder' | 's3';
  /** The folder store's root, and (with either store) where files being received are written. Default `<DATA_DIR>/files`. */
  dir: string;
  limits: { maxFileBytes: number; maxMessageBytes: number; maxFilesPerMessage: number };
  /** Signs download links; absent: a random one kept in `<dir>/link.key` (one machine only). Secret. */
  linkSecret?: string;
  /** How long a download link works, in ms. */
  linkTtlMs: number;
  s3?: { endpoint?: string; region: string; bucket: string; prefix: string; accessKeyId: string; secretAccessKey: string; forcePathStyle: boolean };
  /** clamd to scan every received file with (`tcp://host:port`, `unix:/path`); absent: no scan. */
  clamdAddress?: string;
}

/** Keys that only make sense together. */
export function fileCrossCheck(raw: Record<string, string | undefined>): string[] {
  if (raw.FILES_STORE !== 's3') return [];
  return ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'].filter((k) => !raw[k]).map((k) => `${k}: required when FILES_STORE=s3`);
}

/** The file settings from validated keys. */
export function toFileSettings(raw: FileRaw, dataDir: string): FileSettings {
  const s3 = raw.FILES_STORE === 's3' && raw.S3_BUCKET && raw.S3_ACCESS_KEY_ID && raw.S3_SECRET_ACCESS_KEY ? {
    ...(raw.S3_ENDPOINT ? { endpoint: raw.S3_ENDPOINT.replace(/\/$/, '') } : {}), region: raw.S3_REGION, bucket: raw.S3_BUCKET,
    prefix: raw.S3_PREFIX, accessKeyId: raw.S3_ACCESS_KEY_ID, secretAccessKey: raw.S3_SECRET_ACCESS_KEY, forcePathStyle: raw.S3_FORCE_PATH_STYLE,
  } : undefined;
  return {
    store: raw.FILES_STORE, dir: raw.FILES_DIR ?? `${dataDir}/files`,
    limits: { maxFileBytes: raw.FILES_MAX_MB * MB, maxMessageBytes: raw.FILES_MAX_MESSAGE_MB * MB, maxFilesPerMessage: raw.FILES_MAX_PER_MESSAGE },
    ...(raw.FILES_LINK_SECRET ? { linkSecret: raw.FILES_LINK_SECRET } : {}),
    linkTtlMs: raw.FILES_LINK_TTL_HOURS * 3_600_000,
    ...(s3 ? { s3 } : {}),
    ...(raw.CLAMD_ADDRESS ? { clamdAddress: raw.CLAMD_ADDRESS } : {}),
  };
}

/** The file keys whose values are secrets (scrubbed from logs). */
export function fileSecrets(raw: { FILES_LINK_SECRET?: string | undefined; S3_SECRET_ACCESS_KEY?: string | undefined }): Array<string | undefined> {
  return [raw.FILES_LINK_SECRET, raw.S3_SECRET_ACCESS_KEY];
}
