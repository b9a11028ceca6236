import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Logger } from 'pino';
import { BadRequestError, TransientError } from './types.js';

/** Zalo's CDN hosts (with their sub-domains), as seen in webhook samples and zca-js messages. */
export const ZALO_MEDIA_HOSTS: readonly string[] = ['zalo.me', 'zdn.vn', 'zadn.vn', 'zaloapp.com'];

/** A user's file this long to download is given up (and fetched again by the caller), in ms. */
export const MEDIA_DOWNLOAD_TIMEOUT_MS = 10 * 60_000;
const MAX_REDIRECTS = 3;

/** What {@link fetchMediaUrl} needs. */
export interface MediaFetchOptions {
  /** May this URL be fetched (checked for the first URL and every redirect)? */
  allowed(url: URL): boolean;
  /** Gets a line for each refused URL (by host); absent: not logged. */
  logger?: Logger;
  /** A short label for log lines and errors (`zalo-oa media`). */
  what: string;
  /** Default {@link MEDIA_DOWNLOAD_TIMEOUT_MS}. */
  timeoutMs?: number;
}

/** HTTPS on one of `hosts` or a sub-domain of one. */
export function isHttpsOnHosts(url: URL, hosts: readonly string[]): boolean {
  return url.protocol === 'https:' && hosts.some((h) => url.hostname === h || url.hostname.endsWith(`.${h}`));
}

/**
 * Streams the file at a URL a platform gave in an event. Only URLs `allowed` says yes to are
 * fetched, redirects included (followed by hand, at most three): the bot must not become a fetcher
 * of arbitrary URLs. A refused URL is logged by host only. A 5xx, 429 or a network failure is a
 * {@link TransientError}; other statuses (an expired link) and refused URLs a {@link BadRequestError}.
 */
export async function fetchMediaUrl(ref: string, o: MediaFetchOptions): Promise<Readable> {
  let url = ref;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    assertAllowed(url, o);
    let res: Response;
    try {
      res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(o.timeoutMs ?? MEDIA_DOWNLOAD_TIMEOUT_MS) });
    } catch (err) {
      throw new TransientError(`${o.what} download failed: ${err instanceof Error ? err.name : 'error'}`);
    }
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel().catch(() => undefined);
      url = new URL(location, url).toString();
      continue;
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => undefined);
      const message = `${o.what} download: HTTP ${res.status}`;
      throw res.status >= 500 || res.status === 429 ? new TransientError(message) : new BadRequestError(message);
    }
    return Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
  }
  throw new BadRequestError(`${o.what} download: too many redirects`);
}

function assertAllowed(raw: string, o: MediaFetchOptions): void {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (url && o.allowed(url)) return;
  o.logger?.warn({ host: url?.host ?? 'unparseable', protocol: url?.protocol }, `${o.what}: a file URL in an event is not on the platform's hosts; not fetched`);
  throw new BadRequestError(`${o.what} URL is not on an allowed host`);
}
