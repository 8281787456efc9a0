import { Temporal } from 'temporal-polyfill';
import type { Slot } from '../../scheduling';

function suffix(offsetMinutes: number): string {
  const abs = Math.abs(offsetMinutes);
  return `${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * Writes slots in the engine's output shape without any of the engine's code: Date#toISOString for UTC, and
 * the zone's offset from the Temporal polyfill, asked again only when an instant falls outside the span from
 * the last instant asked about to the zone's next transition (slots come in ascending order), so the writer is as cheap as plain code gets.
 * Benchmark-only.
 */
export function slotWriter(timeZone: string) {
  let validFrom = Number.POSITIVE_INFINITY;
  let validUntil = Number.NEGATIVE_INFINITY;
  let minutes = 0;
  const offsetAt = (ms: number): number => {
    if (ms < validFrom || ms >= validUntil) {
      const zoned = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone);
      minutes = zoned.offsetNanoseconds / 60e9;
      validFrom = ms;
      validUntil = zoned.getTimeZoneTransition('next')?.epochMilliseconds ?? Number.POSITIVE_INFINITY;
    }
    return minutes;
  };
  const local = (ms: number): string => {
    const offset = offsetAt(ms);
    return new Date(ms + offset * 60_000).toISOString().slice(0, -1) + suffix(offset);
  };
  return (start: number, durationMs: number): Slot => ({
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(start + durationMs).toISOString(),
    localStartsAt: local(start),
    localEndsAt: local(start + durationMs),
  });
}
