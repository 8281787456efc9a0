/** Milliseconds in a minute. */
export const MINUTE_MS = 60_000;
/** Milliseconds in an hour of real time. */
export const HOUR_MS = 3_600_000;
/** Milliseconds in a UTC or floating calendar day (local days may be 23 or 25 hours). */
export const DAY_MS = 86_400_000;

/** A calendar date as a day number: days since 1970-01-01, independent of any time zone. */
export type DayNumber = number;

/** The day number of a proleptic Gregorian date (month 1-12); out-of-range parts roll over. */
export function dayNumber(year: number, month: number, day: number): DayNumber {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** Year, month (1-12) and day of month of a day number. */
export function civilDate(day: DayNumber): { year: number; month: number; day: number } {
  // UTC getters keep this independent of the process time zone.
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Day of the week, 0 = Monday ... 6 = Sunday (RFC 5545's default week start). */
export function weekdayOf(day: DayNumber): number {
  // 1970-01-01 was a Thursday.
  return (((day + 3) % 7) + 7) % 7;
}

/** Number of days in a month (1-12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Parses "YYYY-MM-DD" into a day number, or null when it is not a real date. */
export function parseIsoDate(text: string): DayNumber | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return dayNumber(year, month, day);
}

/** Parses a 24-hour "HH:mm" clock time into minutes since midnight, or null. */
export function parseClockTime(text: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}
