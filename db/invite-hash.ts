import { createHash } from 'node:crypto';

/**
 * Invite codes are stored only as this hash (`persons.invite_code`): the database never holds a
 * usable invite. A code is shown once, when `liaison invites export` issues it (or it is given in
 * an import file, which the operator already holds). SHA-256 with a domain prefix; codes are
 * compared exactly, as typed after `/start`.
 */
export function hashInviteCode(code: string): string {
  return createHash('sha256').update(`invite\u0000${code}`).digest('hex');
}
