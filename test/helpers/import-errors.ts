/**
 * Import errors read `file:line: lý do / reason` (Vietnamese, then English). These split a line
 * into its halves, so tests can compare either; a line without both halves throws.
 */
function halves(error: string): { prefix: string; vi: string; en: string } {
  const colon = error.indexOf(': ');
  const rest = error.slice(colon + 2);
  const slash = rest.indexOf(' / ');
  if (colon < 0 || slash <= 0 || slash + 3 >= rest.length) throw new Error(`not a bilingual import error: ${error}`);
  return { prefix: error.slice(0, colon + 2), vi: rest.slice(0, slash), en: rest.slice(slash + 3) };
}

/** Each error as `file:line: reason` in English only. */
export function englishOf(errors: readonly string[]): string[] {
  return errors.map((e) => { const h = halves(e); return h.prefix + h.en; });
}

/** Each error as `file:line: lý do` in Vietnamese only. */
export function vietnameseOf(errors: readonly string[]): string[] {
  return errors.map((e) => { const h = halves(e); return h.prefix + h.vi; });
}

/** The result with its errors (if any) in English only. */
export function inEnglish<T extends { ok: boolean }>(result: T): T {
  return 'errors' in result && Array.isArray(result.errors) ? { ...result, errors: englishOf(result.errors as string[]) } : result;
}
