import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBlankText, splitText, truncateText } from '../../adapters/types.js';
import { excerpt } from '../../flows/copy/format.js';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const graphemesOf = (text: string): string[] => [...segmenter.segment(text)].map((s) => s.segment);
const visibleGraphemes = (texts: readonly string[]): string[] => texts.flatMap(graphemesOf).filter((g) => g.trim() !== '');

/** Characters people really send, each one grapheme of 1 to 11 UTF-16 units. */
const grapheme = fc.constantFrom(
  'a', 'Đ', 'ư', 'ệ', // precomposed Vietnamese
  'e\u0302\u0301', 'u\u031B\u0323', 'o\u0306\u0303', 'A\u0300', // decomposed: base + combining marks (ế, ự, ỗ-like, À)
  '😀', '👍🏽', '🇻🇳', '❤️', // surrogate pairs, a skin tone, a flag, a variation selector
  '👨‍👩‍👧‍👦', '🧑🏻‍💻', '🏳️‍🌈', // ZWJ sequences
);
const word = fc.array(grapheme, { minLength: 1, maxLength: 12 }).map((g) => g.join(''));
const text = fc.array(fc.tuple(word, fc.constantFrom(' ', '\n', '\n\n', '')), { minLength: 1, maxLength: 60 })
  .map((pairs) => pairs.map(([w, sep]) => w + sep).join(''));

describe('splitText cuts between graphemes', () => {
  it('keeps every grapheme whole and every part within the limit (property)', () => {
    fc.assert(fc.property(text, fc.integer({ min: 12, max: 80 }), (t, max) => {
      const parts = splitText(t, max);
      for (const part of parts) expect(part.length).toBeLessThanOrEqual(max);
      expect(visibleGraphemes(parts)).toEqual(visibleGraphemes([t]));
    }), { numRuns: 500 });
  });

  it('never splits an emoji across two messages, even without a space to cut at', () => {
    const parts = splitText('😀'.repeat(10), 5);
    expect(parts).toEqual(['😀😀', '😀😀', '😀😀', '😀😀', '😀😀']);
    const family = '👨‍👩‍👧‍👦';
    expect(splitText(`ab${family}${family}`, 12).flatMap(graphemesOf)).toEqual(['a', 'b', family, family]);
  });

  it('falls back to a code point boundary for one grapheme longer than the limit', () => {
    const zalgo = `e${'\u0301'.repeat(30)}`;
    const parts = splitText(zalgo, 8);
    expect(parts.join('')).toBe(zalgo);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(8);
  });
});

describe('excerpt and truncateText cut between graphemes', () => {
  it('the topic menu quotes a question cut before the emoji, not through it (#10 fault 8)', () => {
    const question = `${'x'.repeat(198)}😀 rest of the question`;
    const quoted = excerpt(question, 200);
    expect(quoted).toBe(`${'x'.repeat(198)}…`);
    expect(quoted).not.toMatch(/[\uD800-\uDFFF]/);
  });

  it('returns whole graphemes plus "…" within the limit (property)', () => {
    fc.assert(fc.property(text, fc.integer({ min: 2, max: 120 }), (t, max) => {
      const out = truncateText(t, max);
      expect(out.length).toBeLessThanOrEqual(Math.max(max, 1));
      if (t.length <= max) {
        expect(out).toBe(t);
        return;
      }
      const kept = out.slice(0, -1);
      expect(t.startsWith(kept)).toBe(true);
      expect(graphemesOf(kept)).toEqual(graphemesOf(t).slice(0, graphemesOf(kept).length));
    }), { numRuns: 500 });
  });

  it('leaves Vietnamese with combining tone marks whole', () => {
    const decomposed = 'Nguye\u0302\u0303n Thi\u0323 Minh Thu\u031B';
    for (let max = 2; max < decomposed.length; max += 1) {
      const kept = excerpt(decomposed, max).replace(/…$/, '');
      expect(graphemesOf(kept).every((g) => graphemesOf(decomposed).includes(g))).toBe(true);
    }
  });
});

describe('isBlankText', () => {
  it.each([
    ['empty', ''], ['spaces', '   '], ['tabs and new lines', '\t\n \r\n'], ['no-break space', '\u00A0\u202F'],
    ['zero-width space', '\u200B'], ['ZWJ and ZWNJ', '\u200D\u200C'], ['BOM', '\uFEFF'], ['word joiner', '\u2060'],
    ['bidi marks', '\u200E\u200F\u061C'], ['bidi embeddings and isolates', '\u202A\u202B\u202E\u2066\u2069'],
    ['variation selector', '\uFE0F'], ['Hangul filler', '\u3164'], ['Braille blank', '\u2800'], ['soft hyphen', '\u00AD'],
    ['a mix', ' \u200B\u2060 \uFEFF\u200D '],
  ])('counts %s as blank', (_name, t) => {
    expect(isBlankText(t)).toBe(true);
  });

  it.each([['a letter', ' a '], ['an emoji', '\u200B😀'], ['a tone-marked letter', 'ệ'], ['a dot', '.'], ['a ZWJ emoji', '👨‍👩‍👧']])('counts %s as text', (_name, t) => {
    expect(isBlankText(t)).toBe(false);
  });
});
