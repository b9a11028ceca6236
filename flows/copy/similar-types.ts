/** A similar inquiry as a reporter or coordinator is shown it: code, first words, state; never who asked. */
export interface SimilarLine {
  code: string;
  /** The question's first words (`titleOf`). */
  title: string;
  /** Answered already; otherwise still waiting for its answer. */
  answered: boolean;
}

/** Texts of similar questions (issue #14): offered before a reporter sends one, and as likely duplicates on a screening notice. */
export interface SimilarCopy {
  /** Under the confirmation prompt: the similar questions of the chosen topic, each with a button to follow it instead. */
  offer(lines: readonly SimilarLine[]): string;
  /** The button that follows `code` instead of sending the question. */
  btnFollow(code: string): string;
  /** Followed `code` instead: the question was not sent; what comes next (its answer, now if it has one). */
  followedInstead(code: string, answered: boolean): string;
  /** A follow instead was refused: the question was not sent and can still be (the buttons come again). */
  stillReady: string;
  /** On a screening notice: inquiries of the same topic that may be the same question. */
  duplicates(lines: readonly SimilarLine[]): string;
  /** The one-press merge into a likely duplicate. */
  btnMergeInto(code: string): string;
}
