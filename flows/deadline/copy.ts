import { deadlineEn } from '../copy/deadline-en.js';
import type { DeadlineCopy } from '../copy/deadline-types.js';
import { deadlineVi } from '../copy/deadline-vi.js';

/** Reminder and escalation texts for a locale tag; Vietnamese unless English is asked for. */
export function deadlineCopyFor(locale: string | null | undefined): DeadlineCopy {
  return (locale ?? 'vi').toLowerCase().startsWith('en') ? deadlineEn : deadlineVi;
}
