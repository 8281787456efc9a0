import { MINUTE_MS } from './calendar';
import { IsoFormatter } from './isoFormat';
import { offeredStarts } from './offeredStarts';
import type { AvailabilityRuleInput } from './rules';
import { zoneOffsets } from './zoneOffsets';

/** A half-open span of time [start, end). */
export interface Interval {
  start: Date;
  end: Date;
}

/** A clinician's booking settings that shape which starts are offered. */
export interface BookingPreferences {
  startTimeIntervalMinutes: number;
  minimumNoticeHours: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}

/** Everything that decides one clinician's slots for one service over [from, to). */
export interface SlotQuery {
  rules: AvailabilityRuleInput[];
  timeOff: Interval[];
  /** Scheduled appointments and pending requests. */
  busy: Interval[];
  preferences: BookingPreferences;
  durationMinutes: number;
  from: Date;
  to: Date;
  now: Date;
  /** Zone the local times of the output are given in (the client's). */
  timeZone: string;
}

/** An offered appointment time. */
export interface Slot {
  /** ISO 8601 UTC, e.g. 2026-03-09T13:00:00.000Z. */
  startsAt: string;
  endsAt: string;
  /** ISO 8601 with the offset of q.timeZone, e.g. 2026-03-09T09:00:00.000-04:00. */
  localStartsAt: string;
  localEndsAt: string;
}

/** The slots offered in [q.from, q.to), sorted by start, without duplicates (DESIGN.md §5). */
export function computeSlots(q: SlotQuery): Slot[] {
  const starts = offeredStarts(q, q.from.getTime(), q.to.getTime());
  const zone = zoneOffsets(q.timeZone);
  const duration = q.durationMinutes * MINUTE_MS;
  const slots = new Array<Slot>(starts.length);
  const [startUtc, endUtc, startLocal, endLocal] = [
    new IsoFormatter(),
    new IsoFormatter(),
    new IsoFormatter(),
    new IsoFormatter(),
  ];
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i];
    const end = start + duration;
    slots[i] = {
      startsAt: startUtc.utc(start),
      endsAt: endUtc.utc(end),
      localStartsAt: startLocal.withOffset(start, zone.offsetAt(start)),
      localEndsAt: endLocal.withOffset(end, zone.offsetAt(end)),
    };
  }
  return slots;
}

/**
 * Whether computeSlots(q) lists a slot starting at `startsAt`, decided by the
 * same code on the range [startsAt, startsAt + 1 ms), so listing, submitting and
 * approving can never disagree. A start outside [q.from, q.to) is not offered.
 */
export function isSlotOffered(q: SlotQuery, startsAt: Date): boolean {
  const start = startsAt.getTime();
  if (!(start >= q.from.getTime() && start < q.to.getTime())) return false;
  const starts = offeredStarts(q, start, start + 1);
  return starts.length === 1 && starts[0] === start;
}
