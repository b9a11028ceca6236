import { readFile } from 'node:fs/promises';
import { hashInviteCode } from '../../db/invite-hash.js';
import type { Db } from '../../db/client.js';
import { findInvites } from '../../db/repositories/invites.js';
import { repoPath } from '../paths.js';
import { importCsvText } from './import-csv.js';
import { IMPORT_KINDS, type ImportKind } from './types.js';

/** What one sample file did. */
export interface SampleFileSummary {
  kind: ImportKind;
  file: string;
  rows: number;
  inserted: number;
  updated: number;
}

/** What {@link loadSampleNetwork} did, file by file, in import order. */
export interface SampleSummary {
  files: SampleFileSummary[];
}

/** The sample file of each kind, in `db/sample/` (data lives with the database; the loader in src). */
export const SAMPLE_FILES: Readonly<Record<ImportKind, string>> = {
  organisations: 'organisations.csv',
  topics: 'topics.csv',
  outlets: 'outlets.csv',
  people: 'people.csv',
  contacts: 'contacts.csv',
  'deadline-overrides': 'deadline-overrides.csv',
  'office-hours': 'office-hours.csv',
};

/**
 * Loads the sample press-liaison network of Thành phố Huế (after the 2025 reorganisation)
 * through the ordinary CSV import, kind by kind, each in its own transaction. Idempotent: a
 * second load changes nothing. Throws with every error when a file is rejected.
 */
export async function loadSampleNetwork(db: Db, now: Date): Promise<SampleSummary> {
  const files: SampleFileSummary[] = [];
  for (const kind of IMPORT_KINDS) {
    const file = SAMPLE_FILES[kind];
    const text = await readFile(repoPath('db', 'sample', file), 'utf8');
    const result = await importCsvText(db, kind, text, `db/sample/${file}`, now);
    if (!result.ok) throw new Error(`the sample network did not load:\n${result.errors.join('\n')}`);
    files.push({ kind, file, rows: result.rows, inserted: result.inserted, updated: result.updated });
  }
  return { files };
}

/** Sample people a first-time user can become, with what they demonstrate. */
const TRY_AS: ReadonlyArray<{ invite: string; as: string }> = [
  { invite: 'pv-hue-01', as: 'reporter (phóng viên, Báo Huế)' },
  { invite: 'pn-syte-01', as: 'spokesperson (người phát ngôn, Sở Y tế)' },
  { invite: 'dpv-vhtt-01', as: 'coordinator (đầu mối sàng lọc)' },
];

/**
 * Deep links for trying the sample network, for the sample people whose invites are still
 * unused (empty once the real directory replaced them or they were redeemed).
 */
export async function sampleTryLinks(db: Db, linkFor: (invite: string) => string): Promise<string[]> {
  // The sample's codes are public (db/sample/people.csv); only their hashes are stored, like any invite.
  const rows = await findInvites(db, TRY_AS.map((t) => hashInviteCode(t.invite)));
  const unused = new Set(rows.filter((r) => r.invite_used_at === null).map((r) => r.invite_code));
  return TRY_AS.filter((t) => unused.has(hashInviteCode(t.invite))).map((t) => `  ${t.as}: ${linkFor(t.invite)}`);
}
