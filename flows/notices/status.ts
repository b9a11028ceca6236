import type { Db } from '../../db/client.js';
import type { NoticeCounts, AckRateLine } from '../copy/notice-types.js';
import type { FlowContext } from '../context.js';
import { requireCoordinator } from './access.js';
import { startCompose } from './compose.js';
import { listOrgOutline } from '../../db/repositories/directory.js';
import { ackByOrg, countByStatus, findNotice, type StatusCounts } from '../../db/repositories/notices.js';

/** `/notice` (compose), `/notice status <id>`. */
export async function onNoticeCommand(ctx: FlowContext, args: string): Promise<void> {
  if (args === '') return startCompose(ctx);
  const m = /^(status|trạng thái|trang thai)\s+#?(\d{1,12})$/i.exec(args);
  if ((await requireCoordinator(ctx, 'status')) === undefined) return;
  if (!m) return void await ctx.reply((t) => ({ text: t.notice.statusUsage }));
  const notice = await findNotice(ctx.db, Number(m[2]));
  if (!notice) return void await ctx.reply((t) => ({ text: t.notice.notFound(m[2]!) }));
  const counts = await noticeTally(ctx.db, notice.id);
  const { provinces, communes } = await ackRates(ctx.db, notice.id);
  await ctx.reply((t) => ({ text: t.notice.status(notice.id, notice.title, counts, provinces, communes) }));
}

/**
 * The one count of a notice that its progress message, its final summary and `/notice status` all
 * show (delivered, failed, unreachable, not joined, held for the channel, acknowledged).
 */
export async function noticeTally(db: Db, noticeId: number): Promise<NoticeCounts> {
  return toNoticeCounts(await countByStatus(db, noticeId));
}

/** The copy's counts from the store's. Pending includes sends in flight. */
export function toNoticeCounts(c: StatusCounts): NoticeCounts {
  return { total: c.total, pending: c.pending + c.sending, sent: c.sent, failed: c.failed, unreachable: c.unreachable, notJoined: c.not_joined, held: c.held, acked: c.acked };
}

/** Acknowledgement rate of delivered recipients per province and per commune, lowest rate first. */
export async function ackRates(db: Db, noticeId: number): Promise<{ provinces: AckRateLine[]; communes: AckRateLine[] }> {
  const byOrg = await ackByOrg(db, noticeId);
  const orgs = new Map((await listOrgOutline(db)).map((o) => [o.id, o]));
  const provinceOf = (id: number | null): string => {
    const seen = new Set<number>();
    for (let cur = id; cur !== null && !seen.has(cur); cur = orgs.get(cur)?.parent_id ?? null) {
      seen.add(cur);
      if (orgs.get(cur)?.type === 'province') return orgs.get(cur)!.name;
    }
    return '–';
  };
  const provinces = new Map<string, AckRateLine>();
  const communes: AckRateLine[] = [];
  for (const r of byOrg) {
    communes.push({ name: r.orgId === null ? '–' : orgs.get(r.orgId)?.name ?? String(r.orgId), sent: r.sent, acked: r.acked });
    const name = provinceOf(r.orgId);
    const p = provinces.get(name) ?? { name, sent: 0, acked: 0 };
    provinces.set(name, { name, sent: p.sent + r.sent, acked: p.acked + r.acked });
  }
  const byRate = (a: AckRateLine, b: AckRateLine) => a.acked / Math.max(1, a.sent) - b.acked / Math.max(1, b.sent) || a.name.localeCompare(b.name);
  return { provinces: [...provinces.values()].sort(byRate), communes: communes.sort(byRate).slice(0, 30) };
}
