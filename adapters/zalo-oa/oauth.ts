import { RateLimitError, TransientError } from '../types.js';
import { DEFAULT_RATE_RETRY_MS, OaSetupError } from './errors.js';
import { zaloPost } from './http.js';
import type { RefreshOutcome } from './tokens.js';

/** Zalo documents refresh tokens as valid for 3 months. */
export const REFRESH_TOKEN_LIFETIME_MS = 90 * 24 * 3_600_000;

/**
 * Error codes of the token endpoint that say the refresh token itself is no good (spent, expired,
 * revoked). *Assumption*: no public source shows Zalo's OAuth error bodies; -14014 is what the
 * test fake answers, and the wording ("refresh token" + invalid/expired/used/revoked) is matched too.
 */
export const REFRESH_TOKEN_REJECTED_CODES: readonly number[] = [-14014];

/** Codes saying the app id or secret key is wrong (an operator must fix the configuration). Same caveat. */
export const APP_CREDENTIALS_REJECTED_CODES: readonly number[] = [-14002];

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
 * `POST {oauth}/v4/oa/access_token` with `grant_type=refresh_token`. Only Zalo's "invalid refresh
 * token" answer is a rejection (the token is then dead for good). A refused app id or secret throws
 * {@link OaSetupError} (the refresh token is still good once the configuration is fixed); 429
 * throws {@link RateLimitError}; 5xx, network failures and any other answer without a token pair
 * throw {@link TransientError}, to be tried again.
 */
export async function refreshAtZalo(deps: OAuthDeps, refreshToken: string): Promise<RefreshOutcome> {
  const form = new URLSearchParams({ app_id: deps.appId, grant_type: 'refresh_token', refresh_token: refreshToken });
  const res = await zaloPost(`${deps.oauthUrl}/v4/oa/access_token`, {
    headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: deps.appSecret },
    body: form.toString(),
  }, 'token refresh');
  if (res.httpStatus === 429) throw new RateLimitError(res.retryAfterMs ?? DEFAULT_RATE_RETRY_MS, 'zalo-oa token refresh: http 429');
  if (res.httpStatus >= 500 || res.body === undefined) {
    throw new TransientError(`zalo-oa token refresh: http ${res.httpStatus}`, res.retryAfterMs);
  }
  const body = (typeof res.body === 'object' && res.body !== null ? res.body : {}) as Record<string, unknown>;
  const pair = pairOf(body, deps.now());
  if (pair) return { kind: 'ok', pair };
  const code = Number(body.error);
  const reason = [body.error, body.error_name, body.error_reason, body.error_description, body.message]
    .filter((v) => v !== undefined && v !== null).map(String).join(' ').slice(0, 200) || `http ${res.httpStatus}`;
  const saysRefreshTokenBad = /refresh[ _-]?token/i.test(reason) && /invalid|expired|used|revoked|không hợp lệ|hết hạn/i.test(reason);
  if (REFRESH_TOKEN_REJECTED_CODES.includes(code) || saysRefreshTokenBad) {
    return { kind: 'rejected', message: reason };
  }
  if (APP_CREDENTIALS_REJECTED_CODES.includes(code) || /invalid (app|secret)|(app[ _]?id|secret[ _]?key) (is )?invalid/i.test(reason)) {
    throw new OaSetupError(Number.isFinite(code) ? code : 0, `zalo-oa token refresh: app id or secret refused: ${reason}`);
  }
  throw new TransientError(`zalo-oa token refresh: no tokens in the answer: ${reason}`, res.retryAfterMs);
}

function pairOf(body: Record<string, unknown>, now: Date): Extract<RefreshOutcome, { kind: 'ok' }>['pair'] | undefined {
  const access = body.access_token;
  const refresh = body.refresh_token;
  const expiresInS = Number(body.expires_in);
  if (typeof access !== 'string' || !access || typeof refresh !== 'string' || !refresh || !Number.isFinite(expiresInS) || expiresInS <= 0) return undefined;
  const at = now.getTime();
  return { accessToken: access, refreshToken: refresh, accessExpiresAt: new Date(at + expiresInS * 1000), refreshExpiresAt: new Date(at + REFRESH_TOKEN_LIFETIME_MS) };
}
