/**
 * An HTTP proxy between the bot and a fake platform server that can hold back the answer to a
 * request the platform has already carried out: the message is delivered (the fake recorded it)
 * but the bot never learns its id. Killing the bot then leaves a send truly in flight, which is
 * what a `kill -9` at the worst moment does. Test code only.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request as the proxy sees it: the path and the decoded JSON (or form) body. */
export interface ProxiedCall {
  path: string;
  params: Record<string, unknown>;
}

/** A request whose answer is being held back. */
export interface HeldCall extends ProxiedCall {
  /** The upstream answer (JSON), already received from the fake. */
  answer: unknown;
}

/** The proxy's driver. */
export interface HoldProxy {
  /** `http://127.0.0.1:<port>`: give this to the bot instead of the fake's root. */
  readonly root: string;
  /**
   * Holds back the answer of the next request matching `match` (the fake still carries it out);
   * resolves with that call once its upstream answer has arrived.
   */
  holdNext(match: (call: ProxiedCall) => boolean): Promise<HeldCall>;
  /**
   * Holds back the answer of every request matching `match` (the fake still carries each out)
   * until the returned function is called; it stops holding and returns how many were held.
   */
  holdEvery(match: (call: ProxiedCall) => boolean): () => number;
  /** Drops every held answer and connection (as a dead process's sockets are). */
  dropHeld(): void;
  close(): Promise<void>;
}

/** Starts a proxy to `upstreamRoot` (e.g. the fake Bot API's `apiRoot`) on a free port. */
export async function startHoldProxy(upstreamRoot: string): Promise<HoldProxy> {
  const upstream = new URL(upstreamRoot);
  const sockets = new Set<Socket>();
  const held: ServerResponse[] = [];
  let pending: { match: (call: ProxiedCall) => boolean; resolve: (call: HeldCall) => void } | undefined;
  let every: { match: (call: ProxiedCall) => boolean; held: number } | undefined;

  const server: Server = createServer((req, res) => {
    void forward(req, res).catch(() => { if (!res.headersSent) res.writeHead(502).end(); });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readAll(req);
    const call: ProxiedCall = { path: req.url ?? '/', params: parseParams(req.headers['content-type'], body) };
    const hold = pending?.match(call) ? pending : undefined;
    if (hold) pending = undefined;
    const holdThis = every?.match(call) ? every : undefined;
    if (holdThis) holdThis.held += 1;
    const upstreamRes = await new Promise<IncomingMessage>((resolve, reject) => {
      const out = request({
        host: upstream.hostname, port: upstream.port, path: req.url, method: req.method,
        headers: { ...req.headers, host: upstream.host },
      }, resolve);
      out.on('error', reject);
      // The client went away (its process died): so does its request upstream (a long poll ends).
      res.on('close', () => { if (!res.writableFinished) out.destroy(); });
      out.end(body);
    });
    const answer = await readAll(upstreamRes);
    if (holdThis) {
      held.push(res);
      return;
    }
    if (hold) {
      held.push(res);
      hold.resolve({ ...call, answer: safeJson(answer) });
      return;
    }
    res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
    res.end(answer);
  }

  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve); });
  const root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    root,
    holdNext: (match) => new Promise((resolve) => { pending = { match, resolve }; }),
    holdEvery(match) {
      const rule = { match, held: 0 };
      every = rule;
      return () => {
        if (every === rule) every = undefined;
        return rule.held;
      };
    },
    dropHeld() {
      for (const res of held.splice(0)) res.destroy();
    },
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseParams(contentType: string | undefined, body: Buffer): Record<string, unknown> {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') {
    const parsed = safeJson(body);
    return typeof parsed === 'object' && parsed !== null ? parsed as Record<string, unknown> : {};
  }
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
  return {};
}

function safeJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
