import type { Slot, SlotQuery } from '../../scheduling';
import { slotWriter } from './isoWriter';
import { temporalWindows, type TemporalWindow } from './temporalWindows';

const MIN = 60_000;

/** Sorted, merged [start, end) pairs, so a forward-moving pointer answers "does [s, e) overlap any?". */
function merged(intervals: [number, number][]): { start: number[]; end: number[] } {
  intervals.sort((a, b) => a[0] - b[0]);
  const out = { start: [] as number[], end: [] as number[] };
  for (const [s, e] of intervals) {
    if (!(s < e)) continue;
    const last = out.end.length - 1;
    if (last >= 0 && s <= out.end[last]) out.end[last] = Math.max(out.end[last], e);
    else {
      out.start.push(s);
      out.end.push(e);
    }
  }
  return out;
}

/** Grid instants of a window: local wall times that are multiples of `step` minutes after local midnight. */
function* gridStarts(w: TemporalWindow, step: number): Generator<number> {
  const first = Math.ceil(w.startMinute / step) * step;
  const sameOffset =
    w.zoned.offsetNanoseconds ===
    w.zoned.withPlainTime({ hour: Math.floor(w.endMinute / 60), minute: w.endMinute % 60 }).offsetNanoseconds;
  if (sameOffset) {
    for (let minute = first; minute < w.endMinute; minute += step)
      yield w.start + (minute - w.startMinute) * MIN;
    return;
  }
  // A clock change inside the window: ask Temporal for each wall time, skipping ones that do not exist.
  for (let minute = first; minute < w.endMinute; minute += step) {
    const hour = Math.floor(minute / 60);
    const zoned = w.zoned.withPlainTime({ hour, minute: minute % 60 });
    if (zoned.hour === hour && zoned.minute === minute % 60) yield zoned.epochMilliseconds;
  }
}

/**
 * The slot computation a team would write on rrule-temporal, the fastest RRULE expansion on npm: its
 * occurrences per rule, a grid per window, each candidate checked against sorted merged time off and
 * padded busy time with forward pointers, and the slots written by plain Date/Temporal code. Same
 * semantics as the engine except that a slot must fit inside one rule's window (the engine also accepts
 * a slot spanning two overlapping or touching windows of different rules). Benchmark-only.
 */
export function rruleTemporalSlots(q: SlotQuery): Slot[] {
  const from = q.from.getTime();
  const to = q.to.getTime();
  const p = q.preferences;
  const duration = q.durationMinutes * MIN;
  const earliest = Math.max(from, q.now.getTime() + p.minimumNoticeHours * 3_600_000);
  if (!(earliest < to)) return [];
  const before = p.bufferBeforeMinutes * MIN;
  const after = p.bufferAfterMinutes * MIN;
  // A slot padded by the buffers overlaps busy time padded the same way exactly when the slot overlaps
  // busy time padded by both buffers on each side.
  const busy = merged(
    q.busy
      .filter((b) => b.start.getTime() - before < b.end.getTime() + after)
      .map((b) => [b.start.getTime() - before - after, b.end.getTime() + before + after]),
  );
  const off = merged(q.timeOff.map((o) => [o.start.getTime(), o.end.getTime()]));
  const starts: number[] = [];
  for (const rule of q.rules) {
    let b = 0;
    let o = 0;
    for (const w of temporalWindows(rule, earliest, to + duration)) {
      for (const s of gridStarts(w, p.startTimeIntervalMinutes)) {
        const e = s + duration;
        if (s < earliest || s >= to || e > w.end) continue;
        while (b < busy.end.length && busy.end[b] <= s) b++;
        if (b < busy.start.length && busy.start[b] < e) continue;
        while (o < off.end.length && off.end[o] <= s) o++;
        if (o < off.start.length && off.start[o] < e) continue;
        starts.push(s);
      }
    }
  }
  if (q.rules.length > 1) starts.sort((x, y) => x - y);
  const write = slotWriter(q.timeZone);
  const slots: Slot[] = [];
  for (let i = 0; i < starts.length; i++) {
    if (i > 0 && starts[i] === starts[i - 1]) continue;
    slots.push(write(starts[i], duration));
  }
  return slots;
}
