import type { DueInfo } from './copy/format.js';
import type { FlowContext } from './context.js';

type DueContext = Pick<FlowContext, 'db' | 'now' | 'settings'>;

/**
 * A due time with the context's "now" and the legal calendar, so the copy can say how long is
 * left ("còn 2 ngày làm việc").
 */
export async function dueInfo(ctx: DueContext, at: Date | string): Promise<DueInfo> {
  const isWorkingDay = await ctx.settings.deadlines.workingDays?.(ctx.db);
  return { at, now: ctx.now, ...(isWorkingDay ? { isWorkingDay } : {}) };
}

/** {@link dueInfo}, keeping "no deadline yet" as null. */
export async function maybeDueInfo(ctx: DueContext, at: Date | string | null | undefined): Promise<DueInfo | null> {
  return at ? dueInfo(ctx, at) : null;
}
