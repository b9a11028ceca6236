import { z } from 'zod';

/** Keys of the HTTP security settings (issue #10). */
export const securityKeys = {
  /**
   * Host names the HTTP server answers to (`Host` header; the web page's `Origin` check uses the
   * same list), comma-separated; IP addresses and `localhost` are always accepted. Default: the
   * host of PUBLIC_URL and HTTP_HOST when it is a name.
   */
  HTTP_ALLOWED_HOSTS: z.string().trim()
    .regex(/^[A-Za-z0-9.-]+(,\s*[A-Za-z0-9.-]+)*$/, 'comma-separated host names, e.g. bot.example.vn,liaison.internal').optional(),
  /** Bearer token `GET /metrics` requires; unset: /metrics answers only clients on this machine (loopback) with no proxy header. */
  METRICS_TOKEN: z.string().regex(/^[A-Za-z0-9._~+/=-]{24,256}$/, '24–256 characters of A-Z a-z 0-9 . _ ~ + / = -').optional(),
  /** Key of stored credentials (Zalo OA tokens), 32 bytes as 64 hex digits or base64; unset: the key file. */
  SECRETS_KEY: z.string().trim()
    .refine((v) => /^[0-9a-fA-F]{64}$/.test(v) || Buffer.from(v, /[-_]/.test(v) ? 'base64url' : 'base64').length === 32, '32 bytes: 64 hex digits or base64 (e.g. `openssl rand -hex 32`)').optional(),
  /** The key file used when SECRETS_KEY is unset; made with a random key (600) at the first start. Default DATA_DIR/secret.key. */
  SECRETS_KEY_FILE: z.string().trim().min(1).optional(),
};

/** The host names the server answers to: the configured list, else PUBLIC_URL's host and HTTP_HOST when it is a name. */
export function allowedHostNames(raw: { HTTP_ALLOWED_HOSTS?: string | undefined; PUBLIC_URL?: string | undefined; HTTP_HOST: string }): string[] {
  if (raw.HTTP_ALLOWED_HOSTS) return raw.HTTP_ALLOWED_HOSTS.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  const names = [raw.PUBLIC_URL ? new URL(raw.PUBLIC_URL).hostname : '', /[a-z]/i.test(raw.HTTP_HOST) && !raw.HTTP_HOST.includes(':') ? raw.HTTP_HOST : ''];
  return [...new Set(names.map((n) => n.toLowerCase()).filter(Boolean))];
}
