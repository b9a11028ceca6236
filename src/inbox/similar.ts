import { searchText } from '../../db/repositories/search-text.js';

/** Syllables too common to tell two questions apart (Vietnamese function words, normalised). */
const COMMON = new Set(['cho', 'cua', 'la', 'va', 'co', 'khong', 'the', 'nao', 'nhu', 'gi', 'duoc', 'nay', 'o', 'tai', 've', 'voi', 'cac', 'nhung', 'mot', 'da', 'se', 'bao', 'gio', 'hoi', 'xin', 'a', 'the', 'of', 'and', 'is', 'what', 'how', 'when']);

function syllables(text: string): Set<string> {
  return new Set(searchText(text).split(' ').filter((w) => w.length > 1 && !COMMON.has(w)));
}

/**
 * How alike two questions are, 0…1: the share of distinct meaningful syllables they have in common
 * (Jaccard over syllables without diacritics, function words left out).
 */
export function similarity(a: string, b: string): number {
  const x = syllables(a);
  const y = syllables(b);
  if (x.size === 0 || y.size === 0) return 0;
  let both = 0;
  for (const w of x) if (y.has(w)) both += 1;
  return both / (x.size + y.size - both);
}

/** The `limit` candidates most like `text`, at least `threshold` alike, most alike first. */
export function mostSimilar<T extends { question: string }>(text: string, candidates: readonly T[], limit = 3, threshold = 0.3): Array<T & { score: number }> {
  return candidates.map((c) => ({ ...c, score: similarity(text, c.question) }))
    .filter((c) => c.score >= threshold).sort((a, b) => b.score - a.score).slice(0, limit);
}
