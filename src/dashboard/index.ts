import type { HttpRoute } from '../../adapters/types.js';
import type { Db, DbSource } from '../../db/client.js';
import type { Logger } from '../logger.js';
import type { WorkCalendar } from '../time/calendar.js';
import type { Clock } from '../time/clock.js';
import { createReaderResolver } from './auth.js';
import { createFigures } from './figures.js';
import type { DashboardActionDeps } from './actions.js';
import { createDashboardLive } from './live.js';
import { createDashboardRoutes } from './routes.js';

export { DASHBOARD_PATH } from './routes.js';

/** How close to its due time an open inquiry counts as due soon (Sắp trễ): 24 hours (policy). */
export const DUE_SOON_MS = 24 * 3_600_000;

/** Options of {@link createDashboard}. */
export interface DashboardOptions {
  db: Db;
  /** How the annual report's worker thread opens the same database (`DbHandle.source`). */
  dbSource?: DbSource;
  clock: Clock;
  logger: Logger;
  loadCalendar(): Promise<WorkCalendar>;
  /** The web sessions' lifetimes (`WEB_SESSION_IDLE_MS`, `WEB_SESSION_MAX_MS`): the dashboard reads the same sessions. */
  sessionIdleMs: number;
  sessionMaxMs: number;
  /** The forms' needs (flow settings, allowed origins, hand-over after commit); absent: the page has no forms. */
  actions?: Omit<DashboardActionDeps, 'db' | 'now'>;
  /** Live polling interval, in ms. Default 1000. */
  pollMs?: number;
}

/** The leaders' dashboard (issue #15): its HTTP routes, and what to stop. */
export function createDashboard(o: DashboardOptions): { routes: HttpRoute[]; close(): void } {
  const now = () => o.clock.now();
  const figures = createFigures({ db: o.db, loadCalendar: o.loadCalendar, now, dueSoonMs: DUE_SOON_MS });
  const onError = (err: unknown) => o.logger.error({ err }, 'dashboard failed');
  const live = createDashboardLive({ db: o.db, figures, now, dueSoonMs: DUE_SOON_MS, onError, ...(o.pollMs ? { pollMs: o.pollMs } : {}) });
  const readers = createReaderResolver({ db: o.db, idleTimeoutMs: o.sessionIdleMs, maxAgeMs: o.sessionMaxMs, now: () => now().getTime() });
  return { routes: createDashboardRoutes({ db: o.db, ...(o.dbSource ? { dbSource: o.dbSource } : {}), figures, readers, live, loadCalendar: o.loadCalendar, now, onError, ...(o.actions ? { actions: o.actions } : {}) }), close: () => live.closeAll() };
}
