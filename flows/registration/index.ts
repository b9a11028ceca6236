import { findOrg } from '../../db/repositories/directory.js';
import { orgName } from '../inquiry/view.js';
import { chooseLanguage } from '../status/language.js';
import type { Button, ButtonEvent } from '../../adapters/types.js';
import { listUndeliveredForPerson, markOutboxRedirected } from '../../db/repositories/outbox.js';
import { followHandOverRedirect } from '../../db/repositories/notices-write.js';
import type { Identity } from '../../db/schema.js';
import { findOutlet, findPerson, findPersonByInvite, findRoleAssignment, listOutlets, rolesOf } from '../../db/repositories/directory.js';
import { linkIdentity, setDialog, setIdentityLocale } from '../../db/repositories/identities.js';
import { createPendingReporter, setRoleStatusIf, useInvite } from '../../db/repositories/persons.js';
import { A, btn, parseId, rows } from '../buttons.js';
import { hasStartLinks, type FlowContext } from '../context.js';
import type { Dialog } from '../dialog.js';
import { activeRoles, allCoordinators, coordinates } from '../roles.js';
import { countAuditSince } from '../../db/repositories/audit.js';
import { forgetTypedCode, mayTryCodeOrSay, recordFailedCode } from '../code-attempts.js';

const INVITE = /^[A-Za-z0-9_-]{1,64}$/;

/** `/start [invite code]`: bind an invite, or begin reporter registration. */
export async function onStart(ctx: FlowContext, args: string): Promise<void> {
  const code = args.trim();
  if (code) return acceptInvite(ctx, code);
  if (ctx.actor.person) {
    const name = ctx.actor.person.full_name;
    await ctx.reply((t) => ({ text: `${t.alreadyRegistered(name)}\n\n${t.help(activeRoles(ctx.actor), true)}` }));
    return;
  }
  await ctx.reply((t) => ({
    text: `${t.welcome}\n\n${t.chooseLanguage}`,
    buttons: [[btn('Tiếng Việt', A.lang, 'vi'), btn('English', A.lang, 'en')]],
  }));
}

/**
 * An invite code sent as plain text by a chat that belongs to nobody (Zalo has no deep links).
 * True when it was an invite and was handled.
 */
export async function tryInviteText(ctx: FlowContext, text: string): Promise<boolean> {
  const code = text.trim();
  if (ctx.actor.person || !INVITE.test(code)) return false;
  if (!(await findPersonByInvite(ctx.db, code))) return false;
  await acceptInvite(ctx, code);
  return true;
}

async function acceptInvite(ctx: FlowContext, code: string): Promise<void> {
  // The invite is a credential: the stored message keeps it masked, whatever it turns out to be.
  await forgetTypedCode(ctx, code);
  if (!(await mayTryCodeOrSay(ctx))) return;
  const person = INVITE.test(code) ? await findPersonByInvite(ctx.db, code) : undefined;
  if (!person) {
    await recordFailedCode(ctx, 'invite');
    await ctx.reply((t) => ({ text: t.inviteInvalid(hasStartLinks(ctx)) }));
    return;
  }
  const mine = ctx.actor.identity.person_id === person.id;
  if (!mine && !(await useInvite(ctx.db, person.id, ctx.nowIso))) {
    await recordFailedCode(ctx, 'invite');
    await ctx.reply((t) => ({ text: t.inviteUsed }));
    return;
  }
  await linkIdentity(ctx.db, ctx.actor.identity.id, person.id, ctx.nowIso);
  if (!ctx.actor.identity.locale && person.locale) await setIdentityLocale(ctx.db, ctx.actor.identity.id, person.locale, ctx.nowIso);
  await setDialog(ctx.db, ctx.actor.identity.id, null, ctx.nowIso);
  await ctx.effects.audit('identity.link_invite', 'identity', ctx.actor.identity.id, { person_id: ctx.actor.identity.person_id }, { person_id: person.id });
  const roles = [...new Set((await rolesOf(ctx.db, person.id, ctx.today)).filter((r) => r.status === 'active').map((r) => r.role))];
  const linked = { ...ctx.actor.identity, person_id: person.id, locale: ctx.actor.identity.locale ?? person.locale };
  const agencyRows = await Promise.all((await rolesOf(ctx.db, person.id, ctx.today))
    .filter((r) => r.role === 'spokesperson' && r.status === 'active' && r.org_id !== null).map((r) => findOrg(ctx.db, r.org_id as number)));
  await ctx.effects.sendTo(linked, (t) => ({ text: t.inviteAccepted(person.full_name, roles, [...new Set(agencyRows.map((o) => orgName(o, t)))]) }));
  await redeliverUndelivered(ctx, person.id, linked);
}

/** How far back messages that could not reach a person are sent again to a newly linked chat, in ms. */
const REDELIVER_WINDOW_MS = 30 * 24 * 3_600_000;

/**
 * Messages that could not reach this person elsewhere (they blocked the bot, their web session
 * ended) are sent to the chat they just linked, so an answer is never lost to a changed channel.
 * They keep their inquiry link (a reply to a re-sent answer is a follow-up) but not their reply-to:
 * the original message belongs to the other chat.
 */
export async function redeliverUndelivered(ctx: FlowContext, personId: number, to: Identity): Promise<void> {
  const since = new Date(ctx.now.getTime() - REDELIVER_WINDOW_MS).toISOString();
  const rows = await listUndeliveredForPerson(ctx.db, personId, to.id, since);
  for (const row of rows) {
    const buttons = row.buttons ? (JSON.parse(row.buttons) as Button[][]) : undefined;
    const copyId = await ctx.effects.sendTo(to, () => ({ text: row.text, ...(buttons ? { buttons } : {}) }), {
      ...(row.inquiry_id && row.ref_kind ? { ref: { inquiryId: row.inquiry_id, kind: row.ref_kind } } : {}),
    });
    // A held notice (never tied to an inquiry): its delivery row is settled by the copy now.
    if (row.inquiry_id === null) await followHandOverRedirect(ctx.db, row.id, copyId);
  }
  await markOutboxRedirected(ctx.db, rows.map((r) => r.id), `redirected to identity ${to.id}`);
  if (rows.length > 0) await ctx.effects.audit('delivery.redirect', 'identity', to.id, null, { outbox_ids: rows.map((r) => r.id) });
}

/** Language chosen (registration's first step, or any time). */
export async function onLanguage(ctx: FlowContext, payload: string): Promise<void> {
  const locale = payload === 'en' ? 'en' : 'vi';
  const identity = await chooseLanguage(ctx, locale);
  if (ctx.actor.person) {
    await ctx.effects.sendTo(identity, (t) => ({ text: t.langSet }));
    return;
  }
  await setDialog(ctx.db, identity.id, { step: 'reg_name' } satisfies Dialog, ctx.nowIso);
  await ctx.effects.sendTo(identity, (t) => ({ text: t.askFullName }));
}

/** One registration answer (name, outlet, press card), by dialog step. */
export async function onRegistrationText(ctx: FlowContext, dialog: Extract<Dialog, { step: 'reg_name' | 'reg_outlet' | 'reg_card' }>, text: string): Promise<void> {
  const value = text.trim().replace(/\s+/g, ' ');
  if (dialog.step === 'reg_name') {
    if (value.length < 2 || value.length > 100) return void await ctx.reply((t) => ({ text: t.invalidName }));
    await setDialog(ctx.db, ctx.actor.identity.id, { step: 'reg_outlet', name: value }, ctx.nowIso);
    const outlets = await listOutlets(ctx.db);
    await ctx.reply((t) => ({ text: t.askOutlet, buttons: rows(outlets.map((o) => btn(o.name, A.regOutlet, o.id)), 2) }));
    return;
  }
  if (dialog.step === 'reg_outlet') {
    if (value.length < 2 || value.length > 150) return void await ctx.reply((t) => ({ text: t.askOutlet }));
    await setDialog(ctx.db, ctx.actor.identity.id, { step: 'reg_card', name: dialog.name, outletId: null, outletName: value }, ctx.nowIso);
    await ctx.reply((t) => ({ text: t.askPressCard }));
    return;
  }
  if (!/^[\p{L}\p{N}][\p{L}\p{N} ./-]{1,28}[\p{L}\p{N}]$/u.test(value)) return void await ctx.reply((t) => ({ text: t.invalidPressCard }));
  await submitRegistration(ctx, dialog, value);
}

/** Outlet picked from the buttons. */
export async function onOutletButton(ctx: FlowContext, dialog: Dialog | undefined, payload: string): Promise<void> {
  const outlet = parseId(payload) ? await findOutlet(ctx.db, Number(payload)) : undefined;
  if (dialog?.step !== 'reg_outlet' || !outlet) return;
  await setDialog(ctx.db, ctx.actor.identity.id, { step: 'reg_card', name: dialog.name, outletId: outlet.id, outletName: null }, ctx.nowIso);
  await ctx.reply((t) => ({ text: t.askPressCard }));
}

async function submitRegistration(ctx: FlowContext, d: Extract<Dialog, { step: 'reg_card' }>, pressCard: string): Promise<void> {
  const { personId, roleId } = await createPendingReporter(ctx.db, { fullName: d.name, outletId: d.outletId, outletName: d.outletName, pressCard, locale: ctx.actor.identity.locale, nowIso: ctx.nowIso });
  await linkIdentity(ctx.db, ctx.actor.identity.id, personId, ctx.nowIso);
  await setDialog(ctx.db, ctx.actor.identity.id, null, ctx.nowIso);
  await ctx.effects.audit('reporter.register', 'person', personId, null, { role_id: roleId, status: 'pending' });
  await ctx.reply((t) => ({ text: t.registrationSubmitted }));
  // Registrations cost a stranger nothing: past a cap per hour they are stored as pending without
  // pinging every coordinator each time (audited as `reporter.register_unannounced`).
  if (!(await mayAnnounceRegistration(ctx))) return void await ctx.effects.audit('reporter.register_unannounced', 'person', personId, null, { role_id: roleId });
  const outlet = d.outletId ? (await findOutlet(ctx.db, d.outletId))?.name : d.outletName;
  const handle = `${ctx.actor.identity.platform}: ${ctx.actor.identity.display_name ?? ''} ${ctx.event.from.username ? `@${ctx.event.from.username}` : ''}`.trim();
  for (const coordinator of await allCoordinators(ctx.db, ctx.today)) {
    await ctx.effects.notifyPerson(coordinator, (t) => ({
      text: t.verifyRequest({ name: d.name, outlet: outlet ?? '—', pressCard, handle }),
      buttons: [[btn(t.approve, A.verifyOk, roleId), btn(t.reject, A.verifyNo, roleId, 'danger')]],
    }));
  }
}

/** Registrations announced to the coordinators per hour, at most (the rest wait, pending). */
export const REGISTRATION_ANNOUNCEMENTS_PER_HOUR = 10;

async function mayAnnounceRegistration(ctx: FlowContext): Promise<boolean> {
  const since = new Date(ctx.now.getTime() - 3_600_000).toISOString();
  // This registration's own audit row is already written: it counts.
  return (await countAuditSince(ctx.db, 'person', 'reporter.register', since)) <= REGISTRATION_ANNOUNCEMENTS_PER_HOUR;
}

/** A coordinator pressed Approve / Reject on a registration. */
export async function onVerify(ctx: FlowContext, e: ButtonEvent, approve: boolean): Promise<void> {
  const role = parseId(e.payload) ? await findRoleAssignment(ctx.db, Number(e.payload)) : undefined;
  if (!role || role.role !== 'reporter' || !(await coordinates(ctx.db, ctx.actor, null))) {
    await ctx.reply((t) => ({ text: t.notAllowed }));
    return;
  }
  const person = await findPerson(ctx.db, role.person_id);
  const name = person?.full_name ?? '—';
  const updated = await setRoleStatusIf(ctx.db, role.id, 'pending', approve ? 'active' : 'rejected', ctx.nowIso);
  if (!updated) {
    await ctx.reply((t) => ({ text: t.verifyAlreadyDone(name) }));
    return;
  }
  await ctx.effects.audit(approve ? 'reporter.approve' : 'reporter.reject', 'role_assignment', role.id, { status: 'pending' }, { status: updated.status });
  await ctx.reply((t) => ({ text: t.verifyDone(name, approve) }));
  await ctx.effects.notifyPerson(role.person_id, (t) => ({ text: approve ? t.reporterApproved : t.reporterRejectedNotice }));
}
