/** Texts about the Zalo Official Account channel (owned separately from the main copy; merged into it). */
export interface ZaloOaCopy {
  /**
   * To admins: Zalo refuses the OA's sends because of how the OA or its app is set up. `code` is
   * Zalo's error code (e.g. -224), `detail` Zalo's own message text.
   */
  setupAlert(code: number, detail: string): string;
}
