/** The fault suite's table, as printed by `npm run faults` and copied into the README. */
import { BOUNDS, type FaultOutcome } from './segment.js';

const ms = (v: number | undefined) => (v === undefined ? '–' : `${v}`);

/** A Markdown table, one row per fault and database. */
export function faultTable(rows: readonly FaultOutcome[]): string {
  const head = ['fault', 'database', 'sent', 'delivered (of which Zalo OA)', 'lost', 'duplicated', 'in flight', 'first message after recovery, ms', 'Redis reconciled, ms', 'bot exited', 'pass'];
  const lines = rows.map((r) => [
    r.fault, r.db, r.sent, `${r.delivered} (${r.deliveredZalo})`, r.lost, r.duplicated, r.inFlight, ms(r.firstAfterMs), ms(r.reconcileMs), r.exited ? 'yes' : 'no', r.pass ? 'pass' : `FAIL: ${r.problems.join('; ')}`,
  ].map(String));
  const bound = ['**bound**', '', '', '', '0', '≤ in flight', '', `≤ ${BOUNDS.firstMessageMs}`, `≤ ${BOUNDS.reconcileMs}`, 'no', ''];
  return [head, head.map(() => '---'), ...lines, bound].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
