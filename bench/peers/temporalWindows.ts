import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from 'temporal-polyfill';
import type { AvailabilityRuleInput } from '../../scheduling';

/** One occurrence of a rule as instants, with the local clock times that shaped it. */
export interface TemporalWindow {
  start: number;
  end: number;
  /** The occurrence's local start, from which grid times are laid in the rule's zone. */
  zoned: Temporal.ZonedDateTime;
  startMinute: number;
  endMinute: number;
}

const clock = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

/**
 * The rule's occurrences whose windows touch [from, to), enumerated by rrule-temporal (DTSTART = startDate at
 * startTime in the rule's zone, the rule's `until` as the last local date), each window's end found by
 * Temporal from the occurrence's local date and endTime. No code of the slot engine. Benchmark-only.
 */
export function temporalWindows(rule: AvailabilityRuleInput, from: number, to: number): TemporalWindow[] {
  const [y, mo, d] = rule.startDate.split('-').map(Number);
  const startMinute = clock(rule.startTime);
  const endMinute = clock(rule.endTime);
  const dtstart = Temporal.ZonedDateTime.from({
    year: y,
    month: mo,
    day: d,
    hour: Math.floor(startMinute / 60),
    minute: startMinute % 60,
    timeZone: rule.timeZone,
  });
  const until = rule.until
    ? Temporal.PlainDate.from(rule.until).toZonedDateTime({
        timeZone: rule.timeZone,
        plainTime: { hour: 23, minute: 59, second: 59 },
      })
    : undefined;
  const recurrence = new RRuleTemporal({
    rruleString: rule.rrule.replace(/^RRULE:/i, ''),
    dtstart,
    ...(until ? { until } : {}),
    temporal: Temporal,
  });
  // An occurrence starting up to a day before `from` may still be open at `from`.
  const occurrences = recurrence.between(new Date(from - 86_400_000), new Date(to), true);
  const windows: TemporalWindow[] = [];
  for (const zoned of occurrences) {
    const end = zoned.withPlainTime({
      hour: Math.floor(endMinute / 60),
      minute: endMinute % 60,
    }).epochMilliseconds;
    const start = zoned.epochMilliseconds;
    if (end > from && start < to) windows.push({ start, end, zoned, startMinute, endMinute });
  }
  return windows;
}
