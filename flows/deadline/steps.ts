/**
 * Names of deadline steps, shared by the planner (src/scheduler/deadlines) and the firing flow.
 * A step is `<kind>-<seq>`: `kind` is `r<percent>` (a reminder before the due time), `due` (the
 * reminder at the due time), `esc_head` / `esc_coord` / `esc_leader` (escalation rungs) or
 * `od<yyyymmdd>` (the overdue nudge of that local day); `seq` is the inquiry's `deadline_seq`.
 * The step names a firing (`deadline_events.step`); the job that fires it is named by
 * {@link jobKindOf}: the same, except one `od` job per sequence carries every daily nudge.
 */

/** A rung of the escalation ladder. */
export type Rung = 'head' | 'coordinator' | 'leader';
export const RUNGS: readonly Rung[] = ['head', 'coordinator', 'leader'];

/** The job kind of each rung. */
export const RUNG_KINDS: Readonly<Record<Rung, string>> = { head: 'esc_head', coordinator: 'esc_coord', leader: 'esc_leader' };

/** What a step does; also `deadline_events.kind`. */
export type StepCategory = 'remind' | 'escalate' | 'overdue';

/** A parsed step. */
export interface ParsedStep {
  kind: string;
  seq: number;
  category: StepCategory;
  /** Reminders: share of the allowed time elapsed, 100 at the due time. */
  percent?: number;
  rung?: Rung;
  /** Overdue nudges: the local day, `YYYY-MM-DD`. */
  date?: string;
}

/** `r50`, `due`, `esc_head`, `od20261124`. */
export function stepName(kind: string, seq: number): string {
  return `${kind}-${seq}`;
}

/** The kind of a reminder at `percent` of the allowed time. */
export function reminderKind(percent: number): string {
  return `r${percent}`;
}

/** Job kind of the overdue-nudge chain: one job per deadline sequence, re-armed each working day. */
export const OVERDUE_JOB_KIND = 'od';

/** The job kind that fires a step kind (`od20261124` → `od`; others unchanged). */
export function jobKindOf(kind: string): string {
  return /^od\d{8}$/.test(kind) ? OVERDUE_JOB_KIND : kind;
}

/** The kind of the overdue nudge of local day `date` (`YYYY-MM-DD`). */
export function overdueKind(date: string): string {
  return `od${date.replaceAll('-', '')}`;
}

function parseKind(kind: string): Omit<ParsedStep, 'kind' | 'seq'> | undefined {
  if (kind === 'due') return { category: 'remind', percent: 100 };
  const rung = (Object.keys(RUNG_KINDS) as Rung[]).find((r) => RUNG_KINDS[r] === kind);
  if (rung) return { category: 'escalate', rung };
  const reminder = /^r(\d{1,2})$/.exec(kind);
  if (reminder) return { category: 'remind', percent: Number(reminder[1]) };
  const od = /^od(\d{4})(\d{2})(\d{2})$/.exec(kind);
  if (od) return { category: 'overdue', date: `${od[1]}-${od[2]}-${od[3]}` };
  return undefined;
}

/** Parses `<kind>-<seq>`; undefined for anything else. */
export function parseStep(step: string): ParsedStep | undefined {
  const m = /^([a-z][a-z0-9_]*)-(\d{1,9})$/.exec(step);
  if (!m) return undefined;
  const parsed = parseKind(m[1]!);
  return parsed ? { kind: m[1]!, seq: Number(m[2]), ...parsed } : undefined;
}

/** The kind part of a step name (`r50-3` → `r50`). */
export function kindOf(step: string): string {
  const dash = step.lastIndexOf('-');
  return dash < 0 ? step : step.slice(0, dash);
}
