/**
 * PostgreSQL connections per process. The main pool serves flows (16 at once, each holding a
 * connection from BEGIN to COMMIT) and the deliveries' short statements beside them: with fewer
 * connections than that, flows wait for the pool (measured: 269 inquiries/s with 10 against 278–314
 * with 20, and 244–259 /s with 8 flows on 10, in the inquiry bench's burst).
 */
export const DEFAULT_PG_POOL_SIZE = 20;

/**
 * Most connections of the acks' own pool (`DbHandle.priority`): each ack waits for its own commit,
 * so a burst's acks need connections side by side; idle ones close after pg's 10 s. Never more than
 * the main pool.
 */
export const PRIORITY_POOL_MAX = 10;
