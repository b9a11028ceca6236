import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { InquiryStatus } from '../../db/schema.js';
import { ACTIONS, actionOfAudit, decide, isOpen, LIFECYCLE, STATUS_AUDITS, targetStatus } from '../../flows/lifecycle/table.js';
import type { Action, ActionRule, ClockEffect } from '../../flows/lifecycle/types.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const STATUSES: readonly InquiryStatus[] = ['screening', 'assigned', 'acknowledged', 'clarifying', 'answered', 'declined', 'rejected', 'merged', 'withdrawn'];

const CLOCK: Record<ClockEffect, string> = {
  none: '—', pause: 'pause', resume: 'resume', stop: 'stop', replan: 're-plan', new_deadline: 'new deadline', extend: 'extend',
};

/** One README row of the lifecycle table. */
function row(action: Action, r: ActionRule): string {
  const from = r.from.length === STATUSES.filter(isOpen).length && r.from.every(isOpen) ? 'any open' : r.from.join(', ');
  const to = r.to === 'same' ? '(unchanged)' : r.to === 'paused_from' ? 'where it paused' : r.to;
  const extra = r.onlyUnrated ? ' (not yet rated)' : '';
  return `| \`${action}\`${extra} | ${from} | ${to} | ${r.who.join(' or ')} | ${r.entry ?? '—'} | \`${r.audit}\` | ${CLOCK[r.clock]} |`;
}

describe('the lifecycle table', () => {
  it('is the table the README shows, row for row', () => {
    const header = '| action | from | to | who | entry | audit | clock |\n|---|---|---|---|---|---|---|';
    const table = [header, ...ACTIONS.map((a) => row(a, LIFECYCLE[a]))].join('\n');
    expect(README).toContain(table);
  });

  it('decides by role first, then by status', () => {
    expect(decide('answer', 'assigned', new Set(['spokesperson']))).toBe('ok');
    expect(decide('answer', 'answered', new Set(['spokesperson']))).toBe('stale');
    expect(decide('answer', 'answered', new Set(['reporter']))).toBe('not_allowed');
    expect(decide('conclude', 'screening', new Set(['coordinator']))).toBe('ok');
    expect(decide('conclude', 'assigned', new Set(['spokesperson']))).toBe('ok');
    expect(decide('withdraw', 'clarifying', new Set())).toBe('not_allowed');
  });

  it('closes with the clock stopped, reopens with a new deadline, and pauses only into clarifying', () => {
    for (const action of ACTIONS) {
      const r = LIFECYCLE[action];
      for (const from of r.from) {
        const to = targetStatus(action, from, 'acknowledged');
        if (isOpen(from) && !isOpen(to)) expect(r.clock, `${action} closes`).toBe('stop');
        if (!isOpen(from) && isOpen(to)) expect(r.clock, `${action} reopens`).toBe('new_deadline');
        if (to === 'clarifying' && from !== 'clarifying') expect(r.clock, `${action} pauses`).toBe('pause');
        if (from === 'clarifying' && to !== 'clarifying' && isOpen(to)) expect(r.clock, `${action} resumes`).toBe('resume');
      }
      expect(r.from.every((s) => STATUSES.includes(s))).toBe(true);
    }
  });

  it('names what last happened from the audit trail, one action per status-changing audit', () => {
    for (const audit of STATUS_AUDITS) expect(actionOfAudit(audit)).toBeDefined();
    expect(actionOfAudit('inquiry.followup')).toBe('reopen');
    expect(actionOfAudit('inquiry.rate')).toBeUndefined();
    expect(targetStatus('resume', 'clarifying', 'assigned')).toBe('assigned');
    expect(targetStatus('resume', 'clarifying', null)).toBe('acknowledged');
  });
});
