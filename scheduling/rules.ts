import { DateTime, IANAZone } from 'luxon';
import { DAY_MS, parseClockTime, parseIsoDate, type DayNumber } from './calendar';
import { parseRecurrence, type Recurrence } from './recurrence';
import { rrule } from './rrulePackage';

/** A clinician's recurring availability as stored: an RRULE (no DTSTART) plus local times in an IANA zone. */
export interface AvailabilityRuleInput {
  rrule: string;
  /** First local date the rule applies to, "YYYY-MM-DD". */
  startDate: string;
  /** Last local date the rule applies to (inclusive), "YYYY-MM-DD". */
  until?: string | null;
  /** Local "HH:mm" (24-hour) the window opens each occurrence day. */
  startTime: string;
  /** Local "HH:mm" the window closes; later than startTime on the same day. */
  endTime: string;
  timeZone: string;
}

/** A rule checked and reduced to numbers, ready for expansion; shared from a cache, so never mutated. */
export interface CompiledRule {
  readonly recurrence: Recurrence;
  readonly startDay: DayNumber;
  /** Last occurrence date allowed by `until` and a date or floating UNTIL. */
  readonly lastDay: DayNumber;
  /** A UTC UNTIL: occurrences must start at or before this instant. */
  readonly untilInstant?: number;
  readonly startMinute: number;
  readonly endMinute: number;
  readonly timeZone: string;
}

/** The field of a rule a problem is about, for a 400 that names it. */
export type RuleField = 'rrule' | 'startDate' | 'until' | 'startTime' | 'endTime' | 'timeZone';

type Compiled = { ok: true; rule: CompiledRule } | { ok: false; error: string; field: RuleField };

// Checking a rule costs ~50 µs (Intl zone lookup, rrule parse), more than
// computing its slots; every slot query re-reads the same few rules.
const compiledCache = new Map<string, Compiled>();
const COMPILED_CACHE_LIMIT = 10_000;

function compile(rule: AvailabilityRuleInput): Compiled {
  const key = JSON.stringify([
    rule.rrule,
    rule.startDate,
    rule.until ?? null,
    rule.startTime,
    rule.endTime,
    rule.timeZone,
  ]);
  let compiled = compiledCache.get(key);
  if (compiled === undefined) {
    compiled = compileUncached(rule);
    if (compiledCache.size >= COMPILED_CACHE_LIMIT) compiledCache.clear();
    compiledCache.set(key, compiled);
  }
  return compiled;
}

function compileUncached(rule: AvailabilityRuleInput): Compiled {
  const fail = (error: string, field: RuleField = 'rrule'): Compiled => ({ ok: false, error, field });
  if (typeof rule.rrule !== 'string') return fail('rrule is required');
  const parsed = parseRecurrence(rule.rrule);
  if (!parsed.ok) return fail(parsed.error);
  try {
    // The rrule package must accept it too: summaries and exports go through it.
    new rrule.RRule(rrule.RRule.parseString(rule.rrule.trim().replace(/^RRULE:/i, '')));
  } catch (error) {
    return fail(`rrule: ${(error as Error).message}`);
  }
  const startDay = parseIsoDate(String(rule.startDate));
  if (startDay === null)
    return fail(`startDate must be a date as YYYY-MM-DD, not "${rule.startDate}"`, 'startDate');
  let lastDay = Number.POSITIVE_INFINITY;
  if (rule.until !== undefined && rule.until !== null) {
    const untilDay = parseIsoDate(String(rule.until));
    if (untilDay === null) return fail(`until must be a date as YYYY-MM-DD, not "${rule.until}"`, 'until');
    if (untilDay < startDay)
      return fail(`until (${rule.until}) is before startDate (${rule.startDate})`, 'until');
    lastDay = untilDay;
  }
  const startMinute = parseClockTime(String(rule.startTime));
  if (startMinute === null)
    return fail(`startTime must be a 24-hour time as HH:mm, not "${rule.startTime}"`, 'startTime');
  const endMinute = parseClockTime(String(rule.endTime));
  if (endMinute === null)
    return fail(`endTime must be a 24-hour time as HH:mm, not "${rule.endTime}"`, 'endTime');
  if (startMinute >= endMinute)
    return fail(`startTime (${rule.startTime}) must be before endTime (${rule.endTime})`, 'endTime');
  if (typeof rule.timeZone !== 'string' || !IANAZone.isValidZone(rule.timeZone)) {
    return fail(
      `timeZone must be an IANA time zone such as Europe/London, not "${rule.timeZone}"`,
      'timeZone',
    );
  }

  const { recurrence } = parsed;
  let untilInstant: number | undefined;
  const until = recurrence.until;
  if (until?.kind === 'date') {
    if (until.day < startDay) return fail(`rrule: UNTIL is before startDate (${rule.startDate})`);
    lastDay = Math.min(lastDay, until.day);
  } else if (until?.kind === 'local') {
    // A floating UNTIL bounds the occurrence's local start (date + startTime).
    lastDay = Math.min(lastDay, Math.floor((until.ms - startMinute * 60_000) / DAY_MS));
  } else if (until?.kind === 'utc') {
    untilInstant = until.ms;
  }
  Object.freeze(recurrence.byDay);
  Object.freeze(recurrence.byMonthDay);
  return {
    ok: true,
    rule: Object.freeze({
      recurrence: Object.freeze(recurrence),
      startDay,
      lastDay,
      untilInstant,
      startMinute,
      endMinute,
      timeZone: rule.timeZone,
    }),
  };
}

/**
 * Checks an availability rule: null when valid, else a message naming what is wrong.
 * Accepts FREQ=DAILY|WEEKLY|MONTHLY with INTERVAL (≤ 52), BYDAY (ordinals such as
 * 1SA only for MONTHLY), BYMONTHDAY, COUNT (≤ 1000) and UNTIL, nothing else.
 */
export function validateRule(rule: AvailabilityRuleInput): string | null {
  const compiled = compile(rule);
  return compiled.ok ? null : compiled.error;
}

/**
 * The same check, with the field the problem is about (an RRULE's own UNTIL counts as rrule): the one rule the
 * API answers a 400 with and the slot engine compiles by.
 */
export function ruleProblem(rule: AvailabilityRuleInput): { field: RuleField; message: string } | null {
  const compiled = compile(rule);
  return compiled.ok ? null : { field: compiled.field, message: compiled.error };
}

/** Parses a rule for the slot engine; throws RangeError with validateRule's message when invalid. */
export function compileRule(rule: AvailabilityRuleInput): CompiledRule {
  const compiled = compile(rule);
  if (!compiled.ok) throw new RangeError(`invalid availability rule: ${compiled.error}`);
  return compiled.rule;
}

/**
 * A one-line English summary of a valid rule, e.g. "Every weekday, 9:00 AM - 5:00 PM"
 * or "Monthly on the 1st Saturday, 10:00 AM - 2:00 PM".
 */
export function summarizeRule(rule: AvailabilityRuleInput): string {
  const { RRule } = rrule;
  const options = RRule.parseString(rule.rrule.trim().replace(/^RRULE:/i, ''));
  const untilDay = rule.until ? parseIsoDate(rule.until) : null;
  if (untilDay !== null && (options.until == null || options.until.getTime() > untilDay * DAY_MS)) {
    // toText prints UNTIL from its UTC fields, so UTC midnight shows the local date.
    options.until = new Date(untilDay * DAY_MS);
  }
  const recurrence = new RRule(options)
    .toText()
    // "every month on ..." reads better as "Monthly on ..."; "every 2 weeks" stays.
    .replace(
      /^every (day|week|month)\b/,
      (_, unit: string) => ({ day: 'daily', week: 'weekly', month: 'monthly' })[unit] ?? unit,
    );
  const clock = (hhmm: string) =>
    DateTime.fromFormat(hhmm, 'HH:mm', { zone: 'UTC', locale: 'en-US' }).toFormat('h:mm a');
  return `${recurrence.charAt(0).toUpperCase()}${recurrence.slice(1)}, ${clock(rule.startTime)} - ${clock(rule.endTime)}`;
}
