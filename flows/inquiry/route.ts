import type { OutboundMessage } from '../../adapters/types.js';
import type { Db } from '../../db/client.js';
import { agencyRecipients } from '../../db/repositories/agency-recipients.js';
import { findOrg, rolesOf } from '../../db/repositories/directory.js';
import { findIdentity } from '../../db/repositories/identities.js';
import type { Inquiry } from '../../db/schema.js';
import { A, btn, rows } from '../buttons.js';
import type { Copy, InquiryView } from '../copy/index.js';
import type { Effects, PlannedSend } from '../effects.js';
import { chooseSpokespersons, coordinatorsFor } from '../roles.js';
import { knownOr, loadViewRows, orgName, toView, type KnownRows } from './view.js';
import { entryFileIds } from '../files.js';
import { duplicatesFor, lookupSimilar, type SimilarRef } from './similar.js';

/** The spokesperson's action buttons on an inquiry notification. */
export function staffButtons(t: Copy, inquiryId: number) {
  return [
    [btn(t.btnAck, A.ack, inquiryId), btn(t.btnAnswer, A.answer, inquiryId)],
    [btn(t.btnClarify, A.clarify, inquiryId), btn(t.btnTransfer, A.transfer, inquiryId)],
    [btn(t.btnExtend, A.extend, inquiryId), btn(t.btnDecline, A.decline, inquiryId, 'danger')],
  ];
}

/**
 * Sends the inquiry to its agency's spokespersons (a reply to the notification is an answer).
 * When the agency has nobody to receive it, the coordinators are told instead. `along`: messages
 * of the same flow written first, in the same write as the notices. Returns how many people were
 * notified.
 */
export async function notifyAgency(
  db: Db, effects: Effects, inquiry: Inquiry, today: string, note?: (t: Copy) => string, known: KnownRows = {}, along: readonly PlannedSend[] = [],
): Promise<number> {
  // Who receives it, where each is reached, and the reporter's outlet for the view: one statement (or read already with the topic).
  const reporter = known.reporter?.id === inquiry.reporter_person_id ? known.reporter : undefined;
  const read = reporter && known.recipients?.orgId === inquiry.org_id ? known.recipients : undefined;
  const found = inquiry.org_id === null ? undefined : read ?? await agencyRecipients(db, { orgId: inquiry.org_id, inquiryId: inquiry.id, today, outletId: reporter?.outlet_id });
  const people = found ? chooseSpokespersons(found.assignments) : [];
  if (people.length === 0) {
    await notifyScreening(db, effects, inquiry, today, known, along);
    return 0;
  }
  // A complaint's conclusion counts from its date: the agency can enter it from the notice.
  const conclusion = (t: Copy) => (inquiry.deadline_class === 'complaint_conclusion' && !inquiry.conclusion_on ? [[btn(t.lifecycle.btnConclusion, A.conclusion, inquiry.id)]] : []);
  const build = await viewBuilder(db, inquiry, (t, v) => ({
    text: t.staffNotice(v, note?.(t)), buttons: [...staffButtons(t, inquiry.id), ...conclusion(t)],
  }), found?.outlet ? { ...known, outlet: found.outlet } : known);
  // The question's photos and documents go with it, to whoever receives it (a transfer included).
  const files = known.questionFiles ?? await entryFileIds(db, inquiry.id, 'question');
  const notices = people.flatMap((personId) => effects.planReached(found?.reach.get(personId), build, { ref: { inquiryId: inquiry.id, kind: 'staff_notice' }, files, push: { kind: 'inquiry', inquiry } }) ?? []);
  await effects.sendEach([...along, ...notices]);
  return people.length;
}

/**
 * Sends the inquiry to the coordinators with the screening buttons, and the topic's likely
 * duplicates each of them coordinates (`duplicatesFor`: one outside their scope is never named).
 * `along`: messages of the same flow written first, in the same write as the notices.
 */
export async function notifyScreening(
  db: Db, effects: Effects, inquiry: Inquiry, today: string, known: KnownRows = {}, along: readonly PlannedSend[] = [],
): Promise<void> {
  const suggested = inquiry.suggested_org_id ? await knownOr(known.org, inquiry.suggested_org_id, findOrg, db) : undefined;
  const duplicates = known.duplicates ?? (inquiry.topic_id === null ? [] : (await lookupSimilar(db, inquiry.reporter_person_id, inquiry.question, inquiry.topic_id, inquiry.id)).duplicates);
  const viewRows = await loadViewRows(db, inquiry, known);
  const message = (shown: readonly SimilarRef[]) => (t: Copy): Built => ({
    text: `${t.screeningNotice(toView(inquiry, viewRows, t), orgName(suggested, t))}${shown.length > 0 ? `\n\n${t.similar.duplicates(shown)}` : ''}`,
    buttons: [
      [btn(t.routeTo(orgName(suggested, t)), A.routeSuggested, inquiry.id)],
      ...rows([btn(t.chooseOther, A.chooseOther, inquiry.id), btn(t.rejectOutOfScope, A.rejectScope, inquiry.id, 'danger')], 2),
      // A likely duplicate still open is one press away (an answered one cannot be merged into).
      ...shown.filter((d) => !d.answered).map((d) => [btn(t.similar.btnMergeInto(d.code), A.merge, `${inquiry.id}.${d.code}`)]),
      [btn(t.merge, A.merge, inquiry.id)],
    ],
  });
  const plain = message([]);
  const files = known.questionFiles ?? await entryFileIds(db, inquiry.id, 'question');
  const notices: PlannedSend[] = [];
  for (const personId of await coordinatorsFor(db, inquiry.suggested_org_id ?? inquiry.org_id, today)) {
    // No duplicates (the usual case): no query per coordinator.
    const shown = duplicates.length === 0 ? [] : await duplicatesFor(db, { roles: await rolesOf(db, personId, today) }, duplicates);
    const planned = await effects.planPerson(personId, shown.length === 0 ? plain : message(shown), { ref: { inquiryId: inquiry.id, kind: 'screening_notice' }, files, push: { kind: 'inquiry', inquiry } });
    if (planned) notices.push(planned);
  }
  await effects.sendEach([...along, ...notices]);
}

type Built = OutboundMessage;

/**
 * Pre-loads the inquiry view in both languages so that message builders stay synchronous
 * (effects call them with each recipient's copy).
 */
export async function viewBuilder(db: Db, inquiry: Inquiry, make: (t: Copy, v: InquiryView) => Built, known: KnownRows = {}): Promise<(t: Copy) => Built> {
  const rows = await loadViewRows(db, inquiry, known);
  return (t: Copy) => make(t, toView(inquiry, rows, t));
}

/** Sends a message (with `files`, stored file ids) into the reporter's own thread, as a reply to their original question. */
export async function toReporterThread(
  db: Db, effects: Effects, inquiry: Inquiry, build: (t: Copy) => Built, kind?: 'answer' | 'clarification' | 'info', files: readonly number[] = [],
): Promise<number | undefined> {
  const identity = await findIdentity(db, inquiry.reporter_identity_id);
  if (!identity) return undefined;
  return effects.sendTo(identity, build, {
    replyToMessageId: inquiry.origin_message_id,
    ...(kind ? { ref: { inquiryId: inquiry.id, kind } } : {}),
    ...(files.length > 0 ? { files } : {}),
  });
}
