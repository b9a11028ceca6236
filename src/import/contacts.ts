import type { Db } from '../../db/client.js';
import { loadOrgs } from '../../db/repositories/directory-write.js';
import type { CsvTableSpec } from './csv-read.js';
import { CONTACT_ORG_TYPES } from './people.js';
import { checkInviteCodes, loadPeopleSnapshot, writePeople, type PersonDraft, type RoleDraft } from './persons-plan.js';
import { reportDuplicates } from './plan-helpers.js';
import { createRowReader } from './row-reader.js';
import type { CsvRow, ImportCounts, RowErrors } from './types.js';

/** `contacts.csv` columns: one commune-level focal point per row. */
export const CONTACTS_CSV: CsvTableSpec = {
  columns: ['code', 'full_name', 'org_code', 'tags', 'phone', 'invite_code', 'locale'],
  required: ['code', 'full_name', 'org_code'],
};

interface ContactRow {
  line: number;
  code: string | null;
  fullName: string;
  orgCode: string | null;
  tags: string[];
  phone: string | null;
  inviteCode: string | null;
  locale: string | null;
}

const TAG_RE = /^[\p{L}\p{N}_-]{1,40}$/u;

function readContactRow(row: CsvRow, errs: RowErrors): ContactRow {
  const r = createRowReader(row, errs);
  const tags = [...new Set((r.text('tags') ?? '').split(';').map((t) => t.trim()).filter((t) => t !== ''))];
  const badTag = tags.find((t) => !TAG_RE.test(t));
  if (badTag !== undefined) r.fail((c) => c.invalidTag(badTag));
  return {
    line: row.line,
    code: r.code('code', true),
    fullName: r.required('full_name'),
    orgCode: r.code('org_code', true),
    tags,
    phone: r.phone('phone'),
    inviteCode: r.invite('invite_code'),
    locale: r.locale('locale'),
  };
}

/**
 * Validates contact rows (commune-level organisation, unique codes and invite codes), then
 * upserts each contact as a person (tags as a JSON array) with an active `contact` role.
 */
export async function importContacts(db: Db, rows: readonly CsvRow[], errs: RowErrors, nowIso: string): Promise<ImportCounts | null> {
  const inputs = rows.map((row) => readContactRow(row, errs));
  reportDuplicates(inputs, (c) => c.code, (row, first) => (say) => say.codeRepeated(row.code ?? '', first), errs);
  const orgs = new Map((await loadOrgs(db)).map((o) => [o.code, o]));
  for (const c of inputs) {
    const orgCode = c.orgCode;
    const org = orgCode === null ? undefined : orgs.get(orgCode);
    if (orgCode !== null && !org) errs.add(c.line, (say) => say.orgNotImported('org_code', orgCode));
    else if (orgCode !== null && org && !CONTACT_ORG_TYPES.includes(org.type)) {
      errs.add(c.line, (say) => say.contactOrgType(orgCode, org.type));
    }
  }
  const valid = inputs.filter((c): c is ContactRow & { code: string } => c.code !== null);
  const drafts = valid.map((c): PersonDraft => ({
    line: c.line, code: c.code, fullName: c.fullName, inviteCode: c.inviteCode, inviteLine: c.line, locale: c.locale,
    fields: { phone: c.phone, tags: c.tags.length > 0 ? JSON.stringify(c.tags) : null },
  }));
  const snapshot = await loadPeopleSnapshot(db);
  checkInviteCodes(drafts, snapshot, errs);
  if (errs.count > 0) return null;
  const roles = valid.map((c): RoleDraft => ({
    line: c.line, personCode: c.code, role: 'contact', kind: null, orgId: orgs.get(c.orgCode ?? '')?.id ?? null,
    caseInquiryId: null, validFrom: null, validTo: null,
  }));
  return writePeople(db, drafts, roles, snapshot, nowIso);
}
