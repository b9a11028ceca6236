import { z } from 'zod';
import { bool, int } from './fields.js';

/** Keys of the staff notifications (issue #14); documented in `.env.example`. */
export const pushKeys = {
  WEB_PUSH_ENABLED: bool.default(true),
  /** The operator's contact in each push's VAPID claim: `mailto:…` or `https://…`. */
  WEB_PUSH_SUBJECT: z.string().trim().regex(/^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+)$/, 'mailto:address or https:// URL').optional(),
  WEB_PUSH_POLL_MS: int(100, 60_000).default(2000),
  WEB_PUSH_TTL_S: int(60, 28 * 86_400).default(86_400),
};

type PushRaw = z.infer<z.ZodObject<typeof pushKeys>> & { PUBLIC_URL?: string | undefined; WEB_ENABLED: boolean };

/** Web Push to staff (needs the web page: the browser subscribes there). */
export interface PushSettings {
  enabled: boolean;
  /** VAPID `sub` claim (default PUBLIC_URL when https, else a placeholder `mailto:`). */
  subject: string;
  /** How often pending pushes are looked for, in ms. */
  pollMs: number;
  /** How long a push service keeps a push for an offline device, in seconds. */
  ttlS: number;
}

export function toPushSettings(raw: PushRaw): PushSettings {
  const https = raw.PUBLIC_URL?.startsWith('https://') ? raw.PUBLIC_URL : undefined;
  return {
    enabled: raw.WEB_PUSH_ENABLED && raw.WEB_ENABLED,
    subject: raw.WEB_PUSH_SUBJECT ?? https ?? 'mailto:webpush@example.invalid',
    pollMs: raw.WEB_PUSH_POLL_MS,
    ttlS: raw.WEB_PUSH_TTL_S,
  };
}
