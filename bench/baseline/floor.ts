import type { Slot, SlotQuery } from '../../scheduling';
import { MINUTE_MS } from '../../scheduling/calendar';
import { IsoFormatter } from '../../scheduling/isoFormat';
import { ruleWindows } from '../../scheduling/occurrences';
import { compileRule } from '../../scheduling/rules';
import { zoneOffsets } from '../../scheduling/zoneOffsets';

function emit(q: SlotQuery, starts: Iterable<number>): Slot[] {
  const duration = q.durationMinutes * MINUTE_MS;
  const zone = zoneOffsets(q.timeZone);
  const [startUtc, endUtc, startLocal, endLocal] = [
    new IsoFormatter(),
    new IsoFormatter(),
    new IsoFormatter(),
    new IsoFormatter(),
  ];
  const slots: Slot[] = [];
  for (const s of starts) {
    slots.push({
      startsAt: startUtc.utc(s),
      endsAt: endUtc.utc(s + duration),
      localStartsAt: startLocal.withOffset(s, zone.offsetAt(s)),
      localEndsAt: endLocal.withOffset(s + duration, zone.offsetAt(s + duration)),
    });
  }
  return slots;
}

function* gridStarts(q: SlotQuery): Generator<number> {
  const from = q.from.getTime();
  const to = q.to.getTime();
  const duration = q.durationMinutes * MINUTE_MS;
  const step = q.preferences.startTimeIntervalMinutes * MINUTE_MS;
  for (const rule of q.rules) {
    for (const w of ruleWindows(compileRule(rule), from, to)) {
      const base = w.localMidnight - w.zone.offsetAt(w.start) * MINUTE_MS;
      for (
        let s = base + Math.ceil((Math.max(w.start, from) - base) / step) * step;
        s + duration <= w.end && s < to;
        s += step
      )
        yield s;
    }
  }
}

/**
 * A floor for any slot engine: enumerate the rules' occurrences and emit a slot
 * for every grid time that fits its window, checking nothing else (no busy time,
 * time off or notice), so it emits more slots than the engine. Benchmark-only.
 */
export function floorAllGridSlots(q: SlotQuery): Slot[] {
  return emit(q, gridStarts(q));
}

/**
 * The tightest floor: enumerate the rules' occurrences, then emit exactly the
 * slots the engine returns (their starts found beforehand, outside the timing).
 */
export function floorSameOutput(q: SlotQuery, starts: number[]): Slot[] {
  for (const rule of q.rules) ruleWindows(compileRule(rule), q.from.getTime(), q.to.getTime());
  return emit(q, starts);
}
