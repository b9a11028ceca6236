/** What the bot waits for while a coordinator composes a notice (stored as the identity's dialog JSON). */
export type NoticeDialog = (
  | { step: 'notice_title' }
  | { step: 'notice_body'; title: string }
  | { step: 'notice_link'; title: string; body: string }
  | { step: 'notice_audience'; title: string; body: string; link: string | null; /** Communes ticked so far (org ids). */ picked?: number[] }
) & {
  /** Stored files sent while composing (a decree): they go with the notice. */
  files?: number[];
};

const STEPS = new Set(['notice_title', 'notice_body', 'notice_link', 'notice_audience']);

/** The composing dialog, or undefined when the stored dialog is something else. */
export function parseNoticeDialog(json: string | null): NoticeDialog | undefined {
  if (!json) return undefined;
  try {
    const value: unknown = JSON.parse(json);
    if (value && typeof value === 'object' && STEPS.has((value as { step?: string }).step ?? '')) return value as NoticeDialog;
  } catch {
    return undefined;
  }
  return undefined;
}

/** Button action ids of notices (short: action + payload ≤ 64 bytes). */
export const NOTICE_ACTIONS = { ack: 'nak', send: 'nsd', cancel: 'ncx', audience: 'nau' } as const;

/** Longest title, in characters. */
export const MAX_TITLE_CHARS = 200;
/** Longest body, in characters (split into several messages on delivery). */
export const MAX_BODY_CHARS = 16_000;
