/** Who gave an answer, as the reporter may quote it. */
export interface Speaker {
  name: string;
  /** Their position in the reader's language; null: none in the directory (the role is named). */
  title: string | null;
  /** The agency in the reader's language. */
  org: string;
}

/** Texts of an official answer: preview and confirmation, signature, correction, decline (issue #14). */
export interface AnswerCopy {
  btnSend: string;
  btnEdit: string;
  btnCancel: string;
  /** Under the "sent" message: correct the answer while the window is open. */
  btnCorrect: string;
  /** "— Hoàng Minh Tuấn, Phó Giám đốc Sở Y tế". */
  signature(s: Speaker): string;
  /** The draft shown to the spokesperson before anything is sent; it expires after `draftMinutes`. */
  preview(code: string, text: string, signature: string, draftMinutes: number, correcting: boolean): string;
  /** Nothing to confirm: the draft expired, was sent or cancelled already. */
  noDraft(code: string | undefined, draftMinutes: number): string;
  /** The draft was dropped; nothing went out. */
  cancelled(code: string): string;
  /** Asks for the answer's text again (after [Sửa]). */
  askAgain(code: string): string;
  /** The answer went out to `recipients` reporters; it can be corrected for `minutes`. */
  sent(code: string, recipients: number, minutes: number): string;
  /** The official answer in the reporter's chat. */
  toReporter(code: string, org: string, answer: string, signature: string, corrected: boolean): string;
  /** Where the platform cannot edit the answer in place: a new message replying to it. */
  correctedNotice(code: string, org: string, answer: string, signature: string): string;
  /** A corrected answer, to a reporter who follows the inquiry (they were sent the first version). */
  correctedToFollower(code: string, org: string, answer: string, signature: string): string;
  /** The files of a corrected answer (`count` of them), sent after it as their own message (an edit cannot add files). */
  correctionFiles(code: string, count: number): string;
  /** Asks for the corrected text, `minutesLeft` before the window closes. */
  askCorrection(code: string, minutesLeft: number): string;
  /** The correction went out; both versions are kept. */
  correctionSent(code: string, recipients: number): string;
  /** Too late to correct (`minutes` after sending), or the inquiry moved on. */
  correctionClosed(code: string, minutes: number): string;
  /** Only the person who sent the answer corrects it. */
  correctionNotYours(code: string): string;
  /** The decline in the reporter's chat: the ground with its legal article, the reason, who declined. */
  declineToReporter(code: string, org: string, ground: string, article: string, reason: string, signature: string): string;
  declineDone(code: string): string;
  /** The answer in the chat of a reporter who follows another reporter's question (no rating, no follow-up). */
  toFollower(code: string, org: string, answer: string, signature: string): string;
  /** `/follow Q-12` done (or already so): the answer will come to this chat. */
  followed(code: string, answered: boolean): string;
  /** `/unfollow Q-12` done; `was`: false when the person did not follow it. */
  unfollowed(code: string, was: boolean): string;
  /** Only open or answered questions of other reporters can be followed. */
  followRefused(code: string): string;
  /** Following is for verified reporters. */
  followNotReporter: string;
  /** The decline in a follower's chat. */
  declineToFollower(code: string, org: string, ground: string, article: string, reason: string, signature: string): string;
  /** A decline's ground, legal article and reason, as the web page's follower's view shows the decline entry. */
  declineBasis(ground: string, article: string, reason: string): string;
}
