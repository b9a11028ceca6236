import type { Platform } from '../../adapters/types.js';

/** Texts for channels without buttons and for linking several chats to one person. */
export interface ChannelCopy {
  /** A platform's name as people say it. */
  platformName(p: Platform): string;
  /** The line under numbered choices: "Trả lời 1, 2 hoặc 3 …" for `count` choices. */
  choiceHint(count: number): string;
  /** A number that matches no choice of the last menu. */
  choiceOutOfRange(count: number): string;
  /** A text command that needs an inquiry code (`/answer Q-42`). */
  commandNeedsCode(command: string): string;
  /** No inquiry has that code. */
  inquiryCodeUnknown(code: string): string;
  /** `/link`: the one-time code and how to use it, valid `minutes`. */
  linkCode(code: string, minutes: number): string;
  /** `/link` from a chat not linked to anyone. */
  linkNeedsPerson: string;
  /** The code is unknown, used or expired. */
  linkInvalid(state: 'used' | 'expired' | 'unknown'): string;
  /** This chat belongs to someone else already. */
  linkOtherPerson: string;
  /** This chat was already one of the person's chats. */
  linkAlreadyYours: string;
  /** Told in both chats once linked; `preferred` is where notifications go. */
  linkDone(newChat: Platform, preferred: Platform): string;
  /** `/prefer`: notifications will come to this chat. */
  preferSet(p: Platform): string;
  /** `/prefer` from a chat not linked to anyone. */
  preferNeedsPerson: string;
  /** Too many wrong invite or link codes from this chat (or person) lately; try again in `minutes`. */
  tooManyCodes(minutes: number): string;
}
