import { blockedStarts } from './blockedStarts';
import { HOUR_MS, MINUTE_MS } from './calendar';
import { mergeIntervals, subtractIntervals, type IntervalList } from './intervals';
import { ruleWindows, type OccurrenceWindow } from './occurrences';
import { compileRule, type AvailabilityRuleInput } from './rules';

/** What the slot engine needs to know; the public SlotQuery is this shape. */
export interface StartsQuery {
  rules: AvailabilityRuleInput[];
  timeOff: { start: Date; end: Date }[];
  busy: { start: Date; end: Date }[];
  preferences: {
    startTimeIntervalMinutes: number;
    minimumNoticeHours: number;
    bufferBeforeMinutes: number;
    bufferAfterMinutes: number;
  };
  durationMinutes: number;
  now: Date;
}

function requireNumber(name: string, value: number, min: number, integer: boolean): void {
  if (!(Number.isFinite(value) && value >= min && (!integer || Number.isInteger(value)))) {
    throw new RangeError(`${name} must be ${integer ? 'a whole number' : 'a number'} ≥ ${min}, not ${value}`);
  }
}

/**
 * The offered slot starts in [from, to) as sorted, distinct epoch ms: the one
 * code path behind both listing slots and accepting one. Work is a sweep over
 * sorted windows, free time and blocked starts, in plain numbers.
 */
export function offeredStarts(q: StartsQuery, from: number, to: number): number[] {
  const p = q.preferences;
  requireNumber('durationMinutes', q.durationMinutes, 1, true);
  requireNumber('startTimeIntervalMinutes', p.startTimeIntervalMinutes, 1, true);
  requireNumber('minimumNoticeHours', p.minimumNoticeHours, 0, false);
  requireNumber('bufferBeforeMinutes', p.bufferBeforeMinutes, 0, true);
  requireNumber('bufferAfterMinutes', p.bufferAfterMinutes, 0, true);
  const duration = q.durationMinutes * MINUTE_MS;
  // Notice is real elapsed time, so it is added to the instant, never to a wall clock.
  const earliest = Math.max(from, q.now.getTime() + p.minimumNoticeHours * HOUR_MS);
  const out: number[] = [];
  if (!(earliest < to)) return out;

  // A slot starting before `to` may run into windows up to `to + duration`.
  const windows: OccurrenceWindow[] = [];
  for (const rule of q.rules) {
    for (const w of ruleWindows(compileRule(rule), earliest, to + duration)) windows.push(w);
  }
  if (windows.length === 0) return out;
  windows.sort((a, b) => a.start - b.start);
  const timeOff = mergeIntervals(q.timeOff.map((i) => ({ start: i.start.getTime(), end: i.end.getTime() })));
  const free: IntervalList = subtractIntervals(mergeIntervals(windows), timeOff);
  const blocked = blockedStarts(
    q.busy,
    duration,
    p.bufferBeforeMinutes * MINUTE_MS,
    p.bufferAfterMinutes * MINUTE_MS,
  );

  // Candidates arrive in ascending order, so both pointers only move forward.
  let f = 0;
  let b = 0;
  const consider = (s: number): void => {
    while (f < free.start.length && free.end[f] <= s) f++;
    if (f === free.start.length || free.start[f] > s || s + duration > free.end[f]) return;
    while (b < blocked.start.length && blocked.end[b] <= s) b++;
    if (b < blocked.start.length && blocked.start[b] < s) return;
    out.push(s);
  };

  const step = p.startTimeIntervalMinutes;
  for (let i = 0; i < windows.length;) {
    let j = i + 1;
    let clusterEnd = windows[i].end;
    while (j < windows.length && windows[j].start < clusterEnd) {
      clusterEnd = Math.max(clusterEnd, windows[j].end);
      j++;
    }
    if (j === i + 1) {
      gridStarts(windows[i], step, earliest, to, consider);
    } else {
      // Overlapping windows of several rules may lay different grids (zones):
      // pool their candidates, then visit them in order, once each.
      const pool: number[] = [];
      const collect = (s: number): void => void pool.push(s);
      for (let k = i; k < j; k++) gridStarts(windows[k], step, earliest, to, collect);
      pool.sort((x, y) => x - y);
      for (let k = 0; k < pool.length; k++) if (k === 0 || pool[k] !== pool[k - 1]) consider(pool[k]);
    }
    i = j;
  }
  return out;
}

/**
 * Visits, in ascending order, the instants in window ∩ [from, to) whose local
 * wall time (in the window's zone) is a multiple of `step` minutes after
 * midnight. A local time that does not exist is skipped; an ambiguous one
 * counts once, at its earlier instant.
 */
function gridStarts(
  w: OccurrenceWindow,
  step: number,
  from: number,
  to: number,
  visit: (s: number) => void,
): void {
  const lo = Math.max(w.start, from);
  const hi = Math.min(w.end, to);
  if (lo >= hi) return;
  const offset = w.zone.constantOffset(w.start, w.end);
  if (offset !== undefined) {
    // No clock change inside the window: grid instants are evenly spaced.
    const base = w.localMidnight - offset * MINUTE_MS;
    const stepMs = step * MINUTE_MS;
    for (let s = base + Math.ceil((lo - base) / stepMs) * stepMs; s < hi; s += stepMs) visit(s);
    return;
  }
  for (let minute = Math.ceil(w.startMinute / step) * step; minute < w.endMinute; minute += step) {
    const local = w.localMidnight + minute * MINUTE_MS;
    const s = w.zone.resolveLocal(local);
    if (w.zone.wallAt(s) !== local) continue;
    if (s >= lo && s < hi) visit(s);
  }
}
