import { IANAZone } from 'luxon';
import { DAY_MS, MINUTE_MS } from './calendar';

// Offsets are sampled this far apart and bisected where they differ; no IANA
// zone changes its offset twice within six hours.
const SAMPLE_MS = 6 * 3_600_000;
// Extend the known range in generous steps so a query costs Intl calls once.
const EXTEND_MS = 64 * DAY_MS;
// Wall-clock offsets lie within UTC-12 .. UTC+14; a local time's instant is this close.
const MAX_OFFSET_MS = 16 * 3_600_000;

/**
 * One IANA zone's UTC offsets as a sorted list of transitions, learnt from luxon
 * (Intl) once per range and then answered by binary search in epoch ms, so the
 * slot engine needs no DateTime object per candidate.
 */
export class ZoneOffsets {
  private readonly zone: IANAZone;
  private from = 0;
  private to = 0;
  private baseOffset = 0;
  private at: number[] = [];
  private offsets: number[] = [];

  constructor(readonly name: string) {
    this.zone = IANAZone.create(name);
    if (!this.zone.isValid) throw new RangeError(`unknown time zone "${name}"`);
  }

  /** The zone's UTC offset in minutes at an instant. */
  offsetAt(ts: number): number {
    this.cover(ts, ts + 1);
    const i = this.lastTransitionAtOrBefore(ts);
    return i < 0 ? this.baseOffset : this.offsets[i];
  }

  /** Wall-clock time at an instant, as epoch ms of the same wall time in UTC. */
  wallAt(ts: number): number {
    return ts + this.offsetAt(ts) * MINUTE_MS;
  }

  /** The offset in minutes when it does not change in [start, end), else undefined. */
  constantOffset(start: number, end: number): number | undefined {
    this.cover(start, end);
    const i = this.lastTransitionAtOrBefore(start);
    if (i + 1 < this.at.length && this.at[i + 1] < end) return undefined;
    return i < 0 ? this.baseOffset : this.offsets[i];
  }

  /**
   * The first instant whose wall-clock time is at or after `local` (a wall time
   * as epoch ms in UTC). That is the instant of an existing local time, the
   * earlier instant of an ambiguous one, and the end of the gap for a local time
   * skipped by a spring-forward change.
   */
  resolveLocal(local: number): number {
    const lo = local - MAX_OFFSET_MS;
    const hi = local + MAX_OFFSET_MS;
    this.cover(lo, hi);
    let i = this.lastTransitionAtOrBefore(lo);
    let segmentStart = lo;
    let offset = i < 0 ? this.baseOffset : this.offsets[i];
    for (i++; i < this.at.length && this.at[i] <= hi; i++) {
      // Within a segment of constant offset the wall clock runs with real time.
      const candidate = Math.max(segmentStart, local - offset * MINUTE_MS);
      if (candidate < this.at[i]) return candidate;
      segmentStart = this.at[i];
      offset = this.offsets[i];
    }
    return Math.max(segmentStart, local - offset * MINUTE_MS);
  }

  private lastTransitionAtOrBefore(ts: number): number {
    let lo = 0;
    let hi = this.at.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at[mid] <= ts) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  private cover(start: number, end: number): void {
    if (this.to > this.from) {
      if (start >= this.from && end <= this.to) return;
      if (start < this.from) {
        const from = Math.floor((start - EXTEND_MS) / DAY_MS) * DAY_MS;
        const earlier = this.learn(from, this.from);
        this.at = earlier.at.concat(this.at);
        this.offsets = earlier.offsets.concat(this.offsets);
        this.from = from;
        this.baseOffset = this.zone.offset(from);
      }
      if (end > this.to) {
        const to = Math.ceil((end + EXTEND_MS) / DAY_MS) * DAY_MS;
        const later = this.learn(this.to, to);
        this.at = this.at.concat(later.at);
        this.offsets = this.offsets.concat(later.offsets);
        this.to = to;
      }
      return;
    }
    this.from = Math.floor((start - EXTEND_MS) / DAY_MS) * DAY_MS;
    this.to = Math.ceil((end + EXTEND_MS) / DAY_MS) * DAY_MS;
    this.baseOffset = this.zone.offset(this.from);
    ({ at: this.at, offsets: this.offsets } = this.learn(this.from, this.to));
  }

  // Transitions in (from, to]; both bounds are whole days, so whole sample steps apart.
  private learn(from: number, to: number): { at: number[]; offsets: number[] } {
    const at: number[] = [];
    const offsets: number[] = [];
    let previous = this.zone.offset(from);
    for (let t = from + SAMPLE_MS; t <= to; t += SAMPLE_MS) {
      const current = this.zone.offset(t);
      if (current !== previous) {
        at.push(this.firstChange(t - SAMPLE_MS, t, previous));
        offsets.push(current);
        previous = current;
      }
    }
    return { at, offsets };
  }

  // Transitions fall on whole seconds; bisect to the first second with the new offset.
  private firstChange(before: number, after: number, oldOffset: number): number {
    let lo = before;
    let hi = after;
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (this.zone.offset(mid) === oldOffset) lo = mid;
      else hi = mid;
    }
    return hi;
  }
}

const cache = new Map<string, ZoneOffsets>();

/** The shared, lazily filled offset table of an IANA zone (throws RangeError for an unknown zone). */
export function zoneOffsets(name: string): ZoneOffsets {
  let table = cache.get(name);
  if (table === undefined) {
    table = new ZoneOffsets(name);
    cache.set(name, table);
  }
  return table;
}
