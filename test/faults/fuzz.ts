/**
 * The fuzz pass: generated bodies (fuzz-bodies.ts) through every inbound route of the bot as
 * `npm start` runs it (Telegram webhook mode, the Zalo OA webhook, the web API), on SQLite or a
 * private PostgreSQL server, with a private Redis, in front of the fake Bot API and the fake OA
 * server. Passes when no answer is a 5xx, no request dies with the connection, and the bot is
 * still up and healthy. Test code only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeZaloSignature } from '../../adapters/zalo-oa/signature.js';
import { ZALO_OA_WEBHOOK_BODY_LIMIT_BYTES } from '../../adapters/zalo-oa/webhook.js';
import { WEBHOOK_BODY_LIMIT_BYTES } from '../../src/http/server.js';
import { botEnvironment, runLiaison, startBot, type BotProcess } from '../bench/bot-process.js';
import { createFakeTelegram } from '../fakes/telegram-bot-api.js';
import { TEST_APP_ID, TEST_APP_SECRET, TEST_OA_SECRET } from '../fakes/zalo-oa/harness.js';
import { createFakeZaloOa } from '../fakes/zalo-oa/server.js';
import { startPrivatePostgres } from '../helpers/private-postgres.js';
import { startTestRedis } from '../helpers/private-redis.js';
import { fuzzBodies, type FuzzBody, type FuzzRoute } from './fuzz-bodies.js';
import type { DbKind } from './session.js';

const TOKEN = '444555666:FuzzTokenForTheFakeBotApi_abcdefgh';
const WEBHOOK_SECRET = 'fuzz-webhook-secret-0123456789';
const CONCURRENCY = 6;
/**
 * Bodies above a route's own limit may be cut off by the server after its 413 (HTTP allows it): the
 * Zalo OA route refuses above 64 KiB before reading on; the others read up to 1 MiB and refuse after.
 */
const closeEarlyBytes = (route: FuzzRoute) => (route === 'zalo-oa' ? ZALO_OA_WEBHOOK_BODY_LIMIT_BYTES : WEBHOOK_BODY_LIMIT_BYTES);

export interface FuzzOptions {
  bodies: number;
  /** The database behind the bot (PostgreSQL: a private server of the pass's own). */
  db: DbKind;
  seed?: number;
  log: (message: string) => void;
}

export interface FuzzResult {
  bodies: number;
  seed: number;
  /** Answers by route and status, e.g. `{"telegram": {"200": 1500, "400": 200}}`. */
  statuses: Record<string, Record<string, number>>;
  /** Requests answered 5xx, or with no answer (connection dropped). */
  failures: string[];
  exited: boolean;
  healthy: boolean;
  pass: boolean;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

interface WebSession { cookie: string; csrf: string }

/** Runs the fuzz pass; see the module comment. */
export async function runFuzz(o: FuzzOptions): Promise<FuzzResult> {
  const seed = o.seed ?? Date.now() % 2 ** 31;
  const dir = mkdtempSync(join(tmpdir(), 'liaison-fuzz-'));
  const redis = await startTestRedis();
  const server = o.db === 'postgres' ? await startPrivatePostgres() : undefined;
  const databaseUrl = server ? await server.createDatabase('fuzz') : join(dir, 'bot.sqlite');
  const tg = createFakeTelegram({ token: TOKEN, bot: { username: 'hue_fuzz_bot' } });
  await tg.start();
  const oa = createFakeZaloOa({ appId: TEST_APP_ID, appSecret: TEST_APP_SECRET });
  await oa.start();
  const pair = oa.issueTokens();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = botEnvironment({
    TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: tg.apiRoot, TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    PUBLIC_URL: base, HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port), DATABASE_URL: databaseUrl, DATA_DIR: dir,
    REDIS_URL: redis.url, QUEUE_PREFIX: 'fuzz', LOG_LEVEL: 'warn', WEB_ENABLED: 'true',
    ZALO_OA_APP_ID: TEST_APP_ID, ZALO_OA_APP_SECRET: TEST_APP_SECRET, ZALO_OA_SECRET_KEY: TEST_OA_SECRET,
    ZALO_OA_OPENAPI_URL: oa.origin, ZALO_OA_OAUTH_URL: oa.origin, ZALO_OA_ZNS_URL: oa.origin,
    ZALO_OA_ACCESS_TOKEN: pair.access_token, ZALO_OA_REFRESH_TOKEN: pair.refresh_token,
  });
  let bot: BotProcess | undefined;
  let exited = false;
  /** The bot's error lines (the output tail may have scrolled past them by the end). */
  const errors: string[] = [];
  try {
    await runLiaison(['sample'], env);
    let healthy = false;
    const watchHealth = setInterval(() => {
      void fetch(`${base}/healthz`).then((r) => { healthy = r.status === 200; }, () => undefined);
    }, 200);
    try {
      bot = await startBot(env, () => healthy, [], 120_000, (line) => { if (line.includes('"level":50') || line.includes('"level":60')) errors.push(line.slice(0, 2000)); });
    } finally {
      clearInterval(watchHealth);
    }
    bot.died.catch(() => { exited = true; });
    const session = await signIn(base, o.log);
    const bodies = fuzzBodies(o.bodies, seed);
    o.log(`fuzz: ${bodies.length} bodies (seed ${seed}), web session ${session ? 'signed in' : 'refused (session routes answer 401)'}`);
    const statuses: Record<string, Record<string, number>> = {};
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < bodies.length && !exited) {
        const index = next++;
        const body = bodies[index]!;
        if (index > 0 && index % 2000 === 0) o.log(`fuzz: ${index} sent`);
        const status = await post(base, body, session).catch((err: unknown) =>
          // Closing the connection on an oversized body before reading it all is HTTP's way too (after a 413 the client may miss).
          (body.bytes.length > closeEarlyBytes(body.route) ? 'closed while sending an oversized body' : `no answer (${err instanceof Error ? err.message : String(err)})`));
        const byRoute = (statuses[body.route] ??= {});
        byRoute[String(status)] = (byRoute[String(status)] ?? 0) + 1;
        if ((typeof status === 'string' && !status.startsWith('closed')) || (typeof status === 'number' && status >= 500)) failures.push(`${body.route} ${body.kind} ${body.signature}: ${status}; body ${JSON.stringify(body.bytes.subarray(0, 160).toString('utf8'))}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const healthAtEnd = await fetch(`${base}/healthz`).then((r) => r.status === 200, () => false);
    const result = { bodies: bodies.length, seed, statuses, failures: failures.slice(0, 20), exited, healthy: healthAtEnd };
    if (failures.length > 0) o.log(`fuzz failures (${failures.length}):\n${failures.slice(0, 20).join('\n')}\nbot errors:\n${errors.slice(0, 20).join('\n')}`);
    return { ...result, pass: failures.length === 0 && !exited && healthAtEnd };
  } finally {
    await bot?.stop(10_000);
    await tg.stop();
    await oa.stop();
    await redis.stop();
    await server?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

const PATHS: Record<FuzzRoute, string> = {
  telegram: '/webhooks/telegram', 'zalo-oa': '/webhooks/zalo-oa', 'web-sign-in': '/web/api/sign-in',
  'web-send-code': '/web/api/send-code', 'web-messages': '/web/api/messages', 'web-buttons': '/web/api/buttons',
};

/** Signs in on the web page with a sample invite code; undefined when refused. */
async function signIn(base: string, log: (m: string) => void): Promise<WebSession | undefined> {
  for (const code of ['pv-hue-01', 'pn-syte-01']) {
    const res = await fetch(`${base}/web/api/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    const body = await res.json().catch(() => ({})) as { csrfToken?: string };
    const cookie = res.headers.get('set-cookie')?.split(';')[0];
    if (res.status === 200 && cookie && body.csrfToken) return { cookie, csrf: body.csrfToken };
    log(`fuzz: web sign-in with ${code}: ${res.status}`);
  }
  return undefined;
}

function headersFor(body: FuzzBody, session: WebSession | undefined): Record<string, string> {
  const headers: Record<string, string> = body.contentType ? { 'content-type': body.contentType } : {};
  const good = body.signature === 'good';
  if (body.signature === 'none') return headers;
  if (body.route === 'telegram') headers['x-telegram-bot-api-secret-token'] = good ? WEBHOOK_SECRET : 'wrong-secret-0123456789';
  else if (body.route === 'zalo-oa') {
    const timestamp = String(Date.now());
    headers['x-zevent-timestamp'] = timestamp;
    headers['x-zevent-signature'] = `mac=${good ? computeZaloSignature(TEST_APP_ID, body.bytes, timestamp, TEST_OA_SECRET) : 'ab'.repeat(32)}`;
  } else if (session) {
    headers.cookie = session.cookie;
    headers['x-csrf-token'] = good ? session.csrf : 'not-the-token';
  }
  return headers;
}

/**
 * POSTs with node:http rather than fetch: a server that refuses an oversized body answers 413 and
 * closes the connection while the body is still being written; the answer is what counts.
 */
function post(base: string, body: FuzzBody, session: WebSession | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    let status: number | undefined;
    const req = request(`${base}${PATHS[body.route]}`, { method: 'POST', headers: { ...headersFor(body, session), 'content-length': String(body.bytes.length) }, timeout: 60_000 }, (res) => {
      status = res.statusCode ?? 0;
      res.resume();
      res.on('end', () => resolve(status!));
      res.on('error', () => resolve(status!));
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 60 s')));
    req.on('error', (err) => (status === undefined ? reject(err) : resolve(status)));
    req.end(body.bytes);
  });
}
