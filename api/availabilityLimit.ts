import { isIPv6 } from 'node:net';
import type { Clock } from '../lib/clock';
import { ProblemError } from './errors';

// Past this many tracked addresses, full buckets (nothing to remember) are dropped, then the longest-untouched
// down to 90%, so rotating addresses cannot grow the map without bound and sweeps stay rare.
const TRACKED_ADDRESSES = 50_000;

/**
 * The network a request comes from, as the limit counts it: an IPv4 address, or the /64 of an IPv6 one (one
 * subscriber's prefix; an attacker who holds one has 2^64 addresses to rotate through).
 */
export function networkOf(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head, tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/**
 * Token bucket per network address, in this process's memory: each address may spend `perMinute` tokens a
 * minute, saved up to a minute's worth. Memory rather than PostgreSQL because the endpoint only reads: a limit
 * that wrote a row per question would add a write to the product's hottest read, and forgetting the buckets on a
 * restart costs nothing. With N API processes (API_PROCESSES, or a balancer in front) an address gets up to N times
 * the budget, which still bounds the work each process does for it (test/app/apiCluster.test.ts).
 */
export class AvailabilityLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly capacity: number;

  constructor(
    private readonly clock: Clock,
    private readonly perMinute: number,
  ) {
    this.capacity = perMinute;
  }

  /** Spends `cost` tokens of the address's bucket, or throws 429 with the seconds until it could. */
  take(address: string, cost: number): void {
    if (this.perMinute <= 0) return;
    const key = networkOf(address);
    const now = this.clock.now().getTime();
    const rate = this.perMinute / 60_000;
    const bucket = this.buckets.get(key);
    const tokens = bucket
      ? Math.min(this.capacity, bucket.tokens + Math.max(0, now - bucket.at) * rate)
      : this.capacity;
    // A question dearer than a whole bucket is charged a whole bucket, so it stays possible once a minute.
    const price = Math.min(cost, this.capacity);
    if (tokens < price) {
      this.buckets.set(key, { tokens, at: now });
      throw tooManyQuestions(Math.max(1, Math.ceil((price - tokens) / rate / 1000)));
    }
    this.buckets.delete(key);
    this.buckets.set(key, { tokens: tokens - price, at: now });
    if (this.buckets.size > TRACKED_ADDRESSES) this.sweep(now, rate);
  }

  private sweep(now: number, rate: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.at) * rate >= this.capacity) this.buckets.delete(key);
    }
    // Map order is least recently charged first.
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= TRACKED_ADDRESSES * 0.9) break;
      this.buckets.delete(key);
    }
  }
}

function tooManyQuestions(seconds: number): ProblemError {
  return new ProblemError(
    429,
    'RATE_LIMITED',
    'Too many questions',
    'Too many availability questions from this network. Please wait a moment and try again.',
    {},
    { 'Retry-After': String(seconds) },
  );
}
