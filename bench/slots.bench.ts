// rrule's TZID support returns real instants only when the process runs in UTC;
// the baseline needs it, the engine does not care. Set before any date is made.
process.env.TZ = 'UTC';

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  computeSlots,
  type AvailabilityRuleInput,
  type Interval,
  type Slot,
  type SlotQuery,
} from '../scheduling';
import { floorAllGridSlots, floorSameOutput } from './baseline/floor';
import { baselineSlots } from './baseline/rruleBaseline';

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
function oneClinician(): SlotQuery[] {
  const rnd = random(1);
  const from = Date.parse('2026-02-02T05:00:00Z');
  const busy: Interval[] = [];
  for (let i = 0; i < 2000; i++) {
    const start = from + Math.floor(rnd() * 90 * 24 * 60) * MIN;
    busy.push({ start: new Date(start), end: new Date(start + (5 + Math.floor(rnd() * 16)) * MIN) });
  }
  return [
    {
      rules: [weekdays('09:00', '17:00', 'America/New_York')],
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
      to: new Date(from + 90 * DAY),
      now: new Date(from - DAY),
      timeZone: 'America/Los_Angeles',
    },
  ];
}

/** (b) A practice of 50 clinicians, 31 days, 15-minute grid, 60-minute service, 8 busy intervals each per day. */
function practice(): SlotQuery[] {
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

type Impl = (q: SlotQuery) => Slot[];

function measure(
  queries: SlotQuery[],
  impl: Impl,
  warmup: number,
  runs: number,
): { times: number[]; slots: number } {
  let slots = 0;
  for (let i = 0; i < warmup; i++) for (const q of queries) impl(q);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    let n = 0;
    for (const q of queries) n += impl(q).length;
    times.push(performance.now() - t0);
    slots = n;
  }
  return { times, slots };
}

const quantile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
const round = (x: number) => Math.round(x * 1000) / 1000;

interface Row {
  scenario: string;
  implementation: string;
  medianMs: number;
  p95Ms: number;
  runs: number;
  slots: number;
}

const scenarios = [
  { name: '(a) 1 clinician, 90 days, 5-min grid, 2,000 busy', queries: oneClinician() },
  { name: '(b) 50 clinicians, 31 days, 15-min grid, 60-min service', queries: practice() },
];
// Starts the engine offers, found once outside any timing, for the same-output floor.
const engineStarts = new Map<SlotQuery, number[]>();
const sameOutput: Impl = (q) => floorSameOutput(q, engineStarts.get(q)!);
const impls: { name: string; impl: Impl; warmup: number; runs: number }[] = [
  { name: 'engine', impl: computeSlots, warmup: 20, runs: 100 },
  { name: 'floor: occurrences + the same slots', impl: sameOutput, warmup: 20, runs: 100 },
  { name: 'floor: occurrences + every grid slot', impl: floorAllGridSlots, warmup: 20, runs: 100 },
  { name: 'baseline: rrule TZID + scan all busy', impl: baselineSlots, warmup: 1, runs: 7 },
];

const rows: Row[] = [];
const agreement: Record<string, string> = {};
for (const { name, queries } of scenarios) {
  // The baseline is right for these windows (no DST edge inside 09:00-20:00), so outputs must match.
  for (const q of queries)
    engineStarts.set(
      q,
      computeSlots(q).map((s) => Date.parse(s.startsAt)),
    );
  const ours = queries.flatMap((q) => computeSlots(q).map((s) => s.startsAt));
  const theirs = queries.flatMap((q) => baselineSlots(q).map((s) => s.startsAt));
  agreement[name] =
    ours.length === theirs.length && ours.every((s, i) => s === theirs[i])
      ? 'identical'
      : `DIFFERENT (${ours.length} vs ${theirs.length})`;
  for (const { name: implementation, impl, warmup, runs } of impls) {
    const { times, slots } = measure(queries, impl, warmup, runs);
    const sorted = [...times].sort((x, y) => x - y);
    rows.push({
      scenario: name,
      implementation,
      medianMs: round(quantile(sorted, 0.5)),
      p95Ms: round(quantile(sorted, 0.95)),
      runs,
      slots,
    });
  }
}

const engine = (scenario: string) =>
  rows.find((r) => r.scenario === scenario && r.implementation === 'engine')!;
const table = [
  '| scenario | implementation | median ms | p95 ms | × engine (median) | runs | slots |',
  '|---|---|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.scenario} | ${r.implementation} | ${r.medianMs.toFixed(2)} | ${r.p95Ms.toFixed(2)} | ${(r.medianMs / engine(r.scenario).medianMs).toFixed(2)} | ${r.runs} | ${r.slots} |`,
  ),
];
const [FLOOR, BASELINE] = [impls[1].name, impls[3].name];
const get = (s: number, i: string) =>
  rows.find((r) => r.scenario === scenarios[s].name && r.implementation === i)!;
const targets = [
  {
    target: '(b) engine median < 25 ms',
    value: `${get(1, 'engine').medianMs.toFixed(2)} ms`,
    met: get(1, 'engine').medianMs < 25,
  },
  {
    target: '(a) baseline / engine ≥ 20x',
    value: `${(get(0, BASELINE).medianMs / get(0, 'engine').medianMs).toFixed(1)}x`,
    met: get(0, BASELINE).medianMs / get(0, 'engine').medianMs >= 20,
  },
  ...[0, 1].map((s) => ({
    target: `${scenarios[s].name.slice(0, 3)} engine / floor ≤ 3x`,
    value: `${(get(s, 'engine').medianMs / get(s, FLOOR).medianMs).toFixed(2)}x`,
    met: get(s, 'engine').medianMs / get(s, FLOOR).medianMs <= 3,
  })),
];
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  node: process.version,
  tz: process.env.TZ,
};

console.log(table.join('\n'));
console.log();
for (const t of targets) console.log(`${t.met ? 'met    ' : 'MISSED '} ${t.target}: ${t.value}`);
for (const [name, verdict] of Object.entries(agreement))
  console.log(`engine vs baseline on ${name}: ${verdict}`);

const outDir = join(dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'slots.json'),
  `${JSON.stringify({ machine, rows, targets, agreement }, null, 2)}\n`,
);
writeFileSync(
  join(outDir, 'slots.md'),
  [
    '# Slot engine benchmark',
    '',
    `Produced by \`npm run bench\` (bench/slots.bench.ts) on ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, TZ=${machine.tz}.`,
    'Each run computes the whole scenario (for (b): all 50 clinicians); engine and floor get 20 warm-up runs and 100 measured,',
    "the baseline 1 warm-up and 7 measured. Floors: enumerate the rules' occurrences and emit either exactly the slots the",
    'engine returns (starts found beforehand; the target uses this one) or every grid slot of every window, checking nothing.',
    'Baseline: rrule between() with TZID per query, a luxon DateTime per candidate, every candidate against every busy interval.',
    'The machine is shared (other builds and tests ran alongside), so p95 carries their noise.',
    '',
    ...table,
    '',
    '| target | value | met |',
    '|---|---:|---|',
    ...targets.map((t) => `| ${t.target} | ${t.value} | ${t.met ? 'yes' : 'no'} |`),
    '',
    ...Object.entries(agreement).map(
      ([name, verdict]) => `Engine and baseline slot starts on ${name}: ${verdict}.`,
    ),
    '',
  ].join('\n'),
);
