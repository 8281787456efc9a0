import type { AvailabilityRuleInput, Interval, SlotQuery } from '../scheduling';

const MIN = 60_000;
const DAY = 86_400_000;

// A fixed-seed PRNG (mulberry32) so every run measures the same data.
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const weekdays = (startTime: string, endTime: string, timeZone: string): AvailabilityRuleInput => ({
  rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
  startDate: '2025-09-01',
  until: null,
  startTime,
  endTime,
  timeZone,
});

/** (a) One clinician, 90 days, 5-minute grid, 2,000 busy intervals (a dense synced calendar). */
export function oneClinician(): SlotQuery[] {
  return grown({ clinicians: 1, days: 90, busy: 2000, seed: 1 });
}

/**
 * `clinicians` clinicians over `days` days from 2026-02-02, each with `busy` short busy intervals (5-20 min)
 * spread over the whole range, a 5-minute grid, a 30-minute service, 24 h notice and a 5-minute buffer after;
 * weekday hours in New York (clinician 0 as in scenario (a)), output in Los Angeles. The size sweeps vary one
 * of the three and keep the rest, so growth is read off one knob at a time.
 */
export function grown(opts: { clinicians: number; days: number; busy: number; seed?: number }): SlotQuery[] {
  const rnd = random(opts.seed ?? 3);
  const from = Date.parse('2026-02-02T05:00:00Z');
  const hours = [
    ['09:00', '17:00'],
    ['08:00', '16:00'],
    ['10:00', '18:00'],
    ['12:00', '20:00'],
  ];
  const queries: SlotQuery[] = [];
  for (let c = 0; c < opts.clinicians; c++) {
    const [startTime, endTime] = hours[c % hours.length];
    const busy: Interval[] = [];
    for (let i = 0; i < opts.busy; i++) {
      const start = from + Math.floor(rnd() * opts.days * 24 * 60) * MIN;
      busy.push({ start: new Date(start), end: new Date(start + (5 + Math.floor(rnd() * 16)) * MIN) });
    }
    queries.push({
      rules: [weekdays(startTime, endTime, 'America/New_York')],
      timeOff: [{ start: new Date('2026-04-03T00:00:00Z'), end: new Date('2026-04-07T00:00:00Z') }],
      busy,
      preferences: {
        startTimeIntervalMinutes: 5,
        minimumNoticeHours: 24,
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 5,
      },
      durationMinutes: 30,
      from: new Date(from),
      to: new Date(from + opts.days * DAY),
      now: new Date(from - DAY),
      timeZone: 'America/Los_Angeles',
    });
  }
  return queries;
}

/** (b) A practice of 50 clinicians, 31 days, 15-minute grid, 60-minute service, 8 busy intervals each per day. */
export function practice(): SlotQuery[] {
  const rnd = random(2);
  const from = Date.parse('2026-03-01T05:00:00Z');
  const hours = [
    ['08:00', '16:00'],
    ['09:00', '17:00'],
    ['10:00', '18:00'],
    ['12:00', '20:00'],
  ];
  const zones = ['America/New_York', 'America/New_York', 'America/New_York', 'America/Chicago'];
  const queries: SlotQuery[] = [];
  for (let c = 0; c < 50; c++) {
    const [startTime, endTime] = hours[c % hours.length];
    const zone = zones[c % zones.length];
    const rules = [weekdays(startTime, endTime, zone)];
    if (c % 5 === 0) rules.push({ ...weekdays('10:00', '14:00', zone), rrule: 'FREQ=MONTHLY;BYDAY=1SA,3SA' });
    const busy: Interval[] = [];
    for (let d = 0; d < 31; d++) {
      for (let k = 0; k < 8; k++) {
        // Sessions of 30-60 minutes on a 15-minute grid between 07:00 and 21:00 Eastern.
        const start = from + d * DAY + (2 * 60 + Math.floor(rnd() * 56) * 15) * MIN;
        busy.push({ start: new Date(start), end: new Date(start + (30 + 15 * Math.floor(rnd() * 3)) * MIN) });
      }
    }
    queries.push({
      rules,
      timeOff: c % 7 === 0 ? [{ start: new Date(from + 10 * DAY), end: new Date(from + 14 * DAY) }] : [],
      busy,
      preferences: {
        startTimeIntervalMinutes: 15,
        minimumNoticeHours: 24,
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 10,
      },
      durationMinutes: 60,
      from: new Date(from),
      to: new Date(from + 31 * DAY),
      now: new Date(from - 12 * 3_600_000),
      timeZone: 'America/New_York',
    });
  }
  return queries;
}
