import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import type {
  HttpRequest, HttpRoute, HttpStreamResponse, WebhookRequest, WebhookResponse,
} from '../../adapters/types.js';
import { describeDbError, transientKind } from '../../db/errors.js';
import type { Logger } from '../logger.js';
import { MISDIRECTED } from './hosts.js';
import type { MetricsRequest } from './metrics-auth.js';

/** While closing, connections with no request in flight are closed this often, in ms. */
const CLOSE_SWEEP_MS = 100;

/** Largest webhook body accepted, in bytes (1 MiB). */
export const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

/** One webhook route: usually an adapter's `webhook`. */
export interface WebhookRoute {
  /** Absolute path, e.g. `/webhooks/telegram`. */
  path: string;
  /** Largest body accepted on this route, in bytes (413 above it). Default {@link WEBHOOK_BODY_LIMIT_BYTES}. */
  maxBodyBytes?: number;
  handle(req: WebhookRequest): Promise<WebhookResponse>;
}

/** Options for {@link createHttpServer}. */
export interface HttpServerOptions {
  host: string;
  /** TCP port; 0 picks a free one (see the result of `start`). */
  port: number;
  logger: Logger;
  /** Each gets a POST route receiving the raw body. */
  webhooks: readonly WebhookRoute[];
  /** Adapters' own routes (the web channel's API), mounted as given; bodies arrive raw. Default none. */
  routes?: readonly HttpRoute[];
  /** Served as Prometheus text at `GET /metrics`; when absent (METRICS_ENABLED=false) the route is 404. */
  metrics?: Registry;
  /** Who may read `/metrics` (`src/http/metrics-auth.ts`); others get 401. Default: everyone. */
  metricsGuard?: (req: MetricsRequest) => boolean;
  /** Which `Host` headers are served (`src/http/hosts.ts`); others get 421. Default: all. */
  allowedHost?: (host: string | undefined) => boolean;
  /** `GET /healthz`: 200 when `ok`, else 503; `details` are returned as-is (no secrets). */
  health(): Promise<{ ok: boolean; details: Record<string, unknown> }>;
}

/** The bot's HTTP endpoint. */
export interface HttpServer {
  /** Binds and resolves with the port actually bound. */
  start(): Promise<{ port: number }>;
  /** Stops accepting, finishes in-flight requests. Idempotent. */
  close(): Promise<void>;
  /** The underlying instance (tests use `inject`). */
  fastify: FastifyInstance;
}

/**
 * Creates the HTTP server: webhooks (raw bytes, for signature checks), adapters' own routes (bodies
 * or server-sent-event streams), `/healthz`, `/metrics`.
 * Nothing here logs request headers or bodies: webhook secrets travel in headers.
 */
export function createHttpServer(options: HttpServerOptions): HttpServer {
  const logger = options.logger.child({ component: 'http' });
  // Fastify's own logger is off: its request serializers are not ours to vet.
  const fastify = Fastify({ logger: false, bodyLimit: WEBHOOK_BODY_LIMIT_BYTES, return503OnClosing: true });
  const allowedHost = options.allowedHost;
  if (allowedHost) fastify.addHook('onRequest', async (req, reply) => { if (!allowedHost(req.headers.host)) await reply.code(MISDIRECTED.status).send(MISDIRECTED.body); });
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT_BYTES }, (_req, body, done) => {
    done(null, body);
  });
  for (const webhook of options.webhooks) {
    fastify.post(webhook.path, { bodyLimit: webhook.maxBodyBytes ?? WEBHOOK_BODY_LIMIT_BYTES }, (req, reply) => handleWebhook(webhook, req, reply));
  }
  const streams: OpenStreams = { ends: new Set(), closing: false };
  const connections = trackConnections(fastify.server);
  for (const route of (options.routes ?? []).filter((r) => !r.streamBody)) {
    fastify.route({ method: route.method, url: route.path, exposeHeadRoute: false, handler: (req, reply) => handleRoute(route, req, reply, streams, logger) });
  }
  const streamed = (options.routes ?? []).filter((r) => r.streamBody);
  // Uploads: in their own scope, whose only parser hands the request stream over unread.
  if (streamed.length > 0) {
    void fastify.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_req, payload, done) => { done(null, payload); });
      for (const route of streamed) {
        scope.route({ method: route.method, url: route.path, exposeHeadRoute: false, handler: (req, reply) => handleRoute(route, req, reply, streams, logger) });
      }
    });
  }
  fastify.get('/healthz', (_req, reply) => handleHealth(options, reply, logger));
  const registry = options.metrics;
  if (registry) {
    fastify.get('/metrics', async (req, reply) => (options.metricsGuard && !options.metricsGuard(req)
      ? reply.code(401).send({ error: 'unauthorized' })
      : reply.type(registry.contentType).send(await registry.metrics())));
  }
  fastify.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: 'not_found' }));
  fastify.setErrorHandler((err: FastifyError, req, reply) => handleError(err, req, reply, logger));
  fastify.addHook('onResponse', async (req, reply) => {
    logger.debug({ method: req.method, route: req.routeOptions.url ?? 'unknown', status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'http request');
  });

  let closing: Promise<void> | undefined;
  return {
    fastify,
    start: async () => {
      await fastify.listen({ host: options.host, port: options.port });
      const { port } = fastify.server.address() as AddressInfo;
      logger.info({ host: options.host, port, webhooks: options.webhooks.map((w) => w.path) }, 'http listening');
      return { port };
    },
    close: () => (closing ??= (async () => {
      // Streams never end by themselves, and fastify.close() waits for every open request.
      streams.closing = true;
      for (const end of [...streams.ends]) end();
      // Node closes only the keep-alive sockets idle when close() begins (one whose response was
      // still finishing stays open until the client hangs up), and never one that has sent nothing
      // yet (a browser's spare connection): it counts as a request begun until the 60 s headers
      // timeout. Close every connection with no request in flight, until all are closed.
      connections.closeUnused();
      const sweep = setInterval(() => { connections.closeUnused(); }, CLOSE_SWEEP_MS);
      try {
        await fastify.close();
      } finally {
        clearInterval(sweep);
      }
    })()),
  };
}

/** The server's open connections, and which of them have a request in flight. */
function trackConnections(server: FastifyInstance['server']): { closeUnused(): void } {
  const open = new Set<Socket>();
  const busy = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => { open.delete(socket); busy.delete(socket); });
  });
  // One request at a time per connection (nobody pipelines): from its arrival to its response's end.
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    busy.add(req.socket);
    res.once('close', () => { busy.delete(req.socket); });
  });
  return {
    closeUnused() {
      for (const socket of open) if (!busy.has(socket)) socket.destroy();
    },
  };
}

function toWebhookRequest(req: FastifyRequest): WebhookRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  return { headers, rawBody };
}

async function handleWebhook(webhook: WebhookRoute, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const response = await webhook.handle(toWebhookRequest(req));
  reply.code(response.status);
  if (response.body === undefined) return reply.send();
  if (typeof response.body === 'string') return reply.type('text/plain; charset=utf-8').send(response.body);
  return reply.send(response.body);
}

function toHttpRequest(req: FastifyRequest): HttpRequest {
  const query: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries((req.query ?? {}) as Record<string, unknown>)) {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') query[name] = first;
  }
  const body = req.body instanceof Readable ? { body: req.body } : {};
  return { ...toWebhookRequest(req), query, ip: req.ip, ...body };
}

async function handleRoute(
  route: HttpRoute, req: FastifyRequest, reply: FastifyReply, streams: OpenStreams, logger: Logger,
): Promise<FastifyReply> {
  const response = await route.handle(toHttpRequest(req));
  if ('stream' in response) {
    writeStream(response, reply, streams, logger);
    return reply;
  }
  reply.code(response.status).headers(response.headers ?? {});
  return response.body === undefined ? reply.send() : reply.send(response.body);
}

/** Server-sent-event streams being written, each with the function that ends it (on close()). */
interface OpenStreams {
  ends: Set<() => void>;
  /** Set by close(): a stream starting now ends at once, or fastify.close() would wait for it. */
  closing: boolean;
}

/** Writes a stream response chunk by chunk; ends on the stream's end, client disconnect or close(). */
function writeStream(response: HttpStreamResponse, reply: FastifyReply, streams: OpenStreams, logger: Logger): void {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(response.status, response.headers ?? {});
  raw.flushHeaders();
  const iterator = response.stream[Symbol.asyncIterator]();
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    streams.ends.delete(end);
    void Promise.resolve(iterator.return?.()).catch(() => undefined);
    raw.end();
  };
  streams.ends.add(end);
  raw.on('close', end);
  // The client left, or close() began, before the stream started.
  if (reply.request.raw.socket.destroyed || streams.closing) end();
  void (async () => {
    try {
      for (let next = await iterator.next(); !next.done && !ended; next = await iterator.next()) raw.write(next.value);
    } catch (err) {
      logger.error({ error: errorSummary(err) }, 'http stream failed');
    } finally {
      end();
    }
  })();
}

async function handleHealth(options: HttpServerOptions, reply: FastifyReply, logger: Logger): Promise<FastifyReply> {
  try {
    const health = await options.health();
    return reply.code(health.ok ? 200 : 503).send({ ...health.details, ok: health.ok });
  } catch (err) {
    logger.error({ error: errorSummary(err) }, 'health check failed');
    return reply.code(503).send({ ok: false });
  }
}

/**
 * The answer while the database cannot be reached (or the SQLite file stays locked): 503, to try
 * again shortly, in the shape of the web API's refusals so the page shows it in the person's
 * language (the page retries a 503 by itself; platforms retry a webhook that got one).
 */
export const DATABASE_UNAVAILABLE = {
  error: 'database_unavailable',
  message_vi: 'Hệ thống tạm thời không kết nối được cơ sở dữ liệu. Vui lòng thử lại sau ít phút.',
  message_en: 'The service cannot reach its database at the moment. Please try again in a few minutes.',
} as const;
/** `Retry-After` of {@link DATABASE_UNAVAILABLE}, in seconds. */
const DATABASE_RETRY_AFTER_S = 5;

/**
 * A lost or refused database connection (or a locked SQLite file) is a 503 with
 * {@link DATABASE_UNAVAILABLE}; client errors Fastify raises itself (413 too large, 415, 400) keep
 * their status; anything else is a 500.
 */
function handleError(err: FastifyError, req: FastifyRequest, reply: FastifyReply, logger: Logger): FastifyReply {
  const kind = transientKind(err);
  if (kind === 'connection' || kind === 'busy') {
    logger.warn({ method: req.method, route: req.routeOptions.url ?? 'unknown', error: describeDbError(err) }, 'http request refused: database unavailable');
    return reply.code(503).header('retry-after', String(DATABASE_RETRY_AFTER_S)).header('cache-control', 'no-store').send(DATABASE_UNAVAILABLE);
  }
  const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
  if (status === 500) {
    logger.error({ method: req.method, route: req.routeOptions.url ?? 'unknown', error: errorSummary(err) }, 'http handler failed');
    return reply.code(500).send({ error: 'internal' });
  }
  logger.info({ method: req.method, route: req.routeOptions.url ?? 'unknown', status, code: err.code }, 'http request refused');
  return reply.code(status).send({ error: err.code ?? 'bad_request' });
}

function errorSummary(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
