import { truncateText } from '../../adapters/types.js';

/**
 * A list row's title: the question's first words, on one line, at most `max` UTF-16 units with the
 * "…", cut between words when a word ends in the last third, and never inside a letter with its
 * tone mark or an emoji (grapheme clusters).
 */
export function titleOf(question: string, max = 60): string {
  const flat = question.replace(/\s+/g, ' ').trim();
  const cut = truncateText(flat, max);
  if (cut === flat) return flat;
  const body = cut.slice(0, -1);
  const space = body.lastIndexOf(' ');
  return space >= Math.floor(max * 2 / 3) ? `${body.slice(0, space)}…` : cut;
}
