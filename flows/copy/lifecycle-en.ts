import type { Action } from '../lifecycle/types.js';
import { formatDue, formatLocalTime } from './format.js';
import type { LifecycleCopy, TargetProblem } from './lifecycle-types.js';

/** "was <verb> by …": what each status-changing action did. */
const DONE: Partial<Record<Action, string>> = {
  acknowledge: 'taken on', answer: 'answered', decline: 'declined',
  clarify: 'sent back to the reporter for clarification', resume: 'clarified', transfer: 'transferred to another agency',
  route: 'routed to an agency', reject: 'rejected as out of scope', merge: 'merged into another inquiry',
  reopen: 'reopened with a follow-up', withdraw: 'withdrawn',
};

const PROBLEM: Record<TargetProblem, string> = {
  unknown: 'no such agency',
  inactive: 'the agency is no longer active',
  same: 'the inquiry is already with this agency',
  no_receiver: 'the agency has no spokesperson or head to receive it',
  out_of_scope: 'the agency is outside what you may send to',
};

/** English. */
export const lifecycleEn: LifecycleCopy = {
  happened: (h) => `That action no longer applies: inquiry ${h.code} was ${DONE[h.action] ?? 'handled'} by ${h.self ? 'you' : h.by ?? 'the system'} at ${formatLocalTime(h.at)}.`,
  newPeriod: (d) => `New due time (counted from the follow-up): ${formatDue(d, 'en')}.`,
  chooseClass: (c, cur) => `Choose the kind of inquiry ${c} (it sets the time allowed). Now: ${cur}.`,
  btnConclusion: 'Enter conclusion date',
  askConclusionDate: (c) => `Type the date the complaint of inquiry ${c} was concluded, as day/month/year (e.g. 20/11/2026). The due time will count from it.`,
  invalidConclusionDate: (today) => `The conclusion date must be day/month/year (e.g. 20/11/2026), a real date, and not after today (${today}). Please type it again (or /cancel).`,
  conclusionNotApplicable: (c, cls) => `Inquiry ${c} is "${cls}": its time allowed does not count from a complaint's conclusion. The coordinating office can change its kind with /class ${c}.`,
  conclusionSet: (c, date, d, b) => `Inquiry ${c}: complaint concluded on ${date}.\nDue (counted from the conclusion): ${formatDue(d, 'en')}\nBasis: ${b}`,
  awaitsConclusion: (c) => `The due time is provisional, counted from receipt. Once the complaint is concluded, press "Enter conclusion date" or type /conclusion ${c} to count it from the conclusion.`,
  targetRefused: (o, p) => `Cannot send the inquiry to ${o}: ${PROBLEM[p]}. Please choose another agency.`,
  noTargets: (c) => `No other agency has anyone to receive inquiry ${c}. Please tell the coordinating office.`,
};
