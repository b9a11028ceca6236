import type { Db } from '../../db/client.js';
import { findInquiryIdsByCode, loadOrgs, loadOutlets } from '../../db/repositories/directory-write.js';
import { ROLES, SPOKESPERSON_KINDS, type Org, type Role, type SpokespersonKind } from '../../db/schema.js';
import type { CsvTableSpec } from './csv-read.js';
import { checkInviteCodes, loadPeopleSnapshot, writePeople, type PersonDraft, type RoleDraft } from './persons-plan.js';
import { reportDuplicates } from './plan-helpers.js';
import { createRowReader, type RowReader } from './row-reader.js';
import type { CsvRow, ImportCounts, RowErrors } from './types.js';

/** `people.csv` columns: one row per role assignment. */
export const PEOPLE_CSV: CsvTableSpec = {
  columns: ['person_code', 'full_name', 'role', 'kind', 'org_code', 'outlet_code', 'press_card', 'phone', 'locale',
    'invite_code', 'valid_from', 'valid_to', 'case_code', 'title'],
  required: ['person_code', 'full_name', 'role'],
};

/** Organisation types a commune-level contact can belong to. */
export const CONTACT_ORG_TYPES: readonly string[] = ['commune', 'special_zone'];

interface PeopleRow {
  line: number;
  personCode: string | null;
  fullName: string;
  role: Role | null;
  kind: SpokespersonKind | null;
  orgCode: string | null;
  outletCode: string | null;
  pressCard: string | null;
  phone: string | null;
  locale: string | null;
  inviteCode: string | null;
  validFrom: string | null;
  validTo: string | null;
  caseCode: string | null;
  /** Position shown under the person's answers; blank keeps the one on record. */
  title: string | null;
}

function readPeopleRow(row: CsvRow, errs: RowErrors): PeopleRow {
  const r = createRowReader(row, errs);
  const input: PeopleRow = {
    line: row.line,
    personCode: r.code('person_code', true),
    fullName: r.required('full_name'),
    role: r.oneOf('role', ROLES, true),
    kind: r.oneOf('kind', SPOKESPERSON_KINDS, false),
    orgCode: r.code('org_code', false),
    outletCode: r.code('outlet_code', false),
    pressCard: r.text('press_card'),
    phone: r.phone('phone'),
    locale: r.locale('locale'),
    inviteCode: r.invite('invite_code'),
    ...r.validity(),
    caseCode: r.text('case_code'),
    title: r.text('title'),
  };
  checkRoleRules(input, r);
  return input;
}

/** What each role needs (product.md "Roles"): reporters an outlet and card, staff an organisation. */
function checkRoleRules(p: PeopleRow, r: RowReader): void {
  if (p.role === null) return;
  const role = p.role;
  if (role === 'spokesperson' && p.kind === null && r.text('kind') === null) r.fail((c) => c.kindRequired(SPOKESPERSON_KINDS));
  if (role !== 'spokesperson' && p.kind !== null) r.fail((c) => c.kindOnlyForSpokespersons(role));
  if (['spokesperson', 'coordinator', 'contact'].includes(role) && p.orgCode === null && r.text('org_code') === null) {
    r.fail((c) => c.orgRequired(role));
  }
  if (role === 'reporter') {
    if (p.outletCode === null && r.text('outlet_code') === null) r.fail((c) => c.outletRequired);
    if (p.pressCard === null) r.fail((c) => c.pressCardRequired);
    if (p.orgCode !== null) r.fail((c) => c.reporterHasOrg);
  }
  if (p.caseCode !== null && p.kind !== 'authorised') r.fail((c) => c.caseOnlyForAuthorised);
}

/**
 * Validates people rows (role rules, references to organisations, outlets and inquiries, one
 * consistent person per person_code, invite codes), then upserts persons and role assignments.
 */
export async function importPeople(db: Db, rows: readonly CsvRow[], errs: RowErrors, nowIso: string): Promise<ImportCounts | null> {
  const inputs = rows.map((row) => readPeopleRow(row, errs));
  reportDuplicates(inputs, (p) => (p.personCode && p.role ? [p.personCode, p.role, p.kind, p.orgCode].join('|') : null),
    (p, first) => (c) => c.roleRepeated(describeRole(p), p.personCode ?? '', first), errs);
  const orgs = new Map((await loadOrgs(db)).map((o) => [o.code, o]));
  const outletIds = new Map((await loadOutlets(db)).map((o) => [o.code, o.id]));
  const caseCodes = [...new Set(inputs.flatMap((p) => (p.caseCode ? [p.caseCode] : [])))];
  const caseIds = new Map((await findInquiryIdsByCode(db, caseCodes)).map((c) => [c.code, c.id]));
  for (const p of inputs) checkReferences(p, orgs, outletIds, caseIds, errs);
  const drafts = toPersonDrafts(inputs, outletIds, errs);
  const snapshot = await loadPeopleSnapshot(db);
  checkInviteCodes(drafts, snapshot, errs);
  if (errs.count > 0) return null;
  const roles = inputs.map((p): RoleDraft => ({
    line: p.line, personCode: p.personCode ?? '', role: p.role ?? 'reporter', kind: p.kind,
    orgId: p.orgCode === null ? null : orgs.get(p.orgCode)?.id ?? null,
    caseInquiryId: p.caseCode === null ? null : caseIds.get(p.caseCode) ?? null,
    validFrom: p.validFrom, validTo: p.validTo,
  }));
  return writePeople(db, drafts, roles, snapshot, nowIso);
}

function describeRole(p: PeopleRow): string {
  return `${p.role}${p.kind ? `:${p.kind}` : ''}${p.orgCode ? `@${p.orgCode}` : ''}`;
}

function checkReferences(
  p: PeopleRow, orgs: ReadonlyMap<string, Org>, outletIds: ReadonlyMap<string, number>,
  caseIds: ReadonlyMap<string, number>, errs: RowErrors,
): void {
  const { orgCode, outletCode, caseCode } = p;
  const org = orgCode === null ? undefined : orgs.get(orgCode);
  if (orgCode !== null && !org) errs.add(p.line, (c) => c.orgNotImported('org_code', orgCode));
  if (orgCode !== null && org && p.role === 'contact' && !CONTACT_ORG_TYPES.includes(org.type)) {
    errs.add(p.line, (c) => c.contactOrgType(orgCode, org.type));
  }
  if (outletCode !== null && !outletIds.has(outletCode)) errs.add(p.line, (c) => c.outletNotImported(outletCode));
  if (caseCode !== null && !caseIds.has(caseCode)) errs.add(p.line, (c) => c.caseUnknown(caseCode));
}

type PersonValueKey = 'fullName' | 'outletCode' | 'pressCard' | 'phone' | 'locale' | 'inviteCode' | 'title';
const PERSON_VALUES: ReadonlyArray<[PersonValueKey, string]> = [
  ['fullName', 'full_name'], ['outletCode', 'outlet_code'], ['pressCard', 'press_card'],
  ['phone', 'phone'], ['locale', 'locale'], ['inviteCode', 'invite_code'], ['title', 'title'],
];

/** Folds the rows of each person_code into one person; their person-level values must agree. */
function toPersonDrafts(inputs: readonly PeopleRow[], outletIds: ReadonlyMap<string, number>, errs: RowErrors): PersonDraft[] {
  const merged = new Map<string, { first: PeopleRow; values: Partial<Record<PersonValueKey, { value: string; line: number }>> }>();
  for (const p of inputs) {
    if (p.personCode === null) continue;
    const entry = merged.get(p.personCode) ?? { first: p, values: {} };
    merged.set(p.personCode, entry);
    for (const [key, col] of PERSON_VALUES) {
      const value = p[key];
      if (value === null || value === '') continue;
      const seen = entry.values[key];
      if (!seen) entry.values[key] = { value, line: p.line };
      else if (seen.value !== value) {
        // Phone numbers never appear in messages (logger.ts and the CLI print these).
        const shown = key === 'phone' ? null : value;
        const personCode = p.personCode;
        errs.add(p.line, (c) => c.personValueDiffers(col, shown, seen.line, personCode));
      }
    }
  }
  return [...merged].map(([code, { first, values }]) => ({
    line: first.line, code, fullName: values.fullName?.value ?? first.fullName,
    inviteCode: values.inviteCode?.value ?? null, inviteLine: values.inviteCode?.line ?? first.line,
    locale: values.locale?.value ?? null,
    fields: {
      outlet_id: values.outletCode ? outletIds.get(values.outletCode.value) ?? null : null,
      press_card: values.pressCard?.value ?? null,
      phone: values.phone?.value ?? null,
      ...(values.title ? { title: values.title.value } : {}),
    },
  }));
}
