import type { Copy, InquiryLine, InquiryView } from './types.js';
import { channelEn } from './channel-en.js';
import { replyWindowEn } from './reply-window-en.js';
import { deadlineEn } from './deadline-en.js';
import { lifecycleEn } from './lifecycle-en.js';
import { filesEn } from './files-en.js';
import { zaloPersonalEn } from './zalo-personal-en.js';
import { zaloOaEn } from './zalo-oa-en.js';
import { noticeEn } from './notice-en.js';
import { webEn } from './web-en.js';
import { answerEn } from './answer-en.js';
import { similarEn } from './similar-en.js';
import { pressEn } from './press-en.js';
import { excerpt, formatDue, formatLocalTime, formatMonth, type DueArg } from './format.js';

const STATUS: Record<string, string> = {
  screening: 'being screened', assigned: 'sent to the agency', acknowledged: 'in progress',
  clarifying: 'waiting for your clarification', answered: 'answered', declined: 'declined',
  rejected: 'out of scope', merged: 'merged', withdrawn: 'withdrawn',
};
const GROUNDS: Record<string, string> = {
  secret: 'State secret, personal or family privacy, or another secret protected by law',
  investigation: 'Case under investigation or not yet tried',
  unresolved: 'Inspection, complaint or denunciation not yet concluded',
  draft_policy: 'Draft policy not yet cleared for release',
};
const CLASSES: Record<string, string> = {
  incident: 'Incident with social impact', public_opinion: 'Divided public opinion', routine: 'Routine question',
  forwarded_petition: 'Petition forwarded by the press', complaint_conclusion: 'Conclusion of a forwarded complaint', press_answer: 'Answer on the press',
};
const RATINGS: Record<string, string> = { satisfied: 'Satisfied', acceptable: 'Acceptable', unsatisfied: 'Unsatisfied' };
const ROLES: Record<string, string> = {
  reporter: 'reporter', spokesperson: 'spokesperson', coordinator: 'coordinator', contact: 'contact', admin: 'admin', leader: 'leader',
};

function due(at: DueArg | null): string {
  return at ? `\nDue: ${formatDue(at, 'en')} (Vietnam time)` : '';
}

function card(v: InquiryView): string {
  return `Inquiry ${v.code} — topic: ${v.topicName}\nReporter: ${v.reporterName} (${v.outletName})\nReceived: ${formatLocalTime(v.receivedAt)}${due(v.dueAt)}\n\n${v.question}`;
}

function line(l: InquiryLine): string {
  return `• ${l.code} — ${STATUS[l.status]} — ${l.orgName}${l.dueAt ? ` — due ${formatDue(l.dueAt, 'en')}` : ''}${l.answerHasFiles ? ` — ${filesEn.answerHasFiles}` : ''}\n  ${excerpt(l.question)}`;
}

/** English, complete. */
export const en: Copy = {
  locale: 'en',
  statusLabel: (s) => STATUS[s] ?? s,
  groundLabel: (g) => GROUNDS[g] ?? g,
  ratingLabel: (r) => RATINGS[r] ?? r,
  roleLabel: (r) => ROLES[r] ?? r,
  classLabel: (c) => CLASSES[c] ?? c,
  deadline: deadlineEn,
  lifecycle: lifecycleEn,
  files: filesEn,
  zaloPersonal: zaloPersonalEn,
  zaloOa: zaloOaEn,
  notice: noticeEn,
  channel: channelEn,
  replyWindow: replyWindowEn,
  web: webEn,
  press: pressEn,
  answer: answerEn,
  similar: similarEn,

  help: (roles, registered) => [
    'Press-liaison network — the assistant that takes the press\'s questions to agency spokespersons.',
    !registered ? '/start — register as a reporter (or /start <invite code>)' : '',
    roles.includes('reporter') ? 'Ask: type your question, or /ask\n/my — your inquiries and their status\n/withdraw <code> — withdraw an inquiry\n/follow <code> — follow another reporter’s similar inquiry (/unfollow <code> to stop)\nReply to an answer to follow up.' : '',
    roles.includes('spokesperson') ? '/pending — inquiries waiting for your agency\nReply to an inquiry message to answer it.\nWithout buttons: /answer, /ack, /clarify, /decline, /transfer or /extend followed by the code (/answer Q-42).\n/conclusion <code> — enter a complaint\'s conclusion date (the time allowed counts from it).' : '',
    roles.includes('coordinator') ? 'You receive reporter verifications and inquiries to screen, with action buttons.\n/stats — on-time and overdue figures per agency\n/notice — send a notice to reporters or spokespersons (send it alone for help)\nWithout buttons: /route, /reroute, /reject or /merge followed by the code (/route Q-42).\n/class <code> — set the kind of inquiry (its time allowed); /conclusion <code> — enter a complaint\'s conclusion date.' : '',
    roles.includes('leader') && !roles.includes('coordinator') ? '/stats — on-time and overdue figures per agency' : '',
    roles.includes('reporter') ? 'Press conferences: /register HB-<n> to attend; /confq HB-<n> <agency code> <question> to ask in advance.' : '',
    roles.includes('spokesperson') ? '/correction — record a correction request to a press outlet; /statement — record a statement published on your own initiative (send the command alone for its form).' : '',
    roles.includes('coordinator') ? '/conference — schedule a press conference (send it alone for its form); /conference held HB-<n> — mark it held.' : '',
    roles.some((r) => r === 'coordinator' || r === 'leader' || r === 'admin') ? 'Dashboard: /dashboard on the service\'s web site (sign in with the code /web gives you).' : '',
    registered ? '/link — use another chat too (Telegram, Zalo, web)\n/prefer — receive notifications in this chat' : '',
    '/lang vi|en — change language\n/cancel — cancel what you are doing\n/help — this help',
  ].filter(Boolean).join('\n\n'),
  unknownCommand: (c) => `There is no /${c} command. Type /help for the list.`,
  notRegistered: (startLinks) => (startLinks
    ? 'You are not registered yet. Type /start to register as a reporter, or open the invite link you received.'
    : 'You are not registered yet. If you received an invite code, send the code as a message; if not, type /start to register as a reporter.'),
  pendingVerification: 'Your account is waiting for verification by the coordinating office. You will be told here as soon as it is approved; then you can ask questions.',
  reporterRejected: 'Your reporter registration was not approved, so you cannot ask questions. Please contact the network\'s coordinating office.',
  notAllowed: 'Sorry, you are not allowed to do that.',
  stale: (code, s) => `That action no longer applies: inquiry ${code} is now "${STATUS[s] ?? s}".`,
  inquiryNotFound: (code) => `Inquiry ${code} was not found.`,
  unknownButton: 'This button no longer works. Type /my or /pending to see the inquiries, /help for help.',
  alreadyChosen: 'That choice was already recorded. To send a new question, type it.',
  cancelled: 'Cancelled.',
  nothingToCancel: 'There is nothing to cancel.',
  langSet: 'Language set to English.',
  langUsage: 'Usage: /lang vi or /lang en',
  textTooLong: (max) => `That text is too long (at most ${max} characters). Please shorten it and send it again.`,
  reasonTooShort: (min) => `A reason needs at least ${min} characters so that its reader understands it. Please type it again (or /cancel).`,
  textOnly: 'The bot reads text, photos and files only (not stickers, locations or contact cards). Please type your message.',
  emptyQuestion: 'Your question is empty: the message has no visible text (only spaces or invisible characters), so nothing was sent. Please type your question.',
  emptyMessage: 'The message is empty: it has no visible text (only spaces or invisible characters). Please type your message.',
  genericError: 'Sorry, something went wrong while handling your message. Please try again in a few minutes.',
  useButtons: 'Please choose one of the buttons above, or /cancel.',

  welcome: 'Welcome to the press-liaison network — the channel for the press to put questions to agency spokespersons.',
  chooseLanguage: 'Vui lòng chọn ngôn ngữ / Please choose a language:',
  askFullName: 'Reporter registration (step 1 of 3): please type your full name.',
  invalidName: 'A name needs 2 to 100 characters. Please type it again.',
  askOutlet: 'Step 2 of 3: which press outlet do you work for? Choose below or type its name.',
  outletOther: 'Other (type the name)',
  askPressCard: 'Step 3 of 3: please type your press card number.',
  invalidPressCard: 'A press card number has 3–30 letters and digits. Please type it again.',
  registrationSubmitted: 'Thank you. Your registration has been sent to the coordinating office for verification. You will be told the result here.',
  alreadyRegistered: (name) => `You are already registered as ${name}. Type /help for help.`,
  verifyRequest: (p) => `Reporter verification request\nName: ${p.name}\nOutlet: ${p.outlet}\nPress card: ${p.pressCard}\nAccount: ${p.handle}`,
  approve: 'Approve',
  reject: 'Reject',
  reporterApproved: 'Your reporter account is verified. You can now ask questions: type your question or /ask.',
  reporterRejectedNotice: 'We are sorry: your reporter registration was not approved. If this is a mistake, please contact the coordinating office.',
  verifyDone: (name, ok) => `${ok ? 'Approved' : 'Rejected'} reporter ${name}.`,
  verifyAlreadyDone: (name) => `The request of ${name} was already handled.`,
  inviteAccepted: (name, roles, agencies = []) => [
    `Hello ${name}! Your account is now linked, with the role(s): ${roles.map((r) => ROLES[r]).join(', ')}.`,
    roles.includes('reporter') ? 'Type your question to send it; the answer will arrive right here.' : '',
    roles.includes('spokesperson') ? `You are the spokesperson${agencies.length ? ` of ${agencies.join(', ')}` : ''}: press inquiries to your agency arrive here. Type /pending for those waiting for an answer.` : '',
    roles.includes('coordinator') ? 'Inquiries to screen and reporters to verify arrive here with buttons; type /notice to send a notice.' : '',
    'Type /help for help.',
  ].filter(Boolean).join('\n'),
  staffTextHint: (roles) => [
    roles.includes('spokesperson') ? 'To answer an inquiry, reply to its message, or press "Answer" under it. Type /pending for the inquiries waiting.' : '',
    roles.includes('coordinator') ? 'To send a notice, type /notice; to screen an inquiry, use the buttons under it.' : '',
    'Type /help for help.',
  ].filter(Boolean).join('\n'),
  inviteInvalid: (startLinks) => (startLinks
    ? 'That invite code is not valid. Please check the link, or type /start to register.'
    : 'That invite code is not valid. Please check the code (every character), or type /start to register.'),
  inviteUsed: 'This invite code has already been used. If that was not you, please tell the network\'s administrator.',

  askPrompt: 'Please type your question.',
  chooseTopic: (q) => `Which topic is your question about?\n\n«${excerpt(q, 200)}»`,
  confirmQuestion: (t, o, s) => `Send this question?\nTopic: ${t}\nAnswering agency: ${o}${s ? '\n(The coordinating office screens it before it goes to the agency.)' : ''}`,
  send: 'Send',
  sendUrgentIncident: 'Send — urgent: incident',
  sendUrgentOpinion: 'Send — urgent: divided opinion',
  cancel: 'Cancel',
  inquiryAccepted: (code, org, s, d) => `Inquiry ${code} received.\nAgency: ${org}${s ? ' (being screened by the coordinating office)' : ''}${due(d)}\nThe answer will arrive here, right under your question. Type /my to check its status.`,
  askCancelled: 'Cancelled; the question was not sent.',

  screeningNotice: (v, org) => `Inquiry to screen\n${card(v)}\n\nSuggested agency: ${org}`,
  routeTo: (o) => `Route: ${excerpt(o, 40)}`,
  chooseOther: 'Choose another agency',
  rejectOutOfScope: 'Reject (out of scope)',
  merge: 'Merge into another inquiry',
  chooseOrg: (c) => `Choose the agency for inquiry ${c}:`,
  askRejectReason: (c) => `Please type why inquiry ${c} is rejected. The reporter will see this reason.`,
  askMergeCode: (c) => `Type the code of the open inquiry to merge ${c} into (e.g. Q-12).`,
  mergeInvalid: (c, again) => `Cannot merge into ${c}: it does not exist, is closed, or is this inquiry.${again ? ' Type another code or /cancel.' : ''}`,
  rejectedToReporter: (c, r) => `Inquiry ${c} is outside the network's scope.\nReason: ${r}`,
  mergedToReporter: (c, into) => `Inquiry ${c} duplicates inquiry ${into}, which is being handled, so they were merged. You will receive the answer here.`,
  screeningDone: (c, what) => `Inquiry ${c}: ${what}.`,
  routedWhat: (o) => `routed to ${o}`,
  rejectedWhat: 'rejected; the reporter was given the reason',
  mergedWhat: (into) => `merged into ${into}`,

  staffNotice: (v, note) => `${note ? `${note}\n` : ''}${card(v)}\n\nTo answer: reply to this message, or press "Answer".`,
  btnAck: 'Acknowledge',
  btnAnswer: 'Answer',
  btnClarify: 'Ask the reporter',
  btnTransfer: 'Transfer',
  btnDecline: 'Decline',
  askAnswerText: (c) => `Type the answer to inquiry ${c} (or /cancel).`,
  askClarifyText: (c) => `Type what the reporter should clarify about ${c}.`,
  chooseTransferOrg: (c) => `Transfer inquiry ${c} to which agency?`,
  chooseGround: (c) => `Choose the statutory ground for declining inquiry ${c} (Press Law):`,
  askDeclineReason: (c, g) => `Ground: ${g}.\nPlease type the specific reason; the reporter receives both the ground and the reason (inquiry ${c}).`,
  ackToReporter: (c, o) => `${o} has taken up inquiry ${c}.`,
  ackDone: (c) => `You have taken up inquiry ${c}.`,
  transferToReporter: (c, o) => `Inquiry ${c} was transferred to ${o}, the competent agency. Its received time is unchanged.`,
  transferDone: (c, o) => `Inquiry ${c} transferred to ${o}.`,
  clarifyToReporter: (c, o, q) => `${o} asks you to clarify inquiry ${c}:\n\n${q}\n\nPlease reply to this message to clarify.`,
  clarifyDone: (c) => `Your clarification request was sent to the reporter (inquiry ${c}).`,
  clarifyReplyToStaff: (c, r, t) => `Reporter ${r} clarifies inquiry ${c}:\n\n${t}\n\nReply to this message to answer.`,
  forwardedToStaff: (c) => `Forwarded to the spokesperson (inquiry ${c}).`,
  followupToStaff: (c, r, t) => `Reporter ${r} follows up on inquiry ${c}:\n\n${t}\n\nReply to this message to answer.`,
  rateButtons: { satisfied: 'Satisfied', acceptable: 'Acceptable', unsatisfied: 'Unsatisfied' },
  ratingThanks: (l) => `Thank you for your rating: ${l}.`,
  alreadyRated: (l) => `You already rated this answer: ${l}.`,
  followupClosed: (c, s) => `Inquiry ${c} is "${STATUS[s] ?? s}"; it cannot take follow-ups. Please send a new question.`,

  classConfirmRequest: (c, r, q) => `The reporter asks for urgent handling of inquiry ${c} (${r}).\n«${excerpt(q, 200)}»\nPlease confirm or choose its class:`,
  classChanged: (c, cls, d, b) => `Inquiry ${c} is classed as: ${cls}.\nDue: ${formatDue(d, 'en')} (Vietnam time)\nBasis: ${b}`,
  classDone: (c, cls) => `Inquiry ${c} classed as ${cls}.`,
  btnExtend: 'Request extension',
  askExtensionReason: (c, d) => `Extension for inquiry ${c} (now due ${formatDue(d, 'en')}). Please type the reason.`,
  askExtensionDue: (c, ex) => `Propose the new due time for inquiry ${c} as day/month/year hour:minute (e.g. ${ex}).`,
  invalidExtensionDue: (d) => `The proposed time must read day/month/year hour:minute and be after the current due time (${formatDue(d, 'en')}). Please type it again.`,
  extensionRequest: (p) => `Extension request for inquiry ${p.code} — ${p.org}\nBy: ${p.by}\nReason: ${p.reason}\nNow due: ${formatDue(p.dueAt, 'en')}\nProposed: ${formatDue(p.proposedAt, 'en')}`,
  extensionSubmitted: (c) => `Your extension request for inquiry ${c} was sent to the coordinating office.`,
  extensionApproved: (c, d) => `The extension for inquiry ${c} was approved. New due time: ${formatDue(d, 'en')}.`,
  extensionRejected: (c) => `The extension for inquiry ${c} was not approved; the due time stands.`,
  extensionToReporter: (c, o, d) => `${o} was granted an extension for inquiry ${c}. New due time: ${formatDue(d, 'en')}.`,
  extensionDecided: (c, ok) => `Extension for inquiry ${c} ${ok ? 'approved' : 'rejected'}.`,
  extensionAlreadyDecided: 'This extension request was already decided.',
  clockPaused: 'The reply deadline is paused until the reporter clarifies.',
  clockResumed: (d) => `The reply deadline runs again; new due time: ${formatDue(d, 'en')}.`,
  calendarMissing: (y) => `The official ${y} schedule of holidays and days off in lieu is not imported yet; ${y} deadlines use the Labour Code defaults. Please import it once published: liaison calendar import <file.csv>.`,
  stats: (m, ls) => ls.length === 0 ? `No inquiries in your scope yet.` : [`Figures for ${formatMonth(m)} (overdue: as of now):`, ...ls.map((l) => `• ${l.org}: received ${l.received}, replied ${l.replied}, on time ${l.replied ? Math.round((100 * l.onTime) / l.replied) : 0}%${l.overdueOpen ? `, ⚠ overdue ${l.overdueOpen}` : ''}`)].join('\n'),
  withdrawUsage: 'Usage: /withdraw <inquiry code>, e.g. /withdraw Q-12 (see codes with /my).',
  withdrawn: (c) => `Inquiry ${c} withdrawn. The answering agency has been told.`,
  withdrawnToStaff: (c, r) => `Reporter ${r} withdrew inquiry ${c}; no answer is needed any more.`,
  workingNoted: (c) => `Noted: you are working on inquiry ${c}.`,
  myList: (ls) => `Your inquiries:\n${ls.map(line).join('\n')}`,
  myEmpty: 'You have not sent any question yet. Type your question to start.',
  pendingList: (ls) => `Inquiries waiting for an answer:\n${ls.map(line).join('\n')}`,
  pendingEmpty: 'No inquiry is waiting for your agency.',
  unreachableToCoordinator: (p) => `A message to ${p.name} (${p.platform}) could not be delivered: ${p.reason}${p.code ? ` — about inquiry ${p.code}` : ''}. Please reach them another way.`,
};
