import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import {
  computeSlots,
  isSlotOffered,
  occurrenceWindows,
  type AvailabilityRuleInput,
  type SlotQuery,
} from '../../scheduling';
import { rrule } from '../../scheduling/rrulePackage';

const MIN = 60_000;
const DAY = 86_400_000;

// Days around every 2026 clock change the examples use, plus a quiet one.
const BASE_DAYS = [
  '2026-03-07',
  '2026-03-28',
  '2026-04-04',
  '2026-06-15',
  '2026-10-03',
  '2026-10-24',
  '2026-10-31',
];
const ZONES = [
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe',
  'America/Los_Angeles',
  'Asia/Kolkata',
  'UTC',
];
const RRULES = [
  'FREQ=DAILY',
  'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
  'FREQ=WEEKLY;BYDAY=SA,SU',
  'FREQ=DAILY;INTERVAL=2',
  'FREQ=MONTHLY;BYDAY=1SA,1SU,-1SU',
  'FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,MO,WE',
  'FREQ=DAILY;COUNT=30',
];

const minuteAligned = (ms: number) => Math.floor(ms / MIN) * MIN;

const ruleArb = (zone: fc.Arbitrary<string>, base: number) =>
  fc
    .record({
      rrule: fc.constantFrom(...RRULES),
      startOffsetDays: fc.integer({ min: -20, max: 2 }),
      untilDays: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
      // Early-morning windows meet the clock changes; 5-minute steps meet odd grids.
      start: fc.oneof(
        fc.integer({ min: 0, max: 48 }).map((n) => n * 5),
        fc.integer({ min: 0, max: 280 }).map((n) => n * 5),
      ),
      length: fc.oneof(fc.integer({ min: 2, max: 36 }), fc.integer({ min: 36, max: 160 })).map((n) => n * 5),
      timeZone: zone,
    })
    .map(({ rrule: text, startOffsetDays, untilDays, start, length, timeZone }): AvailabilityRuleInput => {
      const end = Math.min(start + length, 23 * 60 + 59);
      const hhmm = (m: number) =>
        `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
      const date = (d: number) => new Date(base + d * DAY).toISOString().slice(0, 10);
      return {
        rrule: text,
        startDate: date(startOffsetDays),
        until: untilDays === null ? null : date(startOffsetDays + untilDays),
        startTime: hhmm(start),
        endTime: hhmm(end),
        timeZone,
      };
    });

const queryArb: fc.Arbitrary<SlotQuery> = fc
  .record({
    base: fc.constantFrom(...BASE_DAYS),
    zone: fc.constantFrom(...ZONES),
    otherZone: fc.constantFrom(...ZONES),
  })
  .chain(({ base, zone, otherZone }) => {
    const baseMs = Date.parse(`${base}T00:00:00Z`);
    const interval = (maxStart: number, maxLength: number, aligned: boolean) =>
      fc
        .record({
          start: fc.integer({ min: -DAY, max: maxStart }),
          length: fc.integer({ min: 0, max: maxLength }),
        })
        .map(({ start, length }) => {
          const s = baseMs + (aligned ? minuteAligned(start) : start);
          return { start: new Date(s), end: new Date(s + (aligned ? minuteAligned(length) : length)) };
        });
    return fc
      .record({
        rules: fc.array(
          ruleArb(
            fc.oneof(
              { weight: 4, arbitrary: fc.constant(zone) },
              { weight: 1, arbitrary: fc.constant(otherZone) },
            ),
            baseMs,
          ),
          {
            minLength: 1,
            maxLength: 3,
          },
        ),
        timeOff: fc.array(interval(3 * DAY, 6 * 3_600_000, true), { maxLength: 2 }),
        busy: fc.array(
          fc.oneof(interval(3 * DAY, 3 * 3_600_000, true), interval(3 * DAY, 3 * 3_600_000, false)),
          { maxLength: 16 },
        ),
        preferences: fc.record({
          startTimeIntervalMinutes: fc.constantFrom(5, 10, 15, 20, 30, 45, 60, 7),
          minimumNoticeHours: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constantFrom(0.5, 1.5, 24, 48)),
          bufferBeforeMinutes: fc.constantFrom(0, 5, 10, 15, 30),
          bufferAfterMinutes: fc.constantFrom(0, 5, 10, 15, 30),
        }),
        durationMinutes: fc.constantFrom(15, 30, 45, 50, 60, 90, 7),
        from: fc.integer({ min: -12 * 60, max: 24 * 60 }).map((m) => new Date(baseMs + m * MIN)),
        span: fc.oneof(fc.integer({ min: 1, max: 12 * 60 }), {
          weight: 3,
          arbitrary: fc.integer({ min: 24 * 60, max: 3 * 24 * 60 }),
        }),
        nowShift: fc.integer({ min: -3 * 24 * 60, max: 12 * 60 }),
        timeZone: fc.constantFrom(...ZONES),
      })
      .map(({ span, nowShift, ...q }) => ({
        ...q,
        to: new Date(q.from.getTime() + span * MIN),
        now: new Date(q.from.getTime() + nowShift * MIN),
      }));
  });

const starts = (q: SlotQuery) => computeSlots(q).map((s) => Date.parse(s.startsAt));
const paddedOverlap = (q: SlotQuery, s: number, b: { start: Date; end: Date }) => {
  const { bufferBeforeMinutes: before, bufferAfterMinutes: after } = q.preferences;
  const [s0, s1] = [s - before * MIN, s + (q.durationMinutes + after) * MIN];
  const [b0, b1] = [b.start.getTime() - before * MIN, b.end.getTime() + after * MIN];
  return b0 < b1 && s0 < b1 && b0 < s1;
};

// Offsets via luxon, sampled hourly and refined per minute only around a change.
const offsetCache = new Map<string, number>();
function offsetAt(zone: string, ms: number): number {
  const key = `${zone}@${ms}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    const z = IANAZone.create(zone);
    const hour = Math.floor(ms / 3_600_000) * 3_600_000;
    const [a, b] = [z.offset(hour), z.offset(hour + 3_600_000)];
    offset = a === b ? a : z.offset(ms);
    offsetCache.set(key, offset);
  }
  return offset;
}

/**
 * A brute-force reading of DESIGN.md §5, minute by minute, sharing no code with
 * the engine: dates from the rrule package (UTC as floating), offsets from luxon.
 * With rm(t) = the latest wall time seen up to instant t, a window [L0, L1) holds
 * t iff L0 ≤ rm(t) < L1 (its bounds are the first instants reaching L0 and L1),
 * and t is a grid time iff its wall time is new (> rm(t - 1 min)) and on the grid.
 */
function oracle(q: SlotQuery): number[] {
  const { RRule } = rrule;
  const D = q.durationMinutes * MIN;
  const from = q.from.getTime();
  const to = q.to.getTime();
  const scanFrom = minuteAligned(from) - 2 * DAY;
  const scanTo = to + D + 2 * DAY;
  const n = Math.ceil((scanTo - scanFrom) / MIN);
  const zones = [...new Set(q.rules.map((r) => r.timeZone))];
  const walls = new Map<string, { wall: Float64Array; max: Float64Array }>();
  for (const zone of zones) {
    const wall = new Float64Array(n);
    const max = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const t = scanFrom + i * MIN;
      wall[i] = t + offsetAt(zone, t) * MIN;
      max[i] = i === 0 ? wall[i] : Math.max(max[i - 1], wall[i]);
    }
    walls.set(zone, { wall, max });
  }
  const inWindow = q.rules.map((rule) => {
    const [y, m, d] = rule.startDate.split('-').map(Number);
    const dates = new Set(
      new RRule({ ...RRule.parseString(rule.rrule), dtstart: new Date(Date.UTC(y, m - 1, d)) })
        .between(new Date(scanFrom - 2 * DAY), new Date(scanTo + 2 * DAY), true)
        .map((x) => x.getTime() / DAY)
        .filter((day) => !rule.until || day <= Date.parse(`${rule.until}T00:00:00Z`) / DAY),
    );
    const [sh, sm] = rule.startTime.split(':').map(Number);
    const [eh, em] = rule.endTime.split(':').map(Number);
    const { max } = walls.get(rule.timeZone)!;
    return (i: number) => {
      const day = Math.floor(max[i] / DAY);
      const minute = (max[i] - day * DAY) / MIN;
      return dates.has(day) && minute >= sh * 60 + sm && minute < eh * 60 + em;
    };
  });
  const free = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const t = scanFrom + i * MIN;
    free[i] =
      inWindow.some((w) => w(i)) && !q.timeOff.some((o) => o.start.getTime() <= t && t < o.end.getTime())
        ? 1
        : 0;
  }
  const freeRun = new Int32Array(n + 1); // free minutes starting at i
  for (let i = n - 1; i >= 0; i--) freeRun[i] = free[i] ? freeRun[i + 1] + 1 : 0;
  const step = q.preferences.startTimeIntervalMinutes;
  const earliest = q.now.getTime() + q.preferences.minimumNoticeHours * 3_600_000;
  const out: number[] = [];
  for (let i = 1; i < n; i++) {
    const t = scanFrom + i * MIN;
    if (t < from || t >= to || t < earliest) continue;
    const onGrid = q.rules.some((rule, r) => {
      const { wall, max } = walls.get(rule.timeZone)!;
      const minuteOfDay = (((wall[i] % DAY) + DAY) % DAY) / MIN;
      return inWindow[r](i) && wall[i] > max[i - 1] && minuteOfDay % step === 0;
    });
    if (!onGrid || freeRun[i] < q.durationMinutes) continue;
    if (q.busy.some((b) => paddedOverlap(q, t, b))) continue;
    out.push(t);
  }
  return out;
}

describe('computeSlots properties', () => {
  const runs = { numRuns: 150, seed: 5_04_2026 };

  it('equals a brute-force minute-by-minute reading of the rules', () => {
    fc.assert(
      fc.property(queryArb, (q) => {
        expect(starts(q)).to.deep.equal(oracle(q));
      }),
      { ...runs, numRuns: 200 },
    );
  });

  it('every slot lies inside a window minus time off, on the grid, and after now + notice', () => {
    fc.assert(
      fc.property(queryArb, (q) => {
        const D = q.durationMinutes * MIN;
        const windows = q.rules.flatMap((r) =>
          occurrenceWindows(r, new Date(q.from.getTime() - DAY), new Date(q.to.getTime() + D + DAY)).map(
            (w) => ({ ...w, zone: r.timeZone }),
          ),
        );
        for (const s of starts(q)) {
          expect(s).to.be.at.least(q.now.getTime() + q.preferences.minimumNoticeHours * 3_600_000);
          // Covered by windows (several may join), minute by minute.
          for (let t = s; t < s + D; t += MIN) {
            expect(windows.some((w) => w.start.getTime() <= t && t < w.end.getTime())).to.equal(true);
          }
          expect(
            q.timeOff.some((o) => o.start < o.end && o.start.getTime() < s + D && s < o.end.getTime()),
          ).to.equal(false);
          const onGrid = windows.some((w) => {
            if (!(w.start.getTime() <= s && s < w.end.getTime())) return false;
            const local = DateTime.fromMillis(s, { zone: w.zone });
            return (
              (local.hour * 60 + local.minute) % q.preferences.startTimeIntervalMinutes === 0 &&
              local.second === 0
            );
          });
          expect(onGrid).to.equal(true);
        }
      }),
      runs,
    );
  });

  it('no padded slot overlaps a padded busy interval', () => {
    fc.assert(
      fc.property(queryArb, (q) => {
        for (const s of starts(q)) expect(q.busy.some((b) => paddedOverlap(q, s, b))).to.equal(false);
      }),
      runs,
    );
  });

  it('removing a busy interval never removes a slot', () => {
    fc.assert(
      fc.property(queryArb, fc.nat(), (q, pick) => {
        fc.pre(q.busy.length > 0);
        const fewer = { ...q, busy: q.busy.filter((_, i) => i !== pick % q.busy.length) };
        expect(starts(fewer)).to.include.members(starts(q));
      }),
      runs,
    );
  });

  it('output is sorted, duplicate-free, and formatted consistently in both zones', () => {
    fc.assert(
      fc.property(queryArb, (q) => {
        const slots = computeSlots(q);
        for (let i = 1; i < slots.length; i++)
          expect(Date.parse(slots[i].startsAt)).to.be.greaterThan(Date.parse(slots[i - 1].startsAt));
        for (const slot of slots) {
          expect(Date.parse(slot.endsAt) - Date.parse(slot.startsAt)).to.equal(q.durationMinutes * MIN);
          expect(Date.parse(slot.localStartsAt)).to.equal(Date.parse(slot.startsAt));
          expect(Date.parse(slot.localEndsAt)).to.equal(Date.parse(slot.endsAt));
          const local = DateTime.fromISO(slot.localStartsAt, { setZone: true });
          expect(local.offset).to.equal(
            DateTime.fromMillis(Date.parse(slot.startsAt), { zone: q.timeZone }).offset,
          );
        }
      }),
      runs,
    );
  });

  it('isSlotOffered accepts every listed slot and refuses every other start', () => {
    fc.assert(
      fc.property(
        queryArb,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 5, maxLength: 20 }),
        (q, picks) => {
          const listed = starts(q);
          for (const s of listed)
            expect(isSlotOffered(q, new Date(s)), new Date(s).toISOString()).to.equal(true);
          const [from, to] = [q.from.getTime(), q.to.getTime()];
          const probes = picks.flatMap((p) => {
            const t = from + Math.floor(p * (to - from));
            return [t, Math.floor(t / (5 * MIN)) * 5 * MIN, t - (t % MIN)];
          });
          const set = new Set(listed);
          for (const t of [...probes, ...listed.map((s) => s + MIN), ...listed.map((s) => s - 1)]) {
            expect(isSlotOffered(q, new Date(t)), new Date(t).toISOString()).to.equal(set.has(t));
          }
        },
      ),
      runs,
    );
  });

  it('a slot’s fate does not depend on the range asked for', () => {
    fc.assert(
      fc.property(
        queryArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (q, a, b) => {
          const [from, to] = [q.from.getTime(), q.to.getTime()];
          const [lo, hi] = [
            from + Math.floor(Math.min(a, b) * (to - from)),
            from + Math.floor(Math.max(a, b) * (to - from)),
          ];
          const part = starts({ ...q, from: new Date(lo), to: new Date(hi) });
          expect(part).to.deep.equal(starts(q).filter((s) => s >= lo && s < hi));
        },
      ),
      runs,
    );
  });
});
