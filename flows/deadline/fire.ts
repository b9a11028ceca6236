import type { Button, OutboundMessage } from '../../adapters/types.js';
import type { Db } from '../../db/client.js';
import { findOrg, findPerson } from '../../db/repositories/directory.js';
import { DEADLINE_RUNNING_STATUSES, recordDeadlineEvent } from '../../db/repositories/deadlines.js';
import { findInquiry } from '../../db/repositories/inquiries.js';
import type { Inquiry, Org } from '../../db/schema.js';
import { A, btn } from '../buttons.js';
import type { DeadlineCopy, DeadlineView } from '../copy/deadline-types.js';
import { localDate } from '../copy/format.js';
import type { Copy } from '../copy/index.js';
import type { DeadlinePolicy } from '../deadlines.js';
import { createEffects } from '../effects.js';
import { codeOf, orgName } from '../inquiry/view.js';
import { deadlineCopyFor } from './copy.js';
import { inquiryOrgId, recipientsOf } from './recipients.js';
import { parseStep, type ParsedStep } from './steps.js';

/** The inquiry fields that decide whether a step may fire. */
export interface ClockState {
  status: string;
  paused_at: string | null;
  due_at: string | null;
  deadline_seq: number;
}

/** Should a step of deadline sequence `seq` fire? Only while the clock runs and the deadline has not moved since. */
export function stepStillApplies(inquiry: ClockState, seq: number): boolean {
  return (DEADLINE_RUNNING_STATUSES as readonly string[]).includes(inquiry.status) && inquiry.paused_at === null
    && inquiry.due_at !== null && Number(inquiry.deadline_seq) === seq;
}

/**
 * Fires one reminder or escalation step of an inquiry inside the caller's transaction: records it
 * in `deadline_events` (primary key inquiry + kind + step) and, only if that row is new, writes
 * one outbox row per recipient and an audit event. Idempotent by construction: firing the same
 * step again (a job re-run after a crash, or re-added after Redis lost its data) sends nothing.
 * Nothing fires for a closed or paused inquiry or a stale `deadline_seq`. Returns the outbox ids
 * to enqueue after commit.
 */
export async function fireDeadlineStep(db: Db, inquiryId: number, step: string, now: Date, defaultLocale: 'vi' | 'en', deadlines?: Pick<DeadlinePolicy, 'workingDays'>): Promise<number[]> {
  const parsed = parseStep(step);
  const inquiry = parsed ? await findInquiry(db, inquiryId) : undefined;
  if (!parsed || !inquiry?.due_at || !stepStillApplies(inquiry, parsed.seq)) return [];
  const nowIso = now.toISOString();
  if (!(await recordDeadlineEvent(db, { inquiryId, kind: parsed.category, step, firedAt: nowIso }))) return [];
  const today = localDate(now);
  const recipients = await recipientsOf(db, inquiry, parsed, today);
  const effects = createEffects(db, nowIso, defaultLocale, { personId: null, identityId: null });
  const isWorkingDay = await deadlines?.workingDays?.(db);
  const build = await messageBuilder(db, inquiry, parsed, now, recipients.asSpokesperson, isWorkingDay);
  for (const personId of recipients.personIds) {
    // A spokesperson's reply to a reminder is an answer, as to the original notice.
    await effects.notifyPerson(personId, build, {
      ref: { inquiryId, kind: recipients.asSpokesperson ? 'staff_notice' : 'info' },
      push: { kind: parsed.category === 'escalate' || !recipients.asSpokesperson ? 'escalation' : 'reminder' },
    });
  }
  await effects.audit(`deadline.${parsed.category}`, 'inquiry', inquiryId, null, {
    step, due_at: inquiry.due_at, recipients: recipients.personIds, queued: effects.outboxIds.length,
  });
  return effects.outboxIds;
}

/** Working on it / request extension / transfer, for the agency's spokespersons. */
function reminderButtons(d: DeadlineCopy, inquiryId: number): Button[][] {
  return [[btn(d.btnWorking, A.working, inquiryId), btn(d.btnExtend, A.extend, inquiryId)], [btn(d.btnTransfer, A.transfer, inquiryId)]];
}

/** Spokespersons get reminders they can answer; the coordinating office holding an inquiry in screening is addressed as a rung. */
function render(d: DeadlineCopy, v: DeadlineView, step: ParsedStep, toSpokesperson: boolean): string {
  if (step.category === 'escalate') return d.escalation(v, step.rung ?? 'head');
  if (!toSpokesperson) return d.escalation(v, 'coordinator');
  if (step.category === 'overdue') return d.overdue(v);
  return d.reminder(v, step.percent ?? 100);
}

/** Loads what the texts need once, so the per-recipient builder stays synchronous. */
async function messageBuilder(
  db: Db, inquiry: Inquiry, step: ParsedStep, now: Date, withButtons: boolean, isWorkingDay?: (date: string) => boolean,
): Promise<(t: Copy) => OutboundMessage> {
  const orgId = inquiryOrgId(inquiry);
  const org: Org | undefined = orgId === null ? undefined : await findOrg(db, orgId);
  const handler = inquiry.handler_person_id === null ? undefined : await findPerson(db, inquiry.handler_person_id);
  const dueAt = inquiry.due_at ?? now.toISOString();
  return (t) => {
    const d = deadlineCopyFor(t.locale);
    const view: DeadlineView = {
      code: codeOf(inquiry), question: inquiry.question, orgName: orgName(org, t), dueAt,
      lateMs: now.getTime() - Date.parse(dueAt), ...(handler ? { assignee: handler.full_name } : {}), ...(isWorkingDay ? { isWorkingDay } : {}),
    };
    return { text: render(d, view, step, withButtons), ...(withButtons ? { buttons: reminderButtons(d, inquiry.id) } : {}) };
  };
}
