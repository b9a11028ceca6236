import type { AnswerCopy } from './answer-types.js';

/** English: the official answer (preview, confirmation, correction) and declines. */
export const answerEn: AnswerCopy = {
  btnSend: 'Send the answer',
  btnEdit: 'Edit',
  btnCancel: 'Cancel',
  btnCorrect: 'Correct the answer',
  signature: (s) => `— ${s.name}, ${s.title ?? `Spokesperson, ${s.org}`}`,
  preview: (c, text, sig, min, correcting) => [
    `${correcting ? 'Preview of the corrected answer' : 'Preview of your answer'} to inquiry ${c} (NOT SENT YET):`,
    '', text, '', sig, '',
    `Press "Send the answer" to send it to the reporter as the official answer, "Edit" to rewrite it, "Cancel" to drop it. The draft expires after ${min} minutes unless sent.`,
  ].join('\n'),
  noDraft: (c, min) => `This draft is gone${c ? ` (inquiry ${c})` : ''}: it was sent, cancelled, replaced by a newer one, or is older than ${min} minutes. Nothing new was sent. To answer, press "Answer" and write it again.`,
  cancelled: (c) => `Draft cancelled. Nothing was sent to the reporter about inquiry ${c}.`,
  askAgain: (c) => `Type the answer to inquiry ${c} again (or /cancel). You will see a preview before it is sent.`,
  sent: (c, n, min) => `The official answer to inquiry ${c} was sent${n > 1 ? ` to ${n} reporters` : ''}. For ${min} minutes you can correct it with "Correct the answer" (the reporter will see "edited").`,
  toReporter: (c, o, a, sig, corrected) => `Answer to inquiry ${c} — ${o}${corrected ? ' (edited)' : ''}\n\n${a}\n\n${sig}\n\nReply to this message to follow up. How would you rate this answer?`,
  correctedNotice: (c, o, a, sig) => `The answer to ${c} was corrected:\n\n${a}\n\n${sig}\n${o}`,
  correctionFiles: (c, n) => `The files of the corrected answer to ${c} (${n} file${n > 1 ? 's' : ''}):`,
  askCorrection: (c, left) => `Type the corrected answer to ${c} (${left} minutes left to correct it; /cancel to stop). The reporter will see "edited"; the earlier version stays on record.`,
  correctionSent: (c, n) => `The correction of the answer to ${c} was sent${n > 1 ? ` to ${n} reporters` : ''}. The reporter sees the answer marked "edited"; the record keeps both versions.`,
  correctionClosed: (c, min) => `Sorry, the answer to ${c} can only be corrected within ${min} minutes of sending, and that time has passed or the inquiry has moved on. To set the record straight, send the reporter further information through the press office.`,
  correctionNotYours: (c) => `Only the person who sent the answer to ${c} can correct it.`,
  declineToReporter: (c, o, g, art, r, sig) => `${o} declines to provide information on inquiry ${c}.\nGround: ${g} (${art})\nReason: ${r}\n\n${sig}`,
  followed: (c) => `You are following inquiry ${c}. Its answer will come to this chat. Send /unfollow ${c} to stop.`,
  unfollowed: (c, was) => (was ? `You no longer follow inquiry ${c}.` : `You were not following inquiry ${c}.`),
  followRefused: (c) => `Cannot follow ${c}: only other reporters' inquiries that are awaiting an answer or answered can be followed.`,
  followNotReporter: 'Only verified reporters can follow inquiries.',
  toFollower: (c, o, a, sig) => `Inquiry ${c}, which you follow, has been answered — ${o}\n\n${a}\n\n${sig}\n\nTo ask more, send a question of your own.`,
  declineToFollower: (c, o, g, art, r, sig) => `Inquiry ${c}, which you follow: ${o} declines to provide information.\nGround: ${g} (${art})\nReason: ${r}\n\n${sig}`,
  declineDone: (c) => `The decline of inquiry ${c} was sent with its legal ground and reason.`,
};
