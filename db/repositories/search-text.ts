/**
 * The form of a text that search compares: lower case, without Vietnamese tone and vowel marks
 * (đ → d), punctuation as spaces, spaces collapsed. Computed here in TypeScript and stored in a
 * column, so both SQLite and PostgreSQL search it with a plain LIKE (no `unaccent` extension to
 * install, nothing that depends on the database's collation). "Tiêm vắc-xin" → "tiem vac xin".
 */
export function searchText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').replace(/[đĐ]/g, 'd').toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** The words of a search, each as it must appear in the normalised text (at most 8, 64 characters each). */
export function searchWords(query: string): string[] {
  return [...new Set(searchText(query).split(' ').filter((w) => w.length > 0))].slice(0, 8).map((w) => w.slice(0, 64));
}
