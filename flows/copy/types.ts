import type { DeadlineClass, DeclineGround, InquiryStatus, Rating, Role } from '../../db/schema.js';
import type { ChannelCopy } from './channel-types.js';
import type { DeadlineCopy } from './deadline-types.js';
import type { LifecycleCopy } from './lifecycle-types.js';
import type { FilesCopy } from './files-types.js';
import type { ZaloPersonalCopy } from './zalo-personal-types.js';
import type { ZaloOaCopy } from './zalo-oa-types.js';
import type { NoticeCopy } from './notice-types.js';
import type { ReplyWindowCopy } from './reply-window-types.js';
import type { WebLoginCopy } from './web-types.js';
import type { PressCopy } from './press-types.js';
import type { AnswerCopy } from './answer-types.js';
import type { SimilarCopy } from './similar-types.js';
import type { DueArg } from './due.js';

/** What the copy needs to describe an inquiry. */
export interface InquiryView {
  code: string;
  question: string;
  orgName: string;
  topicName: string;
  reporterName: string;
  outletName: string;
  receivedAt: Date | string;
  dueAt: DueArg | null;
  status: InquiryStatus;
}

/** One line of a list (`/my`, `/pending`). */
export interface InquiryLine {
  code: string;
  status: InquiryStatus;
  orgName: string;
  question: string;
  receivedAt: Date | string;
  dueAt: DueArg | null;
  /** The answer (or decline) carries files. */
  answerHasFiles?: boolean;
}

/** Every user-facing text, as functions of typed parameters. One implementation per language. */
export interface Copy {
  locale: 'vi' | 'en';
  statusLabel(s: InquiryStatus): string;
  groundLabel(g: DeclineGround): string;
  ratingLabel(r: Rating): string;
  roleLabel(r: Role): string;
  classLabel(c: DeadlineClass): string;
  /** Reminder and escalation texts. */
  deadline: DeadlineCopy;
  /** Lost races, new deadlines, conclusion dates, classes (the inquiry lifecycle). */
  lifecycle: LifecycleCopy;
  /** Photos and documents: refusals, download links, an inquiry's record of files. */
  files: FilesCopy;
  zaloPersonal: ZaloPersonalCopy;
  /** The Zalo Official Account channel (set-up alerts). */
  zaloOa: ZaloOaCopy;
  /** Policy notices. */
  notice: NoticeCopy;
  /** Press conferences, correction requests, statements, the annual report (issue #15). */
  press: PressCopy;
  /** The official answer: preview and confirmation, signature, correction; declines. */
  answer: AnswerCopy;
  /** Similar questions: offered before a reporter sends one; likely duplicates on a screening notice. */
  similar: SimilarCopy;
  /** Channels without buttons, and linking several chats. */
  channel: ChannelCopy;
  /** Reply windows and lost channel credentials. */
  replyWindow: ReplyWindowCopy;
  /** Web sign-in by one-time code. */
  web: WebLoginCopy;

  help(roles: readonly Role[], registered: boolean): string;
  unknownCommand(command: string): string;
  /** `startLinks`: the chat can be opened from an invite link (Telegram); otherwise the code is sent as text (Zalo). */
  notRegistered(startLinks: boolean): string;
  pendingVerification: string;
  reporterRejected: string;
  notAllowed: string;
  stale(code: string, status: InquiryStatus): string;
  inquiryNotFound(code: string): string;
  /** A press on a button that no longer leads anywhere (its question is gone, or the action is unknown). */
  unknownButton: string;
  /** A second press on a choice already made (a double tap). */
  alreadyChosen: string;
  cancelled: string;
  nothingToCancel: string;
  langSet: string;
  langUsage: string;
  textTooLong(max: number): string;
  reasonTooShort(min: number): string;
  /** The message carried no text at all (a photo, a sticker). */
  textOnly: string;
  /** A question of only spaces or invisible characters. */
  emptyQuestion: string;
  /** Any other message of only spaces or invisible characters. */
  emptyMessage: string;
  genericError: string;
  useButtons: string;

  welcome: string;
  chooseLanguage: string;
  askFullName: string;
  invalidName: string;
  askOutlet: string;
  outletOther: string;
  askPressCard: string;
  invalidPressCard: string;
  registrationSubmitted: string;
  alreadyRegistered(name: string): string;
  verifyRequest(p: { name: string; outlet: string; pressCard: string; handle: string }): string;
  approve: string;
  reject: string;
  reporterApproved: string;
  reporterRejectedNotice: string;
  verifyDone(name: string, approved: boolean): string;
  verifyAlreadyDone(name: string): string;
  /** The greeting on linking an invite: the roles, the spokesperson's `agencies`, and what to do next. */
  inviteAccepted(name: string, roles: readonly Role[], agencies?: readonly string[]): string;
  /** A spokesperson or coordinator typed ordinary text: how to act instead. */
  staffTextHint(roles: readonly Role[]): string;
  inviteInvalid(startLinks: boolean): string;
  inviteUsed: string;

  askPrompt: string;
  chooseTopic(question: string): string;
  confirmQuestion(topic: string, org: string, screened: boolean): string;
  send: string;
  sendUrgentIncident: string;
  sendUrgentOpinion: string;
  cancel: string;
  inquiryAccepted(code: string, org: string, screened: boolean, dueAt: DueArg | null): string;
  askCancelled: string;

  screeningNotice(v: InquiryView, suggestedOrg: string): string;
  routeTo(org: string): string;
  chooseOther: string;
  rejectOutOfScope: string;
  merge: string;
  chooseOrg(code: string): string;
  askRejectReason(code: string): string;
  askMergeCode(code: string): string;
  /** The merge target `code` refused; `askAgain`: the merge dialog waits for another code (not when the code came with `/merge` or the page's button). */
  mergeInvalid(code: string, askAgain: boolean): string;
  rejectedToReporter(code: string, reason: string): string;
  mergedToReporter(code: string, into: string): string;
  screeningDone(code: string, what: string): string;
  routedWhat(org: string): string;
  rejectedWhat: string;
  mergedWhat(into: string): string;

  staffNotice(v: InquiryView, note?: string): string;
  btnAck: string;
  btnAnswer: string;
  btnClarify: string;
  btnTransfer: string;
  btnDecline: string;
  askAnswerText(code: string): string;
  askClarifyText(code: string): string;
  chooseTransferOrg(code: string): string;
  chooseGround(code: string): string;
  askDeclineReason(code: string, ground: string): string;
  ackToReporter(code: string, org: string): string;
  ackDone(code: string): string;
  transferToReporter(code: string, org: string): string;
  transferDone(code: string, org: string): string;
  clarifyToReporter(code: string, org: string, question: string): string;
  clarifyDone(code: string): string;
  clarifyReplyToStaff(code: string, reporter: string, text: string): string;
  forwardedToStaff(code: string): string;
  followupToStaff(code: string, reporter: string, text: string): string;
  rateButtons: { satisfied: string; acceptable: string; unsatisfied: string };
  ratingThanks(label: string): string;
  alreadyRated(label: string): string;
  followupClosed(code: string, status: InquiryStatus): string;

  classConfirmRequest(code: string, requested: string, question: string): string;
  classChanged(code: string, cls: string, dueAt: DueArg, basis: string): string;
  classDone(code: string, cls: string): string;
  btnExtend: string;
  askExtensionReason(code: string, dueAt: DueArg): string;
  /** `example`: a future `dd/MM/yyyy HH:mm` computed from the clock. */
  askExtensionDue(code: string, example: string): string;
  invalidExtensionDue(dueAt: DueArg): string;
  extensionRequest(p: { code: string; org: string; by: string; reason: string; dueAt: DueArg; proposedAt: Date | string }): string;
  extensionSubmitted(code: string): string;
  extensionApproved(code: string, dueAt: DueArg): string;
  extensionRejected(code: string): string;
  extensionToReporter(code: string, org: string, dueAt: DueArg): string;
  extensionDecided(code: string, approved: boolean): string;
  extensionAlreadyDecided: string;
  clockPaused: string;
  clockResumed(dueAt: DueArg): string;
  workingNoted(code: string): string;
  calendarMissing(year: number): string;
  withdrawUsage: string;
  stats(month: string, lines: ReadonlyArray<{ org: string; received: number; replied: number; onTime: number; overdueOpen: number }>): string;
  withdrawn(code: string): string;
  withdrawnToStaff(code: string, reporter: string): string;

  myList(lines: readonly InquiryLine[]): string;
  myEmpty: string;
  pendingList(lines: readonly InquiryLine[]): string;
  pendingEmpty: string;
  unreachableToCoordinator(p: { name: string; platform: string; reason: string; code?: string }): string;
}
