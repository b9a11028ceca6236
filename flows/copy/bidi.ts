/**
 * Bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069). In a name
 * or a question they make text display in another order than it was written ("‮gpj.exe" shows as
 * "exe.jpg"), so a sender could make their words look like the bot's or someone else's.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** `text` without bidi embedding, override and isolate controls; every other character is kept. */
export function neutraliseBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}
