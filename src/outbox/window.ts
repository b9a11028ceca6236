/** `UnreachableError.reason` an adapter uses when the platform's reply window is closed (Zalo OA -230/-232). */
export const REPLY_WINDOW_CLOSED_REASON = 'outside_window';
