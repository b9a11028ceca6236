import { formatDue, formatLocalTime } from './format.js';
import type { PressCopy } from './press-types.js';

const OUTCOMES: Record<string, string> = { pending: 'pending', corrected: 'corrected', apologised: 'apologised', refused: 'refused to correct', no_response: 'no response' };

const FIELDS: Record<string, string> = { title: 'the title', outlet: 'the press outlet', article: 'the article', published: 'the publication date', grounds: 'the grounds for the correction', startsAt: 'the date and time', place: 'the place', host: 'the host agency', agencies: 'the presenting agencies', code: 'the code', outcome: 'the outcome', eventAt: 'the time of the event' };

export const pressEn: PressCopy = {
  annualReportDue: (y, from, to) => `Reminder: the ${y} report under Decree 244/2026/ND-CP Art. 10 (period ${from} – ${to}) is due to the Ministry of Culture, Sports and Tourism before 20 December. Make it with the "Annual report" button on /dashboard, or: liaison report annual --year ${y} --out report-${y}.xlsx`,
  fieldMissing: (f) => `Please fill in ${FIELDS[f] ?? f}.`,
  notAllowed: 'You are not allowed to do this.',
  conferenceUsage: 'Usage: /conference dd/mm/yyyy HH:mm | place or link | host organisation code | presenting agencies\' codes (comma-separated) | title and topics. Example: /conference 15/12/2026 09:00 | City hall | HUE | SYT,STC | Monthly press conference, December',
  conferenceBadTime: (x) => `"${x}" is not a valid future date and time (dd/mm/yyyy HH:mm).`,
  conferenceUnknownOrg: (c) => `No organisation has the code ${c}.`,
  conferenceOutOfScope: (c) => `${c} is outside your scope.`,
  conferenceScheduled: (p) => `Press conference ${p.code} scheduled: ${p.title}, ${formatLocalTime(p.at)}, ${p.place}. The announcement is going to ${p.recipients} reporters. Afterwards, send /conference held ${p.code} to mark it held (or use the dashboard).`,
  conferenceAnnouncement: (p) => ({
    title: `Press conference ${p.code}: ${p.title}`,
    body: `When: ${formatLocalTime(p.at)}\nWhere: ${p.place}\nTopics: ${p.topics}\nPresenting: ${p.agencies}\n\nRegister: /register ${p.code}\nSend a question in advance: /confq ${p.code} <agency code> <question>`,
  }),
  conferenceNotFound: (c) => `No press conference ${c}.`,
  conferenceNotOpen: (c) => `Press conference ${c} was already held or cancelled.`,
  registered: (c, title, at) => `You are registered for press conference ${c}: ${title}, ${formatLocalTime(at)}.`,
  alreadyRegistered: (c) => `You are already registered for press conference ${c}.`,
  questionUsage: 'Usage: /confq HB-<n> <agency code> <question>. Example: /confq HB-3 SYT What is next year\'s vaccination plan?',
  questionNotPresenting: (c, a) => `That agency does not present at press conference ${c}. Presenting: ${a}.`,
  questionStored: (c, a) => `Your question for press conference ${c} went to ${a}. If it is not answered at the conference, it becomes an ordinary inquiry with a legal deadline.`,
  questionToAgency: (p) => `Question sent in advance for press conference ${p.code} (${p.title}, ${formatLocalTime(p.at)}), from ${p.reporter} (${p.outlet}):\n${p.question}`,
  heldUsage: 'Usage: /conference held HB-<n> [numbers of the questions answered at the conference, comma-separated]. The others become ordinary inquiries, their deadlines counted from the conference.',
  heldDone: (p) => `Press conference ${p.code} recorded as held. Questions answered at it: ${p.answered}. Turned into inquiries: ${p.converted.length > 0 ? p.converted.join(', ') : 'none'}.`,
  heldAlready: (c) => `Press conference ${c} was already marked.`,
  heldTooEarly: (c, at) => `Press conference ${c} has not taken place yet (${formatLocalTime(at)}).`,
  convertedToReporter: (p) => `Your question for press conference ${p.conference} was not answered there; it is now inquiry ${p.inquiry} to ${p.agency}${p.dueAt ? `, due ${formatDue(p.dueAt, 'en')}` : ''}.`,
  correctionUsage: 'Usage: /correction press outlet | article (title or link) | published dd/mm/yyyy | grounds for the correction',
  correctionBadDate: (x) => `"${x}" is not a valid date (dd/mm/yyyy, not after today).`,
  correctionRecorded: (c, o) => `Correction request ${c} to ${o} recorded. When it is settled, record the outcome on the /dashboard page (Outcome of a correction request) or type /correction ${c} corrected|apologised|refused|no_response [note].`,
  correctionLetter: (n) => `Letter attached: ${n}.`,
  letterInvalid: 'The letter file is not valid or is not a file you just uploaded. Please choose the file again.',
  correctionOutcomeUsage: 'Usage: /correction CC-<n> corrected|apologised|refused|no_response [note] (send it as a file\'s caption to attach the letter; /correction CC-<n> alone with a file: attach the letter, outcome unchanged)',
  correctionNotFound: (c) => `No correction request ${c} of your agency.`,
  correctionOutcomeSaved: (c, o) => `Outcome of correction request ${c} recorded: ${OUTCOMES[o] ?? o}.`,
  correctionLetterAttached: (c, n) => `Letter ${n} attached to correction request ${c}.`,
  outcomeLabel: (o) => OUTCOMES[o] ?? o,
  statementUsage: 'Usage: /statement dd/mm/yyyy HH:mm (when the event happened) | title of the statement published [| link]',
  statementBadTime: (x) => `"${x}" is not a valid time, not after now (dd/mm/yyyy HH:mm).`,
  statementRecorded: (p) => `Own-initiative statement ${p.code} recorded: ${p.title} (event at ${formatLocalTime(p.eventAt)}). Published after ${p.hours} hours: ${p.onTime ? 'within the 24-hour rule' : 'later than 24 hours'}.`,
};
