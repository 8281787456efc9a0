import { getSlots, type InputSlot } from 'slot-calculator';
import type { Slot, SlotQuery } from '../../scheduling';
import { temporalWindows } from './temporalWindows';

const MIN = 60_000;
const DAY_NAMES: Record<string, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Our query in slot-calculator's terms. A plain weekly BYDAY rule that began before the range becomes its
 * native weekday availability ({ day, from, to, timezone }); any other rule (monthly, INTERVAL, until) is
 * expanded by rrule-temporal into dated windows, since slot-calculator has no recurrence of its own. It has
 * no buffers, notice or start grid: busy time is padded by both buffers on each side (the same test as the
 * engine's), notice moves `from`, and `to` is pushed out by the duration because slot-calculator bounds a
 * slot's end where we bound its start (slots starting at or after q.to are dropped afterwards).
 */
export function slotCalculatorConfig(q: SlotQuery): Parameters<typeof getSlots>[0] {
  const p = q.preferences;
  const earliest = Math.max(q.from.getTime(), q.now.getTime() + p.minimumNoticeHours * 3_600_000);
  const end = q.to.getTime() + q.durationMinutes * MIN;
  const fromDate = iso(earliest).slice(0, 10);
  const availability: InputSlot[] = [];
  for (const rule of q.rules) {
    const weekly =
      /^(?:RRULE:)?FREQ=WEEKLY;BYDAY=((?:MO|TU|WE|TH|FR|SA|SU)(?:,(?:MO|TU|WE|TH|FR|SA|SU))*)$/i.exec(
        rule.rrule.trim(),
      );
    if (weekly && !rule.until && rule.startDate < fromDate) {
      for (const code of weekly[1].toUpperCase().split(','))
        availability.push({
          day: DAY_NAMES[code],
          from: rule.startTime,
          to: rule.endTime,
          timezone: rule.timeZone,
        });
    } else {
      for (const w of temporalWindows(rule, earliest, end))
        availability.push({ from: iso(w.start), to: iso(w.end) });
    }
  }
  const pad = (p.bufferBeforeMinutes + p.bufferAfterMinutes) * MIN;
  const unavailability: InputSlot[] = [
    ...q.busy.map((b) => ({ from: iso(b.start.getTime() - pad), to: iso(b.end.getTime() + pad) })),
    ...q.timeOff.map((o) => ({ from: iso(o.start.getTime()), to: iso(o.end.getTime()) })),
  ];
  return {
    from: iso(earliest),
    to: iso(end),
    availability,
    unavailability,
    duration: q.durationMinutes,
    outputTimezone: q.timeZone,
  };
}

/** slot-calculator's available slots for our query, in the engine's output shape. Benchmark-only. */
export function slotCalculatorSlots(q: SlotQuery): Slot[] {
  const { availableSlots } = getSlots(slotCalculatorConfig(q));
  const to = q.to.getTime();
  const slots: Slot[] = [];
  for (const s of availableSlots) {
    const start = Date.parse(s.from);
    if (start >= to) continue;
    slots.push({
      startsAt: iso(start),
      endsAt: iso(Date.parse(s.to)),
      localStartsAt: s.from,
      localEndsAt: s.to,
    });
  }
  return slots;
}
