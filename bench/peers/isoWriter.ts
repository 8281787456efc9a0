import { Temporal } from 'temporal-polyfill';
import type { Slot } from '../../scheduling';

const DAY = 86_400_000;
const MIN = 60_000;

function suffix(offsetMinutes: number): string {
  const abs = Math.abs(offsetMinutes);
  return `${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

// "HH:mm:00.000" per minute of a day, for the fast writer: slots start on whole minutes.
const CLOCK = Array.from({ length: 1440 }, (_, m) => {
  const hh = String(Math.floor(m / 60)).padStart(2, '0');
  return `${hh}:${String(m % 60).padStart(2, '0')}:00.000`;
});

/** Wall-clock ISO text without zone (…THH:mm:ss.sss), plainly or from per-day prefixes and a minute table. */
function wallText(fast: boolean) {
  const prefixes = new Map<number, string>();
  return (wallMs: number): string => {
    if (!fast || wallMs % MIN !== 0) return new Date(wallMs).toISOString().slice(0, -1);
    const day = Math.floor(wallMs / DAY);
    let prefix = prefixes.get(day);
    if (prefix === undefined) {
      prefix = new Date(day * DAY).toISOString().slice(0, 11);
      prefixes.set(day, prefix);
    }
    return prefix + CLOCK[(wallMs - day * DAY) / MIN];
  };
}

/**
 * Writes slots in the engine's output shape without any of the engine's code. UTC and local text come from
 * Date#toISOString, or with `fast` from a per-day prefix and a table of the day's minutes (the least work
 * writing can cost, for the floors); the zone's offset comes from the Temporal polyfill, asked again only
 * when an instant falls outside the span from the last instant asked about to the zone's next transition
 * (slots come in ascending order). Benchmark-only.
 */
export function slotWriter(timeZone: string, opts: { fast?: boolean } = {}) {
  let validFrom = Number.POSITIVE_INFINITY;
  let validUntil = Number.NEGATIVE_INFINITY;
  let minutes = 0;
  let text = suffix(0);
  const offsetAt = (ms: number): number => {
    if (ms < validFrom || ms >= validUntil) {
      const zoned = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone);
      minutes = zoned.offsetNanoseconds / 60e9;
      text = suffix(minutes);
      validFrom = ms;
      validUntil = zoned.getTimeZoneTransition('next')?.epochMilliseconds ?? Number.POSITIVE_INFINITY;
    }
    return minutes;
  };
  const wall = wallText(opts.fast ?? false);
  const local = (ms: number): string => {
    const offset = offsetAt(ms);
    return wall(ms + offset * MIN) + text;
  };
  return (start: number, durationMs: number): Slot => ({
    startsAt: `${wall(start)}Z`,
    endsAt: `${wall(start + durationMs)}Z`,
    localStartsAt: local(start),
    localEndsAt: local(start + durationMs),
  });
}
