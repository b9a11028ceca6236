import type { Db } from '../../db/client.js';
import { hashInviteCode } from '../../db/invite-hash.js';
import { inviteHashTaken, issueInviteHash } from '../../db/repositories/directory-write.js';
import { listInvitedPersons, listInvitedPersonsRoles } from '../../db/repositories/invites.js';
import type { Role } from '../../db/schema.js';
import { toCsv } from './csv-write.js';
import { createInviteCode } from './invite-codes.js';

/** Options for {@link exportInvites}. */
export interface ExportInvitesOptions {
  /** The bot's Telegram username (with or without `@`); fills `telegram_link`. Default: links left empty. */
  botUsername?: string;
  /** Only persons holding at least one of these roles (revoked and rejected ones excluded). Default: everyone in the directory. */
  roles?: Role[];
  /** Start with a UTF-8 byte-order mark so Excel shows Vietnamese diacritics. Default false. */
  bom?: boolean;
  /** Also replace every unused invite of the selection with a new code (the old ones stop working). Default false. */
  reissue?: boolean;
  /** The instant written as `updated_at` of persons given a code. Default now. */
  now?: Date;
}

/** The sheet, and what it could not show. */
export interface InvitesExport {
  csv: string;
  /** Codes issued by this export (shown in the sheet, and never again). */
  issued: number;
  /** Unused invites issued earlier: only their hash is stored, so their rows have no code (`--reissue` replaces them). */
  hidden: number;
}

/** Columns of the invites CSV. */
export const INVITES_CSV_HEADER = ['person_code', 'full_name', 'roles', 'invite_code', 'telegram_link', 'start_command', 'used_at'] as const;

/**
 * The invites sheet for distributing deep links: one row per directory person (or person with an
 * invite), in person-code order, as CSV text. Codes are stored only as hashes, so a code can be
 * shown only when it is made: this export issues one to each selected person who has none yet (and
 * with `reissue`, to each whose invite is unused), and leaves `invite_code` empty for unused invites
 * issued earlier. `roles` lists each live assignment as `role[:kind][@org]` joined with `;`;
 * `used_at` is when the invite was redeemed.
 */
export async function exportInvites(db: Db, options: ExportInvitesOptions = {}): Promise<InvitesExport> {
  const persons = await listInvitedPersons(db);
  // Sorted here: SQLite and PostgreSQL order NULL codes (self-registered persons) differently.
  const sortKey = (p: { code: string | null; id: number }): string => `${p.code === null ? 1 : 0}${p.code ?? ''}\u0000${String(p.id).padStart(12, '0')}`;
  persons.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
  const roles = await listInvitedPersonsRoles(db);
  const rolesByPerson = new Map<number, Array<{ role: Role; label: string }>>();
  for (const r of roles) {
    const label = `${r.role}${r.kind ? `:${r.kind}` : ''}${r.org_code ? `@${r.org_code}` : ''}`;
    rolesByPerson.set(r.person_id, [...(rolesByPerson.get(r.person_id) ?? []), { role: r.role, label }]);
  }
  const bot = options.botUsername?.replace(/^@/, '').trim() ?? '';
  const wanted = options.roles;
  const nowIso = (options.now ?? new Date()).toISOString();
  let issued = 0;
  let hidden = 0;
  const rows: string[][] = [];
  for (const p of persons.filter((x) => !wanted || (rolesByPerson.get(x.id) ?? []).some((r) => wanted.includes(r.role)))) {
    let code = '';
    if (p.invite_used_at === null && (p.invite_code === null || options.reissue)) {
      code = await newInvite(db, p.id, nowIso);
      if (code) issued += 1;
    } else if (p.invite_used_at === null) {
      hidden += 1;
    }
    const labels = (rolesByPerson.get(p.id) ?? []).map((r) => r.label).sort();
    rows.push([p.code ?? '', p.full_name, labels.join(';'), code,
      bot && code ? `https://t.me/${bot}?start=${encodeURIComponent(code)}` : '', code ? `/start ${code}` : '', p.invite_used_at ?? '']);
  }
  return { csv: (options.bom ? '\uFEFF' : '') + toCsv([[...INVITES_CSV_HEADER], ...rows]), issued, hidden };
}

/** A fresh code stored (as its hash) for the person; empty when their invite was used meanwhile. */
async function newInvite(db: Db, personId: number, nowIso: string): Promise<string> {
  let code = createInviteCode();
  while (await inviteHashTaken(db, hashInviteCode(code))) code = createInviteCode();
  return (await issueInviteHash(db, personId, hashInviteCode(code), nowIso)) ? code : '';
}
