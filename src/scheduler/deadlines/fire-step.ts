import type { Db } from '../../../db/client.js';
import { fireDeadlineStep } from '../../../flows/deadline/fire.js';
import type { Clock } from '../../time/clock.js';

/**
 * The usual `onFire` of the deadline scheduler: fires the step in its own transaction at the
 * clock's "now" and returns the outbox ids committed with it.
 */
export function createStepFirer(db: Db, clock: Clock, defaultLocale: 'vi' | 'en'): (inquiryId: number, step: string) => Promise<number[]> {
  return (inquiryId, step) => db.transaction().execute((tx) => fireDeadlineStep(tx, inquiryId, step, clock.now(), defaultLocale));
}
