/**
 * JSON parsing that keeps every integer literal too large for a double as its decimal string.
 * Zalo ids (user ids, OA ids, message ids) exceed 2^53; `JSON.parse` would round them silently.
 */
export function parseJsonLossless(text: string): unknown {
  return JSON.parse(quoteUnsafeIntegers(text));
}

/** Rewrites integer literals outside strings that are not safe integers as JSON strings. */
export function quoteUnsafeIntegers(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      const end = endOfString(text, i);
      out += text.slice(i, end);
      i = end;
      continue;
    }
    if (ch === '-' || (ch >= '0' && ch <= '9')) {
      const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      const literal = match?.[0] ?? ch;
      const integer = match !== null && match[1] === undefined && match[2] === undefined;
      out += integer && !Number.isSafeInteger(Number(literal)) ? `"${literal}"` : literal;
      i += literal.length;
      continue;
    }
    out += ch;
    i += 1;
  }
  return out;
}

/** Index just after the closing quote of the string starting at `start` (or the end of text). */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === '"') return i + 1;
    else i += 1;
  }
  return text.length;
}
