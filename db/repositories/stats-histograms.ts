import type { Db } from '../client.js';
import { DenseHistogram } from './histogram.js';
import { rollupSlices } from './stats-figures.js';

/**
 * Each agency's first-response histogram over the local days [from, to] (`stats_fr_agency`: one
 * row per agency and month or loose day, all topics and classes), for agencies `orgIds` (null:
 * every one). What the league table's median and p90 are read from.
 */
export async function agencyHistograms(db: Db, range: { from: string; to: string }, orgIds: readonly number[] | null): Promise<Map<number, Map<number, number>>> {
  const dense = new Map<number, DenseHistogram>();
  for (const slice of rollupSlices(range.from, range.to)) {
    let q = db.selectFrom('stats_fr_agency').select(['org_id', 'r_fr_hist'])
      .where('grain', '=', slice.grain).where('period', '>=', slice.from).where('period', '<=', slice.to);
    if (orgIds) q = q.where('org_id', 'in', orgIds.length > 0 ? orgIds : [-1]);
    for (const r of await q.execute()) {
      const orgId = Number(r.org_id);
      let hist = dense.get(orgId);
      if (!hist) dense.set(orgId, (hist = new DenseHistogram()));
      hist.addJson(r.r_fr_hist);
    }
  }
  return new Map([...dense].map(([orgId, h]) => [orgId, h.toMap()]));
}
