/**
 * Grapheme boundaries that can be known from the two UTF-16 units around them, whatever text comes
 * before: the places `graphemeBoundaryAtOrBefore` may start segmenting from instead of the text's
 * start. Only BMP units are judged; a surrogate is never an anchor.
 *
 * Why two units suffice (UAX #29): the only rules that look further back than one code point are
 * GB9c (Indic conjuncts), GB11 (emoji ZWJ sequences) and GB12/13 (flag pairs), and each needs the
 * unit just before the boundary to be a combining mark, a joiner or a regional indicator. So a
 * boundary is certain between two "plain" units (neither a mark, joiner, Prepend, Hangul jamo nor
 * regional indicator), and on either side of a control (GB4, GB5), except inside CR LF (GB3).
 * `test/unit/text-grapheme-anchor.test.ts` checks every BMP unit of both classes against the
 * running ICU.
 */

const PLAIN = 1;
const CONTROL = 2;

/** Letters, digits, punctuation and spaces... */
const PLAIN_CHAR = /^[\p{L}\p{N}\p{P}\p{Zs}]$/u;
// ...except the letters UAX #29 still joins to a neighbour: Hangul jamo and syllables (GB6–8), the
// Malayalam dot reph (Prepend), Thai and Lao sara am (SpacingMark), halfwidth katakana sound marks (Extend).
const JOINING_LETTER = /^[\p{sc=Hangul}\u0D4E\u0E33\u0EB3\uFF9E\uFF9F]$/u;
/** Grapheme_Cluster_Break Control, CR and LF: controls, format characters, line and paragraph separators... */
const CONTROL_CHAR = /^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]$/u;
// ...except the format characters that join: ZWNJ (Extend), ZWJ, and the prepended concatenation marks.
const JOINING_FORMAT = /^(?:\u200D|[\u200C\u0600-\u0605\u06DD\u070F\u0890\u0891\u08E2])$/u;

let kinds: Uint8Array | undefined;

/** PLAIN, CONTROL or 0 for every BMP code unit; built on first use (about 20 ms, once a process). */
function unitKinds(): Uint8Array {
  if (kinds) return kinds;
  const built = new Uint8Array(0x10000);
  for (let unit = 0; unit < 0x10000; unit += 1) {
    if (unit >= 0xd800 && unit <= 0xdfff) continue;
    const char = String.fromCharCode(unit);
    if (PLAIN_CHAR.test(char) && !JOINING_LETTER.test(char)) built[unit] = PLAIN;
    else if (CONTROL_CHAR.test(char) && !JOINING_FORMAT.test(char)) built[unit] = CONTROL;
  }
  kinds = built;
  return built;
}

/** The rule of `isCertainGraphemeBoundary` for the units just before and at the boundary. */
function certainBetween(table: Uint8Array, before: number, at: number): boolean {
  if (table[before] === CONTROL || table[at] === CONTROL) return !(before === 0x0d && at === 0x0a);
  return table[before] === PLAIN && table[at] === PLAIN;
}

/**
 * True when a grapheme cluster certainly starts at `index` (0 < `index` < `text.length`, in UTF-16
 * units) whatever precedes `index - 1`; false means "not known from here", not "no boundary".
 */
export function isCertainGraphemeBoundary(text: string, index: number): boolean {
  return certainBetween(unitKinds(), text.charCodeAt(index - 1), text.charCodeAt(index));
}

/**
 * The largest index in [0, `max`] that is certainly a grapheme boundary of `text` (0, the text's
 * start, when none is known), for 0 < `max` < `text.length`.
 */
export function certainGraphemeBoundaryAtOrBefore(text: string, max: number): number {
  const table = unitKinds();
  let at = text.charCodeAt(max);
  for (let index = max; index > 0; index -= 1) {
    const before = text.charCodeAt(index - 1);
    if (certainBetween(table, before, at)) return index;
    at = before;
  }
  return 0;
}
