// rrule's TZID support returns real instants only when the process runs in UTC;
// the baseline needs it, the engine does not care. Set before any date is made.
process.env.TZ = 'UTC';

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeSlots, type Slot, type SlotQuery } from '../scheduling';
import { floorAllGridSlots, floorSameOutput } from './baseline/floor';
import { floorRrule, floorRruleTemporal, floorRruleTemporalPlainWriting } from './baseline/independentFloor';
import { baselineSlots } from './baseline/rruleBaseline';
import { oneClinician, practice } from './slotsScenarios';

type Impl = (q: SlotQuery) => Slot[];

// SLOTS_RUNS=0.1 scales every warm-up and run count down (at least 1 each) for a smoke run of a few seconds.
const RUNS = Number(process.env.SLOTS_RUNS ?? 1);

function measure(
  queries: SlotQuery[],
  impl: Impl,
  warmup: number,
  runs: number,
): { times: number[]; slots: number } {
  let slots = 0;
  [warmup, runs] = [warmup, runs].map((n) => Math.max(1, Math.round(n * RUNS)));
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
  {
    name: 'independent floor: rrule-temporal occurrences + the same slots',
    impl: (q) => floorRruleTemporal(q, engineStarts.get(q)!),
    warmup: 5,
    runs: 20,
  },
  {
    name: 'independent floor: rrule occurrences + the same slots',
    impl: (q) => floorRrule(q, engineStarts.get(q)!),
    warmup: 5,
    runs: 20,
  },
  {
    name: 'independent floor, written by Date#toISOString: rrule-temporal + the same slots',
    impl: (q) => floorRruleTemporalPlainWriting(q, engineStarts.get(q)!),
    warmup: 5,
    runs: 20,
  },
  { name: 'floor (engine code): occurrences + the same slots', impl: sameOutput, warmup: 20, runs: 100 },
  {
    name: 'floor (engine code): occurrences + every grid slot',
    impl: floorAllGridSlots,
    warmup: 20,
    runs: 100,
  },
  { name: 'baseline: rrule TZID + scan all busy', impl: baselineSlots, warmup: 1, runs: 7 },
];

const loadAtStart = loadavg().map((l) => Math.round(l * 100) / 100);
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
  for (const { name: implementation, impl, warmup, runs: planned } of impls) {
    const { times, slots } = measure(queries, impl, warmup, planned);
    const runs = times.length;
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
const [BASELINE, OLD_FLOOR] = [impls[6].name, impls[4].name];
const INDEPENDENT = [impls[1].name, impls[2].name];
const get = (s: number, i: string) =>
  rows.find((r) => r.scenario === scenarios[s].name && r.implementation === i)!;
const targets: { target: string; value: string; met: boolean | null }[] = [
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
  ...[0, 1].map((s) => {
    // The tighter of the two independent floors: any engine on either library does at least that much.
    const floor = Math.min(...INDEPENDENT.map((i) => get(s, i).medianMs));
    return {
      target: `${scenarios[s].name.slice(0, 3)} engine / independent floor ≤ 3x`,
      value: `${(get(s, 'engine').medianMs / floor).toFixed(2)}x`,
      met: get(s, 'engine').medianMs / floor <= 3,
    };
  }),
  ...[0, 1].map((s) => ({
    target: `${scenarios[s].name.slice(0, 3)} engine / floor from engine code`,
    value: `${(get(s, 'engine').medianMs / get(s, OLD_FLOOR).medianMs).toFixed(2)}x`,
    met: null,
  })),
];
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  node: process.version,
  tz: process.env.TZ,
  loadAtStart,
  loadAtEnd: loadavg().map((l) => Math.round(l * 100) / 100),
};

console.log(table.join('\n'));
console.log();
const verdict = (met: boolean | null) => (met === null ? 'record ' : met ? 'met    ' : 'MISSED ');
for (const t of targets) console.log(`${verdict(t.met)} ${t.target}: ${t.value}`);
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
    `Produced by \`npm run bench\` (bench/slots.bench.ts) on ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, TZ=${machine.tz};`,
    `load average (1/5/15 min) ${machine.loadAtStart.join(' / ')} at start, ${machine.loadAtEnd.join(' / ')} at end (the machine is shared: p95 carries others' work).`,
    'Each run computes the whole scenario (for (b): all 50 clinicians); engine and engine-code floors get 20 warm-up runs and',
    '100 measured, the independent floors 5 and 20, the baseline 1 and 7.',
    "Independent floors (the targets use the faster of the two): a library enumerates the rules' occurrences (rrule-temporal,",
    'or rrule with floating times and Temporal offsets), then exactly the slots the engine returns (starts found beforehand) are',
    'written from per-day prefixes, a minute table and Temporal offsets (bench/peers/isoWriter.ts); no engine code. One more',
    'row writes with Date#toISOString instead, to show what plain writing costs. Floors from engine code (for the record): the',
    "engine's own occurrence code, then the same slots, or every grid slot of every window, checking nothing.",
    'Baseline: rrule between() with TZID per query, a luxon DateTime per candidate, every candidate against every busy interval.',
    'Peers (slot-calculator, an rrule-temporal implementation) and growth with days, clinicians and busy time: slotsPeers.md.',
    '',
    ...table,
    '',
    '| target | value | met |',
    '|---|---:|---|',
    ...targets.map(
      (t) => `| ${t.target} | ${t.value} | ${t.met === null ? '(no target)' : t.met ? 'yes' : 'no'} |`,
    ),
    '',
    ...Object.entries(agreement).map(
      ([name, verdict]) => `Engine and baseline slot starts on ${name}: ${verdict}.`,
    ),
    '',
  ].join('\n'),
);
