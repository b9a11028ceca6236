import { OPEN_INQUIRY_STATUSES, type InquiryStatus } from '../../db/schema.js';
import type { Action, ActionRule, Party } from './types.js';

/** Still waiting for something: routing, an answer or the reporter's clarification. */
export const OPEN: readonly InquiryStatus[] = OPEN_INQUIRY_STATUSES;
/** With the agency: assigned, taken on, or paused for the reporter's clarification. */
const AT_AGENCY: readonly InquiryStatus[] = ['assigned', 'acknowledged', 'clarifying'];
/** With the agency and the clock running. */
const RUNNING_AT_AGENCY: readonly InquiryStatus[] = ['assigned', 'acknowledged'];
/** The reporter may still add to it or rate the answer. */
const REPORTER_CAN_ADD: readonly InquiryStatus[] = ['assigned', 'acknowledged', 'clarifying'];

const SPOKESPERSON: readonly Party[] = ['spokesperson'];
const COORDINATOR: readonly Party[] = ['coordinator'];
const REPORTER: readonly Party[] = ['reporter'];

/**
 * The inquiry's lifecycle: every action, the statuses it may start from, where it leads, who may
 * do it, what it writes and what it does to the deadline clock. `transition()` applies a row;
 * the guards (`flows/guards.ts`) read it; the README's lifecycle table is this table.
 */
export const LIFECYCLE: Readonly<Record<Action, ActionRule>> = {
  acknowledge: { from: ['assigned'], to: 'acknowledged', who: SPOKESPERSON, entry: null, audit: 'inquiry.acknowledge', clock: 'none', responds: true },
  working: { from: ['acknowledged', 'clarifying'], to: 'same', who: SPOKESPERSON, entry: null, audit: 'inquiry.working', clock: 'none' },
  answer: { from: AT_AGENCY, to: 'answered', who: SPOKESPERSON, entry: 'answer', audit: 'inquiry.answer', clock: 'stop', responds: true },
  // Within minutes of sending, by its sender (flows/answer/correct.ts): the first version stays in the record.
  correct_answer: { from: ['answered'], to: 'same', who: SPOKESPERSON, entry: 'answer_correction', audit: 'inquiry.answer_correct', clock: 'none' },
  decline: { from: AT_AGENCY, to: 'declined', who: SPOKESPERSON, entry: 'decline', audit: 'inquiry.decline', clock: 'stop', responds: true },
  clarify: { from: RUNNING_AT_AGENCY, to: 'clarifying', who: SPOKESPERSON, entry: 'clarification_request', audit: 'inquiry.clarify', clock: 'pause', responds: true },
  resume: { from: ['clarifying'], to: 'paused_from', who: REPORTER, entry: 'clarification_reply', audit: 'inquiry.clarification_reply', clock: 'resume' },
  transfer: { from: RUNNING_AT_AGENCY, to: 'assigned', who: SPOKESPERSON, entry: 'transfer', audit: 'inquiry.transfer', clock: 'replan' },
  route: { from: ['screening'], to: 'assigned', who: COORDINATOR, entry: null, audit: 'inquiry.route', clock: 'replan' },
  reject: { from: ['screening'], to: 'rejected', who: COORDINATOR, entry: 'rejection', audit: 'inquiry.reject', clock: 'stop' },
  merge: { from: ['screening'], to: 'merged', who: COORDINATOR, entry: 'merge', audit: 'inquiry.merge', clock: 'stop' },
  follow_up: { from: REPORTER_CAN_ADD, to: 'same', who: REPORTER, entry: 'followup', audit: 'inquiry.followup', clock: 'none' },
  reopen: { from: ['answered'], to: 'acknowledged', who: REPORTER, entry: 'followup', audit: 'inquiry.followup', clock: 'new_deadline' },
  withdraw: { from: OPEN, to: 'withdrawn', who: REPORTER, entry: 'withdrawal', audit: 'inquiry.withdraw', clock: 'stop' },
  rate: { from: ['answered', ...REPORTER_CAN_ADD], to: 'same', who: REPORTER, entry: null, audit: 'inquiry.rate', clock: 'none', onlyUnrated: true },
  extend_request: { from: AT_AGENCY, to: 'same', who: SPOKESPERSON, entry: null, audit: 'extension.request', clock: 'none' },
  extend_approve: { from: OPEN, to: 'same', who: COORDINATOR, entry: null, audit: 'extension.approve', clock: 'extend' },
  extend_refuse: { from: OPEN, to: 'same', who: COORDINATOR, entry: null, audit: 'extension.reject', clock: 'none' },
  classify: { from: OPEN, to: 'same', who: COORDINATOR, entry: null, audit: 'inquiry.classify', clock: 'replan' },
  conclude: { from: ['screening', 'assigned', 'acknowledged'], to: 'same', who: ['spokesperson', 'coordinator'], entry: 'conclusion', audit: 'inquiry.conclusion', clock: 'new_deadline' },
};

export const ACTIONS = Object.keys(LIFECYCLE) as Action[];

/** Is the inquiry still open (not answered, declined, rejected, merged or withdrawn)? */
export function isOpen(status: InquiryStatus): boolean {
  return OPEN.includes(status);
}

/** The status `action` leads to from `status` (`resumeStatus`: where a clarification paused it). */
export function targetStatus(action: Action, status: InquiryStatus, resumeStatus: InquiryStatus | null): InquiryStatus {
  const to = LIFECYCLE[action].to;
  if (to === 'same') return status;
  if (to === 'paused_from') return resumeStatus ?? 'acknowledged';
  return to;
}

/**
 * Whether `parties` (what the actor is to this inquiry) may do `action` from `status`: the reason
 * for a refusal, or `ok`. The role is checked first: someone with no standing learns nothing of
 * the inquiry's state.
 */
export function decide(action: Action, status: InquiryStatus, parties: ReadonlySet<Party>): 'ok' | 'not_allowed' | 'stale' {
  const rule = LIFECYCLE[action];
  if (!rule.who.some((p) => parties.has(p))) return 'not_allowed';
  return rule.from.includes(status) ? 'ok' : 'stale';
}

/** Audit actions of the rows that change the status, for telling what happened to an inquiry. */
export const STATUS_AUDITS: readonly string[] = [...new Set(ACTIONS.filter((a) => LIFECYCLE[a].to !== 'same').map((a) => LIFECYCLE[a].audit))];

/** The action a status-changing audit event records (`inquiry.followup` → `reopen`). */
export function actionOfAudit(audit: string): Action | undefined {
  return ACTIONS.find((a) => LIFECYCLE[a].audit === audit && LIFECYCLE[a].to !== 'same');
}
