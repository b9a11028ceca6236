import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCertainGraphemeBoundary } from '../../adapters/grapheme-anchor.js';
import { graphemeBoundaryAtOrBefore } from '../../adapters/types.js';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const breaksAt = (text: string, index: number): boolean => segmenter.segment(text).containing(index)?.index === index;

/** Every cut of `text`, from before its start to past its end, as segmenting the whole text gives it. */
function expectSameCuts(text: string): void {
  const boundaries = [...segmenter.segment(text)].map((s) => s.index);
  const full = (max: number): number => (max >= text.length ? text.length : boundaries.findLast((b) => b <= max) ?? 0);
  const cuts = (cut: (max: number) => number): number[] => Array.from({ length: text.length + 4 }, (_, i) => cut(i - 1));
  expect(cuts((max) => graphemeBoundaryAtOrBefore(text, max))).toEqual(cuts(full));
}

const vietnamese = 'Người dân hỏi về thủ tục đăng ký hộ khẩu, được không ạ? Xin cảm ơn Sở Tư pháp.';
const family = '👨‍👩‍👧‍👦';
/** Pieces of text that join across more than one unit, or join with what comes before them. */
const PIECES = [
  'a', 'Z', ' ', '.', '1', 'Đ', 'ư', 'ệ', 'ế', '\u0301', '\u0302', '\u0323', '\u031B', // Latin, Vietnamese marks
  '😀', '👍', '🏽', '❤', '\uFE0F', '\u200D', '\u200C', '🏳', '🌈', '🧑', '💻', // emoji and their joiners
  '🇻', '🇳', '🇺', '🇸', // regional indicators: flags pair up by parity
  'क', 'ष', '\u094D', '\u093F', 'ি', 'ক', '\u09CD', // Indic consonants, virama, vowel signs (GB9c)
  '\u1100', '\u1161', '\u11A8', '가', '각', // Hangul L, V, T, LV, LVT
  '\r', '\n', '\t', '\u0600', '\u0D4E', 'น', '\u0E33', '\u0E49', // CR LF, controls, Prepend, Thai sara am
  '\u200B', '\u2060', '\uFEFF', '\u00AD', '\u2028', // invisible controls
  '\uD83D', '\uDE00', // lone surrogates
];

describe('graphemeBoundaryAtOrBefore cuts where the full segmentation does', () => {
  it.each([
    ['Vietnamese, precomposed', vietnamese],
    ['Vietnamese, decomposed', vietnamese.normalize('NFD')],
    ['Vietnamese with stacked marks', 'Nguye\u0302\u0303n Thi\u0323\u0302\u0301 u\u031B\u0323\u0300'],
    ['emoji ZWJ sequences and skin tones', `${family}${family} 🧑🏻‍💻🏳️‍🌈👍🏽❤️`],
    ['an ExtPict, a run of marks, then ZWJ and an ExtPict (GB11 across the run)', `x😀${'\u0301'.repeat(300)}\u200D😀y`],
    ['flags, with odd runs of regional indicators', `🇻🇳🇺🇸 a${'🇻'.repeat(7)}b${'🇳'.repeat(8)}`],
    ['a run of combining marks longer than any window', `e${'\u0301'.repeat(500)}x${'\u0323'.repeat(257)}`],
    ['Indic conjuncts, one across a run of marks (GB9c)', `क्ष क\u200Dष क${'\u094D'.repeat(120)}ष ক্ষ`],
    ['only invisible characters', '\u200B\u200D\u200C\uFE0F\u2060\uFEFF\u00AD'.repeat(40)],
    ['only joiners', '\u200D'.repeat(300)],
    ['CR, LF and controls', 'a\r\nb\r\r\n\n\tc\r\u0301\n\u0301'],
    ['Hangul jamo and syllables', '\u1100\u1161\u11A8가각\u11A8\u1100\u1100\u1161 한국어'],
    ['Thai sara am and Arabic number signs', 'น้ำ ท\u0E33 \u0600١٢ \u0600\u0600a'],
    ['lone surrogates', 'a\uD83Db\uDE00c\uD83D'],
    ['an empty text', ''],
  ])('%s', (_name, text) => {
    expectSameCuts(text);
  });

  it('agrees on random strings of joining pieces (property)', () => {
    const text = fc.array(fc.constantFrom(...PIECES), { minLength: 0, maxLength: 80 }).map((p) => p.join(''));
    fc.assert(fc.property(text, (t) => expectSameCuts(t)), { numRuns: 1500 });
  });

  it('agrees on long runs of one piece after random text (property)', () => {
    const piece = fc.constantFrom(...PIECES);
    const text = fc.tuple(fc.array(piece, { maxLength: 20 }), piece, fc.integer({ min: 50, max: 300 }), fc.array(piece, { maxLength: 20 }))
      .map(([before, run, times, after]) => before.join('') + run.repeat(times) + after.join(''));
    fc.assert(fc.property(text, (t) => expectSameCuts(t)), { numRuns: 200 });
  });
});

describe('isCertainGraphemeBoundary holds for every BMP unit on the running ICU', () => {
  const units = Array.from({ length: 0x10000 }, (_, unit) => String.fromCharCode(unit)).filter((_, unit) => unit < 0xd800 || unit > 0xdfff);
  /** Neighbours that join, or that UAX #29 joins to, by each rule that could defeat an anchor. */
  const neighbours = ['a', '\u0301', '\u200D', '😀\u200D', 'क\u094D', '🇻', '\u0600', '\u1100', '\u1161', '\u11A8', '가', '각', '\r', '\n', '\u0E33'];

  it('claims a boundary only where the segmenter has one, beside every kind of neighbour', () => {
    const wrong: string[] = [];
    let claimed = 0;
    for (const unit of units) {
      for (const other of [...neighbours, unit]) {
        for (const [text, index] of [[other + unit, other.length], [unit + other, 1]] as const) {
          if (!isCertainGraphemeBoundary(text, index)) continue;
          claimed += 1;
          if (!breaksAt(text, index)) wrong.push(JSON.stringify(text));
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(claimed).toBeGreaterThan(30_000);
  });

  it('a unit it pairs as plain neither joins a mark, Prepend or Hangul jamo, nor is joined by one', () => {
    const plain = units.filter((unit) => isCertainGraphemeBoundary(`a${unit}`, 1) && !isCertainGraphemeBoundary(`${unit}\u0301`, 1));
    const joining = plain.filter((unit) => ['a', '\u1100', '\u1161', '\u11A8', '가', '각'].some((other) =>
      !breaksAt(other + unit, other.length) || !breaksAt(unit + other, 1)));
    expect(joining).toEqual([]);
    expect(plain.length).toBeGreaterThan(30_000);
  });
});
