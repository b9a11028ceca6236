import { createChannel, type Channel } from '../../adapters/web/channel.js';
import type { Db } from '../../db/client.js';
import { liveFingerprint } from '../../db/repositories/stats-dashboard.js';
import { rollupVersion } from '../../db/repositories/stats-rollup.js';
import type { Figures } from './figures.js';

/** Options of {@link createDashboardLive}. */
export interface DashboardLiveOptions {
  db: Db;
  figures: Figures;
  now(): Date;
  /** How often, while a dashboard is open in this process, the sums are brought up to date and compared, in ms. Default 1000. */
  pollMs?: number;
  /** Interval of the SSE heartbeat comment, in ms. Default 15 000. */
  heartbeatMs?: number;
  /** The "due soon" window (a due time entering it is a change), in ms. */
  dueSoonMs: number;
  onError(err: unknown): void;
}

/** The open dashboard event streams of this process. */
export interface DashboardLive {
  /** A stream that receives `event: change` whenever a figure may have changed. */
  open(): Channel;
  /** Streams open now. */
  readonly size: number;
  closeAll(): void;
}

/**
 * Live dashboards without a message bus: the database is the bus. Any process — a web process
 * taking a reply, a worker, the command line — writes inquiries, and the triggers mark the days
 * it touched. While a dashboard is open here, this process recomputes the marked days every
 * `pollMs` (one process at a time, see `refreshRollups`), then compares the sums' version, the
 * latest acknowledgement and press record, and the open inquiries past or near their due time;
 * when anything differs it tells every open page, which re-reads its figures through its own,
 * scoped requests (the event itself carries no figures). So a change anywhere reaches every
 * page within about `pollMs` plus a read.
 */
export function createDashboardLive(o: DashboardLiveOptions): DashboardLive {
  const pollMs = o.pollMs ?? 1000;
  const streams = new Set<Channel>();
  let timer: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let last = '';
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      await o.figures.refresh();
      const now = o.now();
      const key = `${await rollupVersion(o.db)}|${await liveFingerprint(o.db, now.toISOString(), new Date(now.getTime() + o.dueSoonMs).toISOString())}`;
      if (key !== last) {
        const first = last === '';
        last = key;
        if (!first) for (const s of streams) s.push(`event: change\ndata: ${JSON.stringify({ at: now.toISOString() })}\n\n`);
      }
    } catch (err) {
      o.onError(err);
    } finally {
      busy = false;
    }
  };
  const stop = () => {
    clearInterval(timer);
    clearInterval(heartbeat);
    timer = undefined;
    heartbeat = undefined;
    last = '';
  };
  return {
    open() {
      const channel = createChannel(() => {
        streams.delete(channel);
        if (streams.size === 0) stop();
      });
      streams.add(channel);
      channel.push('retry: 3000\n\n');
      if (!timer) {
        void tick();
        timer = setInterval(() => void tick(), pollMs);
        heartbeat = setInterval(() => { for (const s of streams) s.push(': ping\n\n'); }, o.heartbeatMs ?? 15_000);
        timer.unref();
        heartbeat.unref();
      }
      return channel;
    },
    get size() { return streams.size; },
    closeAll() {
      for (const s of [...streams]) s.close();
      stop();
    },
  };
}
