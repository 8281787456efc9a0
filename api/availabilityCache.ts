import { createHash } from 'node:crypto';

/**
 * Finished availability answers (the JSON text), in this process's memory, keyed by a hash of everything the
 * answer is computed from except the time: the clinician's rules, preferences, time off and holds as read from
 * PostgreSQL for this very question, the service's duration, the range and the zone. The data is read on every
 * question, so a hold, a change of rules or time off committed before the question changes the key and is never
 * answered from an older entry: what is cached is only the slot computation and the JSON, the costly part.
 *
 * Time enters through minimum notice alone (a start is offered when start ≥ now + notice), and only removes
 * slots as it passes; an entry is therefore served only while its first slot is still far enough ahead, which
 * makes a cached answer identical to a fresh one. The TTL only bounds how long memory is held.
 */
export class AvailabilityCache {
  private readonly entries = new Map<string, { body: string; from: number; until: number }>();
  private bytes = 0;

  constructor(private readonly opts: { maxBytes: number; ttlMs: number }) {}

  /** The key of an answer computed from `inputs` (plain data: strings, numbers, dates, arrays, objects). */
  static keyOf(inputs: unknown): string {
    return createHash('sha256').update(JSON.stringify(inputs)).digest('base64url');
  }

  /** The answer stored under key, when it is still exactly what would be computed at `now`. */
  get(key: string, now: number): string | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (now < entry.from || now >= entry.until) {
      this.drop(key);
      return null;
    }
    return entry.body;
  }

  /**
   * Stores an answer computed at `computedAt`. `firstOfferedAt` is its earliest slot start minus the minimum
   * notice (the moment that slot would stop being offered), null when it offers nothing.
   */
  set(key: string, body: string, computedAt: number, firstOfferedAt: number | null): void {
    if (body.length > this.opts.maxBytes / 4) return;
    this.drop(key);
    const until = Math.min(
      computedAt + this.opts.ttlMs,
      firstOfferedAt === null ? Infinity : firstOfferedAt + 1,
    );
    if (until <= computedAt) return;
    this.entries.set(key, { body, from: computedAt, until });
    this.bytes += body.length;
    // Map order is insertion order: the oldest answers go first.
    for (const oldest of this.entries.keys()) {
      if (this.bytes <= this.opts.maxBytes) break;
      this.drop(oldest);
    }
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.bytes -= entry.body.length;
    this.entries.delete(key);
  }
}
