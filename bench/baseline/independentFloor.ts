import { Temporal } from 'temporal-polyfill';
import type { Slot, SlotQuery } from '../../scheduling';
import { rrule } from '../../scheduling/rrulePackage';
import { slotWriter } from '../peers/isoWriter';
import { temporalWindows } from '../peers/temporalWindows';

const MIN = 60_000;
const DAY = 86_400_000;

function earliestOf(q: SlotQuery): number {
  return Math.max(q.from.getTime(), q.now.getTime() + q.preferences.minimumNoticeHours * 3_600_000);
}

function write(q: SlotQuery, starts: readonly number[], fast: boolean): Slot[] {
  const out = slotWriter(q.timeZone, { fast });
  const duration = q.durationMinutes * MIN;
  const slots = new Array<Slot>(starts.length);
  for (let i = 0; i < starts.length; i++) slots[i] = out(starts[i], duration);
  return slots;
}

/**
 * A floor that shares no code with the engine: rrule-temporal enumerates the rules' occurrences (windows as
 * instants) over the range, then exactly the slots the engine returns (their starts found beforehand, outside
 * the timing) are written by the fast writer of bench/peers/isoWriter.ts (per-day prefixes, a minute table,
 * Temporal offsets). Any engine on this library must do at least this much. Benchmark-only.
 */
export function floorRruleTemporal(q: SlotQuery, starts: readonly number[]): Slot[] {
  occurrencesRruleTemporal(q);
  return write(q, starts, true);
}

/** The same floor writing with Date#toISOString, as plain code would: shows what writing alone costs. */
export function floorRruleTemporalPlainWriting(q: SlotQuery, starts: readonly number[]): Slot[] {
  occurrencesRruleTemporal(q);
  return write(q, starts, false);
}

/** The enumeration part of that floor alone, returning no slots: what the library costs before any output. */
export function occurrencesRruleTemporal(q: SlotQuery): Slot[] {
  const earliest = earliestOf(q);
  const end = q.to.getTime() + q.durationMinutes * MIN;
  for (const rule of q.rules) temporalWindows(rule, earliest, end);
  return [];
}

/**
 * The same floor with the rrule package enumerating: floating wall times (no TZID, so no dependence on the
 * process zone), each occurrence's start and end turned into instants with its zone's offset from Temporal.
 */
export function floorRrule(q: SlotQuery, starts: readonly number[]): Slot[] {
  const { RRule, datetime } = rrule;
  const earliest = earliestOf(q);
  const end = q.to.getTime() + q.durationMinutes * MIN;
  const windows: [number, number][] = [];
  for (const rule of q.rules) {
    const [y, m, d] = rule.startDate.split('-').map(Number);
    const [sh, sm] = rule.startTime.split(':').map(Number);
    const [eh, em] = rule.endTime.split(':').map(Number);
    const options = RRule.parseString(rule.rrule.replace(/^RRULE:/i, ''));
    if (rule.until) {
      const [uy, um, ud] = rule.until.split('-').map(Number);
      options.until = datetime(uy, um, ud, 23, 59, 59);
    }
    const recurrence = new RRule({ ...options, dtstart: datetime(y, m, d, sh, sm) });
    // Wall times differ from instants by at most a day, so a day's margin on each side finds every window.
    for (const wall of recurrence.between(new Date(earliest - DAY), new Date(end + DAY), true)) {
      const date = Temporal.PlainDate.from({
        year: wall.getUTCFullYear(),
        month: wall.getUTCMonth() + 1,
        day: wall.getUTCDate(),
      });
      const startsAt = date.toZonedDateTime({ timeZone: rule.timeZone, plainTime: { hour: sh, minute: sm } });
      const endsAt = date.toZonedDateTime({ timeZone: rule.timeZone, plainTime: { hour: eh, minute: em } });
      if (endsAt.epochMilliseconds > earliest && startsAt.epochMilliseconds < end)
        windows.push([startsAt.epochMilliseconds, endsAt.epochMilliseconds]);
    }
  }
  return write(q, starts, true);
}
