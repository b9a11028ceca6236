import type { HttpRequest, HttpResponse, HttpRoute } from '../../adapters/types.js';
import { json, refusal, refuse, slotPaths, WEB_SLOTS } from '../../adapters/web/http.js';
import { createSessionManager } from '../../adapters/web/sessions.js';
import type { Db } from '../../db/client.js';
import { createWebStore } from '../../db/repositories/web.js';
import type { Logger } from '../logger.js';
import type { WorkCalendar } from '../time/calendar.js';
import type { Clock } from '../time/clock.js';
import { badRequest, createInboxData, InboxError } from './api.js';
import { draftOfPreview } from './draft.js';
import { resolveReader, type InboxReader } from './scope.js';

/** Options of {@link createInboxRoutes}. */
export interface InboxOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  loadCalendar(): Promise<WorkCalendar>;
  /** The web sessions' lifetimes (`WEB_SESSION_IDLE_MS`, `WEB_SESSION_MAX_MS`), in ms: the inbox reads the chat page's sessions. */
  sessionIdleMs: number;
  sessionMaxMs: number;
}


/** A cursor of an earlier thread page: `<ISO instant>|<0-2>|<key>`. */
const CURSOR = /^\d{4}-\d\d-\d\dT[\d:.]+Z\|[0-2]\|(?:entry|audit|deadline):[\w-]{1,40}$/;

/**
 * The web page's inbox (issue #14, Conversations): per sign-in slot, under the slot's API path
 * (`/web/u/<n>/api/inbox…`, so the browser sends that slot's session cookie), read-only routes:
 * `GET inbox` (the reader's lists by role), `inbox/thread?id=&before=` (one inquiry's history,
 * paged; opening its first page marks it read), `inbox/followed?id=` (another reporter's question the reader follows: its
 * public part only), `inbox/search?q=`, `inbox/similar?text=`,
 * `inbox/draft?message=` (the text of the answer draft a preview shows, for the page's edit box). Every
 * route resolves the reader from the session and checks the scope on the server. Replies and
 * buttons go through the chat API (`POST messages` with `replyTo`, `POST buttons`), so the flows
 * decide everything exactly as for a reply in the chat.
 */
export function createInboxRoutes(o: InboxOptions): HttpRoute[] {
  const store = createWebStore(o.db);
  const sessions = createSessionManager({ store, idleTimeoutMs: o.sessionIdleMs, maxAgeMs: o.sessionMaxMs, now: () => o.clock.now().getTime() });
  const data = createInboxData({ db: o.db, store, loadCalendar: o.loadCalendar, now: () => o.clock.now() });
  const api: Record<string, (r: InboxReader, req: HttpRequest) => Promise<unknown>> = {
    '': (r) => data.inbox(r),
    '/thread': (r, req) => {
      const id = Number(req.query.id);
      const before = req.query.before;
      if (!Number.isSafeInteger(id) || id <= 0 || (before !== undefined && !CURSOR.test(before))) throw badRequest();
      return data.thread(r, id, before);
    },
    '/followed': (r, req) => {
      const id = Number(req.query.id);
      if (!Number.isSafeInteger(id) || id <= 0) throw badRequest();
      return data.followed(r, id);
    },
    '/search': (r, req) => data.search(r, (req.query.q ?? '').slice(0, 200)),
    '/similar': (r, req) => data.similar(r, (req.query.text ?? '').slice(0, 2000)),
    '/draft': (r, req) => {
      if (!/^[1-9][0-9]{0,15}$/.test(req.query.message ?? '')) throw badRequest();
      return draftOfPreview(o.db, store, r, req.query.message!);
    },
  };
  return Array.from({ length: WEB_SLOTS }, (_, slot) => Object.entries(api).map(([path, handle]): HttpRoute => ({
    method: 'GET', path: `${slotPaths(slot).apiPrefix}/inbox${path}`,
    handle: async (req): Promise<HttpResponse> => {
      try {
        const reader = await resolveReader(o.db, sessions, req, slot, o.clock.now());
        if (reader === undefined) return refuse('no_session');
        if (reader === null) return refusal(403, 'forbidden', 'Bạn chưa có trong danh bạ của mạng lưới.', 'You are not in the network’s directory yet.');
        return json(200, await handle(reader, req));
      } catch (err) {
        if (err instanceof InboxError) {
          o.logger.info({ code: err.code, slot }, 'inbox request refused');
          return refusal(err.status, err.code, err.vi, err.en);
        }
        o.logger.error({ err }, 'inbox failed');
        return refuse('internal');
      }
    },
  }))).flat();
}
