/**
 * Cutting and judging people's text by what they see: grapheme clusters (an emoji with its ZWJ
 * sequence, a letter with its combining marks), never UTF-16 units. Re-exported by `types.ts`.
 */

import { certainGraphemeBoundaryAtOrBefore } from './grapheme-anchor.js';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Characters that show nothing on their own: white space, controls, format characters (zero-width
 * space and joiners, bidi marks and isolates, word joiner, BOM) and the rest of Unicode's
 * default-ignorable code points (variation selectors, Hangul fillers), plus the blank Braille cell.
 */
const INVISIBLE = /[\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/gu;

/** True when `text` has nothing a reader could see: empty, or only white space and invisible characters. */
export function isBlankText(text: string): boolean {
  return text.replace(INVISIBLE, '') === '';
}

/**
 * The largest index ≤ `max` (in UTF-16 units) at which `text` may be cut without splitting a
 * grapheme cluster; 0 when even the first cluster is longer than `max`. `max` ≥ `text.length`
 * gives `text.length`.
 */
export function graphemeBoundaryAtOrBefore(text: string, max: number): number {
  if (max >= text.length) return text.length;
  if (max <= 0) return 0;
  // Segmenting from a boundary known without the text before it gives the same boundaries as
  // segmenting from the start, and such a boundary is usually within a few units of `max`: this
  // keeps a cut near the end of a long answer from segmenting the whole answer.
  const start = certainGraphemeBoundaryAtOrBefore(text, max);
  if (start === max) return max;
  // A boundary at i depends only on the text before i and the code point at i (two units when a
  // surrogate pair), so segmenting two units past `max` gives the true boundaries up to `max`.
  let boundary = start;
  for (const { index } of graphemes.segment(text.slice(start, max + 2))) {
    if (start + index > max) break;
    boundary = start + index;
  }
  return boundary;
}

/**
 * Where to cut `text` to keep at most `max` UTF-16 units: the last grapheme boundary, or — when a
 * single cluster is longer than `max` (a pathological run of combining marks) — the last code point
 * boundary, so a surrogate pair is never split. 0 only when `max` < 2 and no whole code point fits.
 */
export function safeCutIndex(text: string, max: number): number {
  const boundary = graphemeBoundaryAtOrBefore(text, max);
  if (boundary > 0 || max <= 0) return boundary;
  const code = text.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}

/**
 * `text` unchanged when it has at most `max` UTF-16 units; otherwise its longest prefix of whole
 * grapheme clusters that, with `ellipsis` appended, fits in `max` (just `ellipsis` when even the
 * first cluster does not fit).
 */
export function truncateText(text: string, max: number, ellipsis = '…'): string {
  if (text.length <= max) return text;
  const room = Math.max(0, max - ellipsis.length);
  return `${text.slice(0, graphemeBoundaryAtOrBefore(text, room)).trimEnd()}${ellipsis}`;
}

/**
 * Split text into parts of at most `max` UTF-16 units (platform limits count those), preferring
 * paragraph, line, then word boundaries, so an answer never breaks mid-word when it can be helped,
 * and never inside a character as a person sees it (an emoji, a letter with its tone mark).
 */
export function splitText(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = window.lastIndexOf('\n\n');
    if (cut < max / 2) cut = window.lastIndexOf('\n');
    if (cut < max / 2) cut = window.lastIndexOf(' ');
    if (cut < max / 2) cut = safeCutIndex(rest, max) || max;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}
