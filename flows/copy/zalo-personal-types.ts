/** Texts about the personal Zalo account channel (owned separately from the main copy; merged into it). */
export interface ZaloPersonalCopy {
  /**
   * To admins: the personal Zalo account is logged out and needs a new QR scan. `reason` is a short
   * code: `session_expired`, `login_refused`, `no_credentials`.
   */
  needsLogin(reason: string): string;
}
