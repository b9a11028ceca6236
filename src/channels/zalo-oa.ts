import { createZaloOaAdapter, type ZaloOaAdapter } from '../../adapters/zalo-oa/index.js';
import type { Db } from '../../db/client.js';
import { findZaloOaQuestionText } from '../../db/repositories/zalo-oa-quotes.js';
import { createZaloTokenStore, sealStoredZaloTokens, seedZaloTokens } from '../../db/repositories/zalo-oa-tokens.js';
import { SecretsKeyError, type SecretBox } from '../../db/secret-box.js';
import type { ZaloOaConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../time/clock.js';

/** What {@link createZaloOaChannel} needs from the composition root. */
export interface ZaloOaChannelOptions {
  config: Readonly<ZaloOaConfig>;
  db: Db;
  logger: Logger;
  clock: Clock;
  /** Seals the tokens at rest (`src/secrets-key.ts`). */
  box: SecretBox;
  /** Called once when Zalo rejects the refresh token (main: chat alert to every admin). */
  onAuthFailure(reason: string): Promise<void>;
  /** Called once per code and process when Zalo refuses for an OA or app set-up problem (main: chat alert to every admin). */
  onSetupProblem?(problem: { code: number; message: string }): Promise<void>;
  /** No other channel serves `GET /`, so the domain verification meta tag may (default false). */
  siteRootFree?: boolean;
}

/**
 * Builds the OA adapter over the database token store. When the store has no pair for this OA yet
 * and `ZALO_OA_ACCESS_TOKEN`/`ZALO_OA_REFRESH_TOKEN` are set, installs them first (a later start
 * never overwrites refreshed tokens with the stale env values).
 */
export async function createZaloOaChannel(o: ZaloOaChannelOptions): Promise<ZaloOaAdapter> {
  const { config, box } = o;
  const sealed = await sealStoredZaloTokens(o.db, box);
  if (sealed > 0) o.logger.info({ rows: sealed }, 'zalo-oa: encrypted the tokens an earlier version stored in clear');
  if (config.seed) {
    const now = o.clock.now();
    const seeded = await seedZaloTokens(o.db, config.appId, {
      accessToken: config.seed.accessToken, refreshToken: config.seed.refreshToken,
      accessExpiresAt: new Date(now.getTime() + config.seed.expiresInS * 1000), refreshExpiresAt: null,
    }, now, box);
    if (seeded) o.logger.info('zalo-oa: installed the tokens from ZALO_OA_ACCESS_TOKEN / ZALO_OA_REFRESH_TOKEN');
  }
  const store = createZaloTokenStore(o.db, config.appId, box);
  await store.read().catch((err: unknown) => {
    if (!(err instanceof SecretsKeyError)) throw err;
    // Said once at start, plainly; sends then fail as for missing tokens until they are installed again.
    o.logger.error('zalo-oa: the stored tokens cannot be decrypted with this key (SECRETS_KEY or the key file changed): install them again with `liaison zalo-oa tokens`');
  });
  return createZaloOaAdapter({
    appId: config.appId, appSecret: config.appSecret, oaSecretKey: config.oaSecretKey,
    openapiUrl: config.openapiUrl, oauthUrl: config.oauthUrl, znsUrl: config.znsUrl,
    tokenStore: store,
    refreshMarginMs: config.refreshMarginMs, lateEventMaxAgeMs: config.lateEventMaxAgeMs, paidWindow: config.paidWindow,
    quoteField: config.quoteField, quotedText: (chatId, messageId) => findZaloOaQuestionText(o.db, chatId, messageId),
    ...(config.domainVerification ? { domainVerification: config.domainVerification, serveSiteRoot: o.siteRootFree ?? false } : {}),
    onAuthFailure: o.onAuthFailure, ...(o.onSetupProblem ? { onSetupProblem: o.onSetupProblem } : {}),
    now: () => o.clock.now(), logger: o.logger,
  });
}
