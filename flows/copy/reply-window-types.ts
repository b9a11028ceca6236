/** One answer waiting for a reporter whose platform's reply window is closed. */
export interface HeldLine {
  /** The recipient's name. */
  name: string;
  /** Inquiry code, when the message belongs to one. */
  code?: string;
  /** When the message was written (UTC instant). */
  createdAt: Date | string;
  /** Why it waits: the recipient's reply window closed, or the channel's own credentials were refused. */
  reason: 'reply_window' | 'credentials';
  /** The channel it waits for. */
  platform: string;
}

/** Texts about channel limits (reply windows, lost credentials); merged into the main copy as `replyWindow`. */
export interface ReplyWindowCopy {
  /** To admins: a channel lost its credentials and stopped sending until new ones are installed. */
  authAlert(platform: string): string;
  /** To a reporter at submission, on a channel that may reply only `hours` after their last message. */
  windowNotice(hours: number): string;
  /** `/held` for coordinators: messages waiting for their recipient to write again. */
  heldList(lines: readonly HeldLine[]): string;
  heldEmpty: string;
}
