import { DAY_MS, MINUTE_MS } from './calendar';

// "HH:mm:00.000" for every minute of a day: slot times are whole minutes.
const TIMES_OF_DAY = Array.from(
  { length: 1440 },
  (_, m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00.000`,
);
const suffixes = new Map<number, string>();

function offsetSuffix(offsetMinutes: number): string {
  let suffix = suffixes.get(offsetMinutes);
  if (suffix === undefined) {
    const abs = Math.round(Math.abs(offsetMinutes));
    suffix = `${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    suffixes.set(offsetMinutes, suffix);
  }
  return suffix;
}

/** ISO 8601 in UTC with a "Z", e.g. 2026-03-09T13:00:00.000Z. */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}

/** ISO 8601 wall time with its offset as ±HH:MM (never "Z"), e.g. 2026-03-09T09:00:00.000-04:00. */
export function isoWithOffset(ms: number, offsetMinutes: number): string {
  return new Date(ms + offsetMinutes * MINUTE_MS).toISOString().slice(0, -1) + offsetSuffix(offsetMinutes);
}

/**
 * Formats a stream of mostly ascending whole-minute instants exactly as isoUtc
 * and isoWithOffset do, about 20x faster: Date#toISOString dominated the cost of
 * listing slots, so the date part is kept while the day repeats and the time of
 * day comes from a table. Use one formatter per stream.
 */
export class IsoFormatter {
  private day = Number.NaN;
  private prefix = '';

  /** Same as isoUtc(ms). */
  utc(ms: number): string {
    return this.wall(ms, 'Z');
  }

  /** Same as isoWithOffset(ms, offsetMinutes). */
  withOffset(ms: number, offsetMinutes: number): string {
    return this.wall(ms + offsetMinutes * MINUTE_MS, offsetSuffix(offsetMinutes));
  }

  private wall(wallMs: number, suffix: string): string {
    const day = Math.floor(wallMs / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    }
    const rest = wallMs - day * DAY_MS;
    if (rest % MINUTE_MS !== 0) return new Date(wallMs).toISOString().slice(0, -1) + suffix;
    return this.prefix + TIMES_OF_DAY[rest / MINUTE_MS] + suffix;
  }
}
