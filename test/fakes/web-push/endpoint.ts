import { execFileSync } from 'node:child_process';
import { createECDH, createPublicKey, hkdfSync, createDecipheriv, verify, randomBytes, type ECDH } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { Agent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One push the fake push service received, decrypted and checked. */
export interface ReceivedPush {
  /** The subscription's id (the last path segment of its endpoint). */
  id: string;
  headers: Record<string, string | string[] | undefined>;
  /** The payload, decrypted with the subscription's private key (RFC 8291, aes128gcm). */
  payload: string;
  /** The VAPID JWT's claims, after its ES256 signature checked out against `k=`. */
  claims: { aud: string; exp: number; sub: string };
  /** The status this fake answered. */
  status: number;
}

interface Subscriber { ecdh: ECDH; auth: Buffer; status: number }

const b64url = (b: Buffer) => b.toString('base64url');

/**
 * A local push service (HTTPS, self-signed for 127.0.0.1) that speaks what `web-push` sends:
 * every POST to `/push/<id>` has its VAPID `Authorization: vapid t=…, k=…` verified (ES256 over the
 * JWT, `aud` = this origin, `exp` in the future) and its aes128gcm body decrypted with the keys of
 * the subscription the fake made. `gone(id)` makes a subscription answer 410 from then on.
 */
export async function startFakePushService() {
  const dir = mkdtempSync(join(tmpdir(), 'fake-push-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const cert = readFileSync(join(dir, 'cert.pem'));
  const subscribers = new Map<string, Subscriber>();
  const received: ReceivedPush[] = [];
  const problems: string[] = [];

  const server: Server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = /^\/push\/([A-Za-z0-9_-]+)$/.exec(req.url ?? '')?.[1];
      const sub = id ? subscribers.get(id) : undefined;
      if (req.method !== 'POST' || !id || !sub) { res.writeHead(404).end(); return; }
      try {
        const claims = checkVapid(String(req.headers.authorization ?? ''), origin());
        if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error(`content-encoding ${String(req.headers['content-encoding'])}`);
        if (!req.headers.ttl) throw new Error('no TTL header');
        const payload = decrypt(Buffer.concat(chunks), sub);
        received.push({ id, headers: req.headers, payload, claims, status: sub.status });
        res.writeHead(sub.status).end();
      } catch (err) {
        problems.push(err instanceof Error ? err.message : String(err));
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = () => `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    received,
    /** Requests refused as malformed (bad VAPID, bad encryption): a test expects none. */
    problems,
    /** An agent that trusts this fake's certificate (the bot's `webPushAgent`). */
    agent: new Agent({ ca: cert }),
    /** A new browser subscription, as `PushSubscription.toJSON()` gives it. */
    newSubscription(): { endpoint: string; keys: { p256dh: string; auth: string } } {
      const id = b64url(randomBytes(9));
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      subscribers.set(id, { ecdh, auth, status: 201 });
      return { endpoint: `${origin()}/push/${id}`, keys: { p256dh: b64url(ecdh.getPublicKey()), auth: b64url(auth) } };
    },
    /** The subscription answers `410 Gone` from now on (the browser unsubscribed). */
    gone(endpoint: string): void { this.respond(endpoint, 410); },
    /** The subscription answers `status` from now on (201 by default; e.g. 500 for a push service fault). */
    respond(endpoint: string, status: number): void {
      const sub = subscribers.get(endpoint.split('/').pop()!);
      if (sub) sub.status = status;
    },
    pushesTo: (endpoint: string) => received.filter((r) => r.id === endpoint.split('/').pop()),
    async stop(): Promise<void> {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Verifies `vapid t=<jwt>, k=<key>`: ES256 signature by `k`, `aud` = `origin`, not expired. */
function checkVapid(header: string, origin: string): ReceivedPush['claims'] {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header);
  if (!m) throw new Error(`bad Authorization header: ${header.slice(0, 20)}`);
  const [h, p, sig] = m[1]!.split('.');
  const point = Buffer.from(m[2]!, 'base64url');
  if (point.length !== 65 || point[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64url(point.subarray(1, 33)), y: b64url(point.subarray(33)) }, format: 'jwk' });
  if (!verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig!, 'base64url'))) throw new Error('VAPID signature does not verify');
  const header0 = JSON.parse(Buffer.from(h!, 'base64url').toString()) as { alg?: string };
  if (header0.alg !== 'ES256') throw new Error('VAPID alg is not ES256');
  const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as ReceivedPush['claims'];
  if (claims.aud !== origin) throw new Error(`VAPID aud ${claims.aud} is not ${origin}`);
  if (!(claims.exp * 1000 > Date.now())) throw new Error('VAPID token expired');
  if (!/^(mailto:|https:)/.test(claims.sub)) throw new Error('VAPID sub is not mailto: or https:');
  return claims;
}

/** RFC 8291 / RFC 8188 decryption of a single-record aes128gcm body. */
function decrypt(body: Buffer, sub: Subscriber): string {
  const salt = body.subarray(0, 16);
  const idLen = body[20]!;
  const senderKey = body.subarray(21, 21 + idLen);
  const ciphertext = body.subarray(21 + idLen);
  const shared = sub.ecdh.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), sub.ecdh.getPublicKey(), senderKey]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, sub.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (padded[end] !== 2) throw new Error('no last-record delimiter');
  return padded.subarray(0, end).toString('utf8');
}
