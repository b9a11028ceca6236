/** Texts of web sign-in by one-time code (owned separately from the main copy; merged into it). */
export interface WebLoginCopy {
  /**
   * The answer to `/web`: a one-time sign-in link (when the bot knows its public address) and the
   * code to type on the page, valid `minutes`.
   */
  loginCode(link: string | undefined, code: string, minutes: number): string;
}
