import { isStalePlanError } from './pg-prepared.js';

/**
 * Which database errors are worth trying again. Shared by every caller that retries (the inbound
 * processor, deliveries) and by the health monitor, so "the database blinked" is decided once.
 */

/** Why an error is transient: the connection (or server) went away, the file was locked, or a concurrent transaction won. */
export type TransientKind = 'connection' | 'busy' | 'conflict';

/**
 * PostgreSQL SQLSTATEs after which nothing of the statement's transaction is committed and the
 * same work can succeed later: class 08 (connection exception) is matched by prefix.
 */
const PG_CONNECTION_CODES = new Set([
  '57P01', // admin_shutdown: pg_terminate_backend, a server restart
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: the server is starting up or shutting down
  '53300', // too_many_connections (nothing ran)
]);
const PG_CONFLICT_CODES = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected

/** Socket errors of a lost or refused connection (Node's `code`). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);

/** What `pg` says when the socket went away under it (no SQLSTATE then). */
const PG_CONNECTION_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /is not queryable/i,
  /connection ended unexpectedly/i,
  /terminating connection due to/i,
];

/** The kind of transient failure `err` is (following `cause` and `errors`), or undefined when it is not one. */
export function transientKind(err: unknown, depth = 0): TransientKind | undefined {
  if (typeof err !== 'object' || err === null || depth > 4) return undefined;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (code.startsWith('08') && code.length === 5) return 'connection';
  if (PG_CONNECTION_CODES.has(code) || NETWORK_CODES.has(code)) return 'connection';
  if (PG_CONFLICT_CODES.has(code)) return 'conflict';
  // A prepared statement whose table changed under it (a migration by another process): forgotten, so it is prepared again.
  if (isStalePlanError(err)) return 'conflict';
  if (/^SQLITE_(BUSY|LOCKED|PROTOCOL)(_|$)/.test(code)) return 'busy';
  const message = typeof e.message === 'string' ? e.message : '';
  if (PG_CONNECTION_MESSAGES.some((re) => re.test(message))) return 'connection';
  const nested = [e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  for (const inner of nested) {
    const kind = transientKind(inner, depth + 1);
    if (kind) return kind;
  }
  return undefined;
}

/**
 * True when `err` means "the database could not do it now" rather than "this is wrong": the
 * connection was lost or refused, the SQLite file was locked, or a concurrent transaction won. A
 * transaction that failed so committed nothing, unless the connection was lost during COMMIT
 * itself: retry only work that is idempotent (guarded updates, inserts that ignore conflicts).
 */
export function isTransientDbError(err: unknown): boolean {
  return transientKind(err) !== undefined;
}

/** One line about a database error for logs (code and message; no parameters, no connection string). */
export function describeDbError(err: unknown): string {
  if (!(err instanceof Error)) return String(err).slice(0, 200);
  const code = (err as { code?: unknown }).code;
  const text = `${typeof code === 'string' ? `${code} ` : ''}${err.message}`;
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}
