import { DateTime } from 'luxon';
import type { Slot, SlotQuery } from '../../scheduling';
import { rrule } from '../../scheduling/rrulePackage';

const MIN = 60_000;
const DAY = 86_400_000;

/**
 * The straightforward slot computation the engine is measured against: rrule's
 * between() with TZID for every query, a luxon DateTime per candidate, and every
 * candidate checked against every busy interval and time off. Benchmark-only.
 * rrule returns real instants for a TZID only when the process runs in UTC, so
 * the benchmark sets TZ=UTC; whole windows only (no merging across rules).
 */
export function baselineSlots(q: SlotQuery): Slot[] {
  const { RRule, datetime } = rrule;
  const from = q.from.getTime();
  const to = q.to.getTime();
  const earliest = q.now.getTime() + q.preferences.minimumNoticeHours * 3_600_000;
  const step = q.preferences.startTimeIntervalMinutes;
  const before = q.preferences.bufferBeforeMinutes * MIN;
  const after = q.preferences.bufferAfterMinutes * MIN;
  const found = new Map<number, Slot>();
  for (const rule of q.rules) {
    const [y, m, d] = rule.startDate.split('-').map(Number);
    const [sh, sm] = rule.startTime.split(':').map(Number);
    const [eh, em] = rule.endTime.split(':').map(Number);
    const options = RRule.parseString(rule.rrule.replace(/^RRULE:/, ''));
    if (rule.until) {
      const [uy, um, ud] = rule.until.split('-').map(Number);
      options.until = datetime(uy, um, ud, 23, 59, 59);
    }
    const recurrence = new RRule({ ...options, dtstart: datetime(y, m, d, sh, sm), tzid: rule.timeZone });
    for (const occurrence of recurrence.between(new Date(from - DAY), new Date(to + DAY), true)) {
      const dayStart = DateTime.fromJSDate(occurrence, { zone: rule.timeZone }).startOf('day');
      const windowStart = dayStart.set({ hour: sh, minute: sm });
      const windowEnd = dayStart.set({ hour: eh, minute: em });
      for (let minute = Math.ceil((sh * 60 + sm) / step) * step; minute < eh * 60 + em; minute += step) {
        const start = dayStart.set({ hour: Math.floor(minute / 60), minute: minute % 60 });
        const end = start.plus({ minutes: q.durationMinutes });
        const s = start.toMillis();
        const e = end.toMillis();
        if (start < windowStart || end > windowEnd || s < from || s >= to || s < earliest) continue;
        if (q.timeOff.some((o) => o.start.getTime() < e && s < o.end.getTime())) continue;
        if (
          q.busy.some((b) => b.start.getTime() - before < e + after && s - before < b.end.getTime() + after)
        )
          continue;
        found.set(s, {
          startsAt: start.toUTC().toISO()!,
          endsAt: end.toUTC().toISO()!,
          localStartsAt: start.setZone(q.timeZone).toISO()!,
          localEndsAt: end.setZone(q.timeZone).toISO()!,
        });
      }
    }
  }
  return [...found.entries()].sort((a, b) => a[0] - b[0]).map(([, slot]) => slot);
}
