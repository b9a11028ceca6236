import type { Db } from '../../db/client.js';
import { listInvitedPersons, listInvitedPersonsRoles } from '../../db/repositories/invites.js';
import type { Role } from '../../db/schema.js';
import { toCsv } from './csv-write.js';

/** Options for {@link exportInvites}. */
export interface ExportInvitesOptions {
  /** The bot's Telegram username (with or without `@`); fills `telegram_link`. Default: links left empty. */
  botUsername?: string;
  /** Only persons holding at least one of these roles (revoked and rejected ones excluded). Default: everyone invited. */
  roles?: Role[];
  /** Start with a UTF-8 byte-order mark so Excel shows Vietnamese diacritics. Default false. */
  bom?: boolean;
}

/** Columns of the invites CSV. */
export const INVITES_CSV_HEADER = ['person_code', 'full_name', 'roles', 'invite_code', 'telegram_link', 'start_command', 'used_at'] as const;

/**
 * The invites sheet for distributing deep links: one row per person with an invite code, in
 * person-code order, as CSV text. `roles` lists each live assignment as `role[:kind][@org]`
 * joined with `;` (e.g. `spokesperson:regular@SYT`); `used_at` is when the code was redeemed.
 */
export async function exportInvites(db: Db, options: ExportInvitesOptions = {}): Promise<string> {
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
  const rows = persons
    .filter((p) => !wanted || (rolesByPerson.get(p.id) ?? []).some((r) => wanted.includes(r.role)))
    .map((p) => {
      const code = p.invite_code ?? '';
      const labels = (rolesByPerson.get(p.id) ?? []).map((r) => r.label).sort();
      return [p.code ?? '', p.full_name, labels.join(';'), code,
        bot ? `https://t.me/${bot}?start=${encodeURIComponent(code)}` : '', `/start ${code}`, p.invite_used_at ?? ''];
    });
  return (options.bom ? '\uFEFF' : '') + toCsv([[...INVITES_CSV_HEADER], ...rows]);
}
