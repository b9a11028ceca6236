import type { Db } from '../../../db/client.js';
import { fireDeadlineStep } from '../../../flows/deadline/fire.js';
import type { DeadlinePolicy } from '../../../flows/deadlines.js';
import type { Clock } from '../../time/clock.js';

/**
 * The usual `onFire` of the deadline scheduler: fires the step in its own transaction at the
 * clock's "now" and returns the outbox ids committed with it. `deadlines` (its legal calendar)
 * lets the texts count the days left as working days.
 */
export function createStepFirer(
  db: Db, clock: Clock, defaultLocale: 'vi' | 'en', deadlines?: Pick<DeadlinePolicy, 'workingDays'>,
): (inquiryId: number, step: string) => Promise<number[]> {
  return (inquiryId, step) => db.transaction().execute((tx) => fireDeadlineStep(tx, inquiryId, step, clock.now(), defaultLocale, deadlines));
}
