import type { Db } from '../../db/client.js';
import { similarCandidates, type SimilarCandidate } from '../../db/repositories/inbox.js';
import { searchText } from '../../db/repositories/search-text.js';
import { OPEN } from '../lifecycle/table.js';
import type { Actor } from '../context.js';
import { coordinates } from '../roles.js';
import { titleOf } from './title.js';

/** Syllables too common to tell two questions apart (Vietnamese function words, normalised). */
const COMMON = new Set(['cho', 'cua', 'la', 'va', 'co', 'khong', 'the', 'nao', 'nhu', 'gi', 'duoc', 'nay', 'o', 'tai', 've', 'voi', 'cac', 'nhung', 'mot', 'da', 'se', 'bao', 'gio', 'hoi', 'xin', 'a', 'the', 'of', 'and', 'is', 'what', 'how', 'when']);

/** Syllables of texts already scored: each lookup scores the topic's newest 200 questions, the same ones again and again. */
const syllableCache = new Map<string, Set<string>>();
/** Past this many texts the cache starts afresh (a bound on memory, not a working limit). */
const SYLLABLE_CACHE_MAX = 5000;

function syllables(text: string): Set<string> {
  const cached = syllableCache.get(text);
  if (cached) return cached;
  const words = new Set(searchText(text).split(' ').filter((w) => w.length > 1 && !COMMON.has(w)));
  if (syllableCache.size >= SYLLABLE_CACHE_MAX) syllableCache.clear();
  syllableCache.set(text, words);
  return words;
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

/** A similar inquiry as the flows name it (a reporter or a coordinator): never who asked it. */
export interface SimilarRef {
  id: number;
  code: string;
  /** The question's first words. */
  title: string;
  /** Answered already (else open: waiting for its answer). */
  answered: boolean;
  /** Its agency (routed, else suggested; null: none): a coordinator is shown it only in their scope ({@link duplicatesFor}). Absent in a dialog kept from before it was recorded. */
  orgId?: number | null;
}

/** How many similar inquiries a message names at most. */
export const SIMILAR_SHOWN = 3;
/** Candidates scored per lookup: the newest of the topic. */
const CANDIDATES = 200;

/**
 * In one statement, the open or answered inquiries of topic `topicId` like `question`, most alike
 * first (withdrawn, declined, rejected or merged ones never): `offer`, those the reporter
 * `personId` may follow instead of asking (another reporter's, not followed yet); `duplicates`,
 * any of them (their own included), for the coordinator who screens the question. At most
 * {@link SIMILAR_SHOWN} each.
 */
export async function lookupSimilar(db: Db, personId: number, question: string, topicId: number, exceptId?: number): Promise<{ offer: SimilarRef[]; duplicates: SimilarRef[] }> {
  const candidates = await similarCandidates(db, personId, { statuses: [...OPEN, 'answered'], topicId, ...(exceptId === undefined ? {} : { exceptId }) }, CANDIDATES);
  const best = mostSimilar(question, candidates, candidates.length);
  const ref = (c: SimilarCandidate): SimilarRef => ({ id: c.id, code: c.code, title: titleOf(c.question), answered: c.status === 'answered', orgId: c.orgId });
  return {
    offer: best.filter((c) => !c.mine && !c.following).slice(0, SIMILAR_SHOWN).map(ref),
    duplicates: best.slice(0, SIMILAR_SHOWN).map(ref),
  };
}

/**
 * The likely duplicates coordinator `coordinator` may be shown: those whose agency is in their
 * scope (`coordinates`, as every screening action checks), so a duplicate routed to an agency they
 * do not coordinate never shows its code or first words to them. The one rule for the screening
 * notice (per recipient) and the web thread's list.
 */
export async function duplicatesFor<T extends { orgId?: number | null }>(db: Db, coordinator: Pick<Actor, 'roles'>, duplicates: readonly T[]): Promise<T[]> {
  const shown: T[] = [];
  for (const d of duplicates) if (await coordinates(db, coordinator, d.orgId ?? null)) shown.push(d);
  return shown;
}
