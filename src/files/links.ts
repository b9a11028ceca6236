import { createHmac } from 'node:crypto';
import { secretMatches } from '../../adapters/secrets.js';

/** What a signed download link grants: one file, to one person, until a time. */
export interface LinkGrant {
  attachmentId: number;
  personId: number;
  /** Epoch seconds. */
  expiresAtS: number;
}

/**
 * Signs and checks download links (`/files/download?f=<id>&p=<person>&e=<expiry>&s=<sig>`): an
 * HMAC-SHA256 over the three numbers with a server secret. A valid link only says who it was made
 * for: the download still checks, every time, that this person may see the file now.
 */
export interface LinkSigner {
  /** The link's query string (without `?`). */
  sign(grant: LinkGrant): string;
  /** The grant of a query, or why not: `bad` (forged, malformed) or `expired`. */
  verify(query: Record<string, string | undefined>, nowMs: number): LinkGrant | 'bad' | 'expired';
}

/** The path downloads are served on. */
export const DOWNLOAD_PATH = '/files/download';

const NUMBER = /^[1-9][0-9]{0,14}$/;

/** Creates a signer; `secret` should be at least 32 random bytes, shared by every process of the deployment. */
export function createLinkSigner(secret: string): LinkSigner {
  if (secret.length < 16) throw new Error('link signer: secret too short');
  const mac = (g: LinkGrant) => createHmac('sha256', secret).update(`files|${g.attachmentId}|${g.personId}|${g.expiresAtS}`).digest('base64url');
  return {
    sign: (g) => new URLSearchParams({ f: String(g.attachmentId), p: String(g.personId), e: String(g.expiresAtS), s: mac(g) }).toString(),
    verify: (q, nowMs) => {
      const { f, p, e, s } = q;
      if (!f || !p || !e || !s || !NUMBER.test(f) || !NUMBER.test(p) || !NUMBER.test(e)) return 'bad';
      const grant = { attachmentId: Number(f), personId: Number(p), expiresAtS: Number(e) };
      if (!secretMatches(s, mac(grant))) return 'bad';
      return grant.expiresAtS * 1000 <= nowMs ? 'expired' : grant;
    },
  };
}
