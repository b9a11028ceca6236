/** The legal calendar and working-time arithmetic (pure functions; Asia/Ho_Chi_Minh). */
export { createWorkCalendar, DEFAULT_WEEKEND_DAYS, type CalendarEntry, type WorkCalendar, type WorkCalendarInput } from './calendar.js';
export { statutoryEntries, type StatutoryOptions } from './statutory.js';
export { addWorkingDays, computeDue, endOfLocalDay, nextWorkingDay, previousWorkingDay } from './periods.js';
export {
  addBusinessMs, businessMs, DEFAULT_OFFICE_HOURS, isOfficeTime, nextOfficeTime, parseOfficeHours,
  type OfficeHours, type OfficePeriod,
} from './office-hours.js';
export {
  addDays, atLocalTime, dayOfWeek, daysBetween, DAY_MS, isLocalDate, localMidnight, localTimeOfDayMs,
  LOCAL_OFFSET_MS, parseClockTime, toLocalDate, yearOf,
} from './local.js';
export { createManualClock, systemClock, TIME_ZONE, type Clock, type ManualClock } from './clock.js';
