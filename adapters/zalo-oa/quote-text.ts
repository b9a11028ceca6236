import type { Logger } from 'pino';

/** Longest excerpt of the question put in front of an answer that cannot quote it natively, in characters. */
export const QUOTED_TEXT_MAX_CHARS = 200;

/** What {@link withQuotedText} needs. */
export interface QuotedTextDeps {
  quotedText?(chatId: string, messageId: string): Promise<string | undefined>;
  logger: Logger;
}

/**
 * `text` with the user's message `replyTo` quoted in front (`«excerpt»`, a blank line, then the
 * text), for a send that cannot carry a native quote. The excerpt is cut on grapheme boundaries and
 * shortened so the whole stays within `maxLength`; when the question is unknown, or no room is
 * left, the text goes as it is (the answer names its inquiry code anyway).
 */
export async function withQuotedText(deps: QuotedTextDeps, chatId: string, replyTo: string, text: string, maxLength = 2000): Promise<string> {
  let question: string | undefined;
  try {
    question = await deps.quotedText?.(chatId, replyTo);
  } catch (err) {
    deps.logger.warn({ error: err instanceof Error ? err.message : String(err) }, 'zalo-oa: looking up the quoted question failed; sending without it');
  }
  const flat = question?.replace(/\s+/g, ' ').trim();
  if (!flat) return text;
  const room = Math.min(QUOTED_TEXT_MAX_CHARS, maxLength - text.length - 4);
  const excerpt = cutGraphemes(flat, room);
  return excerpt ? `«${excerpt}»\n\n${text}` : text;
}

/** At most `max` UTF-16 units of `text`, cut between graphemes, with `…` when cut; '' when max < 2. */
export function cutGraphemes(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 2) return '';
  let out = '';
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
    if (out.length + segment.length > max - 1) break;
    out += segment;
  }
  return `${out.trimEnd()}…`;
}
