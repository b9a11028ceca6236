import { TransientError } from '../types.js';
import { zaloPost } from './http.js';
import type { RefreshOutcome } from './tokens.js';

/** Zalo documents refresh tokens as valid for 3 months. */
export const REFRESH_TOKEN_LIFETIME_MS = 90 * 24 * 3_600_000;

/** What {@link refreshAtZalo} needs. */
export interface OAuthDeps {
  /** OAuth origin, e.g. `https://oauth.zaloapp.com`. */
  oauthUrl: string;
  appId: string;
  /** The app's secret key (header `secret_key`). Secret. */
  appSecret: string;
  now(): Date;
}

/**
 * `POST {oauth}/v4/oa/access_token` with `grant_type=refresh_token`. A body without a new pair is a
 * rejection (the refresh token is spent, expired or revoked); 5xx and network failures are
 * transient and throw.
 */
export async function refreshAtZalo(deps: OAuthDeps, refreshToken: string): Promise<RefreshOutcome> {
  const form = new URLSearchParams({ app_id: deps.appId, grant_type: 'refresh_token', refresh_token: refreshToken });
  const res = await zaloPost(`${deps.oauthUrl}/v4/oa/access_token`, {
    headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: deps.appSecret },
    body: form.toString(),
  }, 'token refresh');
  const body = (typeof res.body === 'object' && res.body !== null ? res.body : {}) as Record<string, unknown>;
  if (res.httpStatus >= 500 || res.body === undefined) {
    throw new TransientError(`zalo-oa token refresh: http ${res.httpStatus}`, res.retryAfterMs);
  }
  const access = body.access_token;
  const refresh = body.refresh_token;
  const expiresInS = Number(body.expires_in);
  if (typeof access === 'string' && access && typeof refresh === 'string' && refresh && Number.isFinite(expiresInS) && expiresInS > 0) {
    const now = deps.now().getTime();
    return { kind: 'ok', pair: { accessToken: access, refreshToken: refresh, accessExpiresAt: new Date(now + expiresInS * 1000), refreshExpiresAt: new Date(now + REFRESH_TOKEN_LIFETIME_MS) } };
  }
  const reason = [body.error, body.error_name, body.error_description, body.message].filter((v) => v !== undefined).map(String).join(' ');
  return { kind: 'rejected', message: (reason || `http ${res.httpStatus}`).slice(0, 200) };
}
