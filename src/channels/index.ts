import type { ChatAdapter, Platform } from '../../adapters/types.js';
import { createTelegramAdapter } from '../../adapters/telegram/index.js';
import { createWebAdapter, type WebFileStore } from '../../adapters/web/index.js';
import { createZaloPersonalAdapter, createZcaClient, type ZcaClient } from '../../adapters/zalo-personal/index.js';
import type { Db } from '../../db/client.js';
import type { SecretBox } from '../../db/secret-box.js';
import { createWebStore } from '../../db/repositories/web.js';
import { findPlatformFile, savePlatformFile } from '../../db/repositories/attachments.js';
import type { ChannelAlert } from '../../flows/maintenance/channel-alert.js';
import { languageOfChat } from '../../flows/status/language.js';
import { createPageEvents } from '../inbox/page-events.js';
import { redeemWebLoginCode, sendWebLoginCodeToChat } from '../../flows/web-login.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { repoPath } from '../paths.js';
import { createHostPolicy } from '../http/hosts.js';
import { createWebNotifyApi } from '../push/web-api.js';
import type { Clock } from '../time/clock.js';
import { later, type Later } from '../later.js';

/** What the channels use of the outbox: delivering committed rows, and alerting the admins in chat. */
export interface OutboxPort {
  enqueue(ids: readonly number[]): Promise<void>;
  /** Tells the admins in chat that a channel needs an operator. */
  alert(a: ChannelAlert): Promise<void>;
}
import { A, settles } from '../../flows/buttons.js';

/**
 * What the channels need that exists only later in start-up; `startApp` creates each slot empty
 * and sets it once the part is built. Until then the channels do without: an alert or a wake-up
 * is skipped (the rows are committed; the outbox's sweep delivers them), links are not offered.
 */
export interface LateWiring {
  /** The web page's base URL once the HTTP server is bound (HTTP_PORT=0 picks the port). */
  webBase: Later<string>;
  /** This service's base URL for download links once the HTTP server is bound (PUBLIC_URL when set). */
  filesBase: Later<string>;
  /** The outbox dispatcher. */
  outbox: Later<OutboxPort>;
  /** The web page's uploads and downloads, once the file service exists. */
  webFiles: Later<WebFileStore>;
}

/** Empty slots for {@link LateWiring}. */
export function createLateWiring(): LateWiring {
  return { webBase: later('the web page address'), filesBase: later('the download address'), outbox: later('the outbox'), webFiles: later('web files') };
}

/** A {@link WebFileStore} that forwards to `late.webFiles` (set after the file service is built). */
function lateWebFiles(late: LateWiring): WebFileStore {
  return {
    save: (ownerId, upload) => late.webFiles.get().save(ownerId, upload),
    download: (ownerId, id, inline) => late.webFiles.get().download(ownerId, id, inline),
    describe: (ownerId, ids) => late.webFiles.get().describe(ownerId, ids),
  };
}

/** The one-time sign-in link for a code, once the page has an address. */
export const webSignInUrl = (late: LateWiring) => (code: string) => {
  const base = late.webBase.peek();
  return base ? `${base}/web?code=${code}` : undefined;
};

/** Dependencies of {@link createChannels}. */
export interface ChannelOptions {
  config: Readonly<Config>;
  logger: Logger;
  db: Db;
  clock: Clock;
  late: LateWiring;
  /** The zca-js seam for the personal Zalo account (tests pass a fake); default the real one. */
  zcaClient?: ZcaClient;
  /** Seals stored secrets (the personal Zalo session file). */
  box: SecretBox;
}

/**
 * The chat channels the configuration enables, except Zalo OA (it needs its migrated token table:
 * `createZaloOaChannel`). Nothing is started here.
 */
export function createChannels(o: ChannelOptions): Map<Platform, ChatAdapter> {
  const { config, logger, db, clock, late } = o;
  const adapters = new Map<Platform, ChatAdapter>();
  if (config.web.enabled) {
    adapters.set('web', createWebAdapter({
      logger: logger.child({ adapter: 'web' }), pageDir: repoPath('adapters', 'web', 'page'),
      store: createWebStore(db), now: () => clock.now().getTime(),
      redeemCode: (code) => db.transaction().execute((tx) => redeemWebLoginCode(tx, code, clock.now())),
      requestCode: async (who) => {
        const ids = await db.transaction().execute((tx) => sendWebLoginCodeToChat(tx, who, clock.now(), {
          defaultLocale: config.defaultLocale, webSignInUrl: webSignInUrl(late),
        }));
        await late.outbox.peek()?.enqueue(ids);
      },
      idleTimeoutMs: config.web.sessionIdleMs, maxAgeMs: config.web.sessionMaxMs, trustProxy: config.http.trustProxy,
      secureCookies: config.publicUrl?.startsWith('https://') ?? false,
      ...(config.publicUrl ? { allowedOrigins: [new URL(config.publicUrl).origin] } : {}),
      allowedHost: createHostPolicy(config.http.allowedHosts),
      files: lateWebFiles(late), settles, botName: config.web.botName,
      languageOf: (ownerId) => languageOfChat(db, 'web', ownerId, config.defaultLocale),
      pageEvents: createPageEvents({ db, defaultLocale: config.defaultLocale, now: () => clock.now() }),
      previewActions: { confirm: A.answerSend, edit: A.answerEdit, cancel: A.answerCancel },
      notify: createWebNotifyApi({ db, clock, logger: logger.child({ part: 'push' }), pushEnabled: config.push.enabled }),
    }));
  }
  if (config.telegram) {
    adapters.set('telegram', createTelegramAdapter({
      token: config.telegram.token, apiRoot: config.telegram.apiRoot, mode: config.telegram.mode, requestTimeoutMs: config.telegram.requestTimeoutMs,
      ...(config.telegram.webhookSecret ? { webhookSecret: config.telegram.webhookSecret } : {}),
      ...(config.publicUrl ? { webhookUrl: `${config.publicUrl}/webhooks/telegram` } : {}),
      logger: logger.child({ adapter: 'telegram' }), settles,
      fileIds: (botId) => ({
        get: (sha256) => findPlatformFile(db, 'telegram', botId, sha256),
        put: (sha256, fileId) => savePlatformFile(db, 'telegram', botId, sha256, fileId, clock.now().toISOString()),
      }),
    }));
  }
  const zalo = config.zaloPersonal;
  if (zalo.enabled) {
    adapters.set('zalo_personal', createZaloPersonalAdapter({
      client: o.zcaClient ?? createZcaClient(logger.child({ adapter: 'zalo_personal' })), credentialsPath: zalo.credentialsPath, box: o.box, recentMessagesPath: zalo.recentMessagesPath,
      logger: logger.child({ adapter: 'zalo_personal' }), sendMinIntervalMs: zalo.sendMinIntervalMs, sendJitterMs: zalo.sendJitterMs,
      rateLimitRetryMs: zalo.rateLimitRetryMs, reconnect: { baseMs: 1000, maxMs: zalo.reconnectMaxMs, kickedMs: zalo.kickedRetryMs },
      onNeedsLogin: async (reason) => late.outbox.peek()?.alert({
        platform: 'zalo_personal', action: 'channel.needs_login', reason, oncePerDay: true, text: (t) => t.zaloPersonal.needsLogin(reason),
      }),
    }));
  }
  return adapters;
}
