import { timingSafeEqual } from 'node:crypto';

/** What the metrics guard needs of a request. */
export interface MetricsRequest {
  /** The socket's peer address. */
  ip: string;
  headers: Record<string, string | string[] | undefined>;
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/**
 * Who may read `GET /metrics`. With a token (`METRICS_TOKEN`): requests with
 * `Authorization: Bearer <token>` (compared in constant time). Without: only clients on this machine
 * that came through no proxy (loopback peer, no `X-Forwarded-For`/`Forwarded`), so the public
 * listener does not hand process and traffic figures to anyone.
 */
export function createMetricsGuard(token: string | undefined): (req: MetricsRequest) => boolean {
  if (token === undefined) {
    return (req) => LOOPBACK.test(req.ip) && req.headers['x-forwarded-for'] === undefined && req.headers.forwarded === undefined;
  }
  const expected = Buffer.from(`Bearer ${token}`);
  return (req) => {
    const given = Buffer.from(String(req.headers.authorization ?? ''));
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
}
