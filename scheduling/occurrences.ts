import { civilDate, DAY_MS, dayNumber, daysInMonth, MINUTE_MS, weekdayOf, type DayNumber } from './calendar';
import type { Recurrence } from './recurrence';
import { compileRule, type AvailabilityRuleInput, type CompiledRule } from './rules';
import { zoneOffsets, type ZoneOffsets } from './zoneOffsets';

/**
 * The local dates (day numbers) on which a recurrence occurs, within
 * [firstDay, lastDay], for a rule that starts on startDay and may not go past
 * lastAllowedDay. Dates are floating (no zone), so this is exact whatever the
 * process TZ. Semantics follow the rrule package: startDay counts only if it
 * matches the pattern, weeks start on Monday, and days a month lacks (31 in
 * April) are skipped.
 */
export function expandDays(
  recurrence: Recurrence,
  startDay: DayNumber,
  lastAllowedDay: DayNumber,
  firstDay: DayNumber,
  lastDay: DayNumber,
): DayNumber[] {
  const out: DayNumber[] = [];
  const end = Math.min(lastDay, lastAllowedDay);
  if (end < startDay || end < firstDay) return out;
  const { interval, count } = recurrence;
  // A counted rule must be walked from its start to know which occurrence is the last.
  let remaining = count ?? Number.POSITIVE_INFINITY;
  const from = count === undefined ? Math.max(firstDay, startDay) : startDay;
  const emit = (day: DayNumber): boolean => {
    if (remaining <= 0) return false;
    remaining--;
    if (day >= firstDay) out.push(day);
    return true;
  };

  let weekdayMask = 0;
  for (const spec of recurrence.byDay) if (spec.n === undefined) weekdayMask |= 1 << spec.weekday;

  if (recurrence.freq === 'DAILY') {
    const first = startDay + Math.ceil((from - startDay) / interval) * interval;
    for (let day = first; day <= end; day += interval) {
      if (weekdayMask !== 0 && (weekdayMask & (1 << weekdayOf(day))) === 0) continue;
      if (recurrence.byMonthDay.length > 0 && !matchesMonthDay(day, recurrence.byMonthDay)) continue;
      if (!emit(day)) break;
    }
    return out;
  }

  if (recurrence.freq === 'WEEKLY') {
    const offsets: number[] = [];
    for (let wd = 0; wd < 7; wd++) if (weekdayMask & (1 << wd)) offsets.push(wd);
    if (offsets.length === 0) offsets.push(weekdayOf(startDay));
    const firstWeek = startDay - weekdayOf(startDay);
    const step = 7 * interval;
    // The last period that ends before `from` cannot contain an occurrence.
    let week = firstWeek + Math.max(0, Math.ceil((from - 6 - firstWeek) / step)) * step;
    for (; week <= end; week += step) {
      for (const offset of offsets) {
        const day = week + offset;
        if (day < startDay) continue;
        if (day > end) return out;
        if (!emit(day)) return out;
      }
    }
    return out;
  }

  const start = civilDate(startDay);
  const startMonth = start.year * 12 + start.month - 1;
  const fromDate = civilDate(from);
  const fromMonth = fromDate.year * 12 + fromDate.month - 1;
  let month = startMonth + Math.max(0, Math.ceil((fromMonth - startMonth) / interval)) * interval;
  for (;;) {
    const year = Math.floor(month / 12);
    const monthOfYear = (month % 12) + 1;
    const first = dayNumber(year, monthOfYear, 1);
    if (first > end) return out;
    const mask = monthDays(recurrence, year, monthOfYear, first, weekdayMask, start.day);
    for (let dom = 1; mask >>> (dom - 1) !== 0; dom++) {
      if ((mask & (1 << (dom - 1))) === 0) continue;
      const day = first + dom - 1;
      if (day < startDay) continue;
      if (day > end) return out;
      if (!emit(day)) return out;
    }
    month += interval;
  }
}

function matchesMonthDay(day: DayNumber, byMonthDay: number[]): boolean {
  const date = civilDate(day);
  const length = daysInMonth(date.year, date.month);
  return byMonthDay.some((n) => (n > 0 ? n : length + 1 + n) === date.day);
}

// Days of one month as a bit mask (bit d-1 = day d): BYMONTHDAY and BYDAY each
// filter, so both given means their intersection, as in RFC 5545 and rrule.
function monthDays(
  recurrence: Recurrence,
  year: number,
  month: number,
  first: DayNumber,
  weekdayMask: number,
  startDayOfMonth: number,
): number {
  const length = daysInMonth(year, month);
  let byMonthDay = 0;
  for (const n of recurrence.byMonthDay) {
    const dom = n > 0 ? n : length + 1 + n;
    if (dom >= 1 && dom <= length) byMonthDay |= 1 << (dom - 1);
  }
  let byDay = 0;
  if (recurrence.byDay.length > 0) {
    const firstWeekday = weekdayOf(first);
    const lastWeekday = weekdayOf(first + length - 1);
    for (let dom = 1; dom <= length; dom++) {
      if (weekdayMask & (1 << ((firstWeekday + dom - 1) % 7))) byDay |= 1 << (dom - 1);
    }
    for (const { weekday, n } of recurrence.byDay) {
      if (n === undefined) continue;
      const dom =
        n > 0
          ? 1 + ((weekday - firstWeekday + 7) % 7) + (n - 1) * 7
          : length - ((lastWeekday - weekday + 7) % 7) + (n + 1) * 7;
      if (dom >= 1 && dom <= length) byDay |= 1 << (dom - 1);
    }
  }
  const hasMonthDay = recurrence.byMonthDay.length > 0;
  const hasDay = recurrence.byDay.length > 0;
  if (hasMonthDay && hasDay) return byMonthDay & byDay;
  if (hasMonthDay) return byMonthDay;
  if (hasDay) return byDay;
  return startDayOfMonth <= length ? 1 << (startDayOfMonth - 1) : 0;
}

/** One occurrence of a rule as real instants, with what is needed to lay its start-time grid. */
export interface OccurrenceWindow {
  start: number;
  end: number;
  /** The occurrence date's local midnight as a wall time (epoch ms of the same wall time in UTC). */
  localMidnight: number;
  startMinute: number;
  endMinute: number;
  zone: ZoneOffsets;
}

/**
 * The windows of a compiled rule that intersect [from, to) (epoch ms), sorted.
 * Each bound is the first instant whose wall-clock time reaches the local time:
 * an ambiguous time takes its earlier instant, a skipped time moves to the end
 * of the gap, and a window wholly inside a gap is dropped.
 */
export function ruleWindows(rule: CompiledRule, from: number, to: number): OccurrenceWindow[] {
  const zone = zoneOffsets(rule.timeZone);
  // Local dates lie within a day of the UTC date at any offset.
  const days = expandDays(
    rule.recurrence,
    rule.startDay,
    rule.lastDay,
    Math.floor(from / DAY_MS) - 1,
    Math.floor(to / DAY_MS) + 1,
  );
  const out: OccurrenceWindow[] = [];
  for (const day of days) {
    const localMidnight = day * DAY_MS;
    const start = zone.resolveLocal(localMidnight + rule.startMinute * MINUTE_MS);
    const end = zone.resolveLocal(localMidnight + rule.endMinute * MINUTE_MS);
    if (start >= end || end <= from || start >= to) continue;
    if (rule.untilInstant !== undefined && start > rule.untilInstant) continue;
    out.push({ start, end, localMidnight, startMinute: rule.startMinute, endMinute: rule.endMinute, zone });
  }
  return out;
}

/** One availability window of a rule: its local date and the real instants it opens and closes. */
export interface AvailabilityWindow {
  /** The occurrence's local date in the rule's zone, "YYYY-MM-DD". */
  date: string;
  start: Date;
  end: Date;
}

/** A rule's availability windows that intersect [from, to), sorted; throws RangeError for an invalid rule. */
export function occurrenceWindows(rule: AvailabilityRuleInput, from: Date, to: Date): AvailabilityWindow[] {
  return ruleWindows(compileRule(rule), from.getTime(), to.getTime()).map((w) => ({
    date: new Date(w.localMidnight).toISOString().slice(0, 10),
    start: new Date(w.start),
    end: new Date(w.end),
  }));
}
