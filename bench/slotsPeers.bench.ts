// rrule's TZID support (the baseline) returns real instants only when the process runs in UTC.
process.env.TZ = 'UTC';

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeSlots, isSlotOffered, type Slot, type SlotQuery } from '../scheduling';
import { floorRrule, floorRruleTemporal, occurrencesRruleTemporal } from './baseline/independentFloor';
import { baselineSlots } from './baseline/rruleBaseline';
import { rruleTemporalSlots } from './peers/rruleTemporalSlots';
import { slotCalculatorSlots } from './peers/slotCalculator';
import { slotsPlot } from './slotsPlot';
import { grown, oneClinician, practice } from './slotsScenarios';

// Size knobs, so a smoke run takes seconds: SLOTS_PEERS_DAYS=7 SLOTS_PEERS_CLINICIANS=1 SLOTS_PEERS_BUSY=0
// SLOTS_PEERS_BUDGET_MS=50 SLOTS_PEERS_FIXED=0.
const list = (name: string, fallback: number[]) =>
  process.env[name] ? process.env[name]!.split(',').map(Number) : fallback;
const DAYS = list('SLOTS_PEERS_DAYS', [7, 31, 90, 365]);
const CLINICIANS = list('SLOTS_PEERS_CLINICIANS', [1, 10, 50]);
const BUSY = list('SLOTS_PEERS_BUSY', [0, 200, 2000]);
/** Measured time per cell: fast implementations run up to 100 times in it, slow ones at least once. */
const BUDGET_MS = Number(process.env.SLOTS_PEERS_BUDGET_MS ?? 1500);
const FIXED = process.env.SLOTS_PEERS_FIXED !== '0';
// Each sweep varies one knob and holds the others here.
const HOLD = { clinicians: 1, days: 31, busy: 200, busyDays: 90 };

type Impl = (q: SlotQuery, starts: readonly number[]) => Slot[];
const impls: { name: string; impl: Impl; check: 'identical' | 'accepted on a 1-minute grid' | 'none' }[] = [
  { name: 'engine', impl: (q) => computeSlots(q), check: 'identical' },
  {
    name: 'floor: rrule-temporal occurrences + the same slots',
    impl: floorRruleTemporal,
    check: 'identical',
  },
  { name: 'floor: rrule occurrences + the same slots', impl: floorRrule, check: 'identical' },
  { name: 'part: rrule-temporal occurrences only', impl: occurrencesRruleTemporal, check: 'none' },
  { name: 'peer: rrule-temporal + sorted sweep', impl: (q) => rruleTemporalSlots(q), check: 'identical' },
  {
    name: 'peer: slot-calculator',
    impl: (q) => slotCalculatorSlots(q),
    check: 'accepted on a 1-minute grid',
  },
  { name: 'baseline: rrule TZID + luxon + scan all busy', impl: (q) => baselineSlots(q), check: 'identical' },
];
const FLOORS = impls.filter((i) => i.name.startsWith('floor')).map((i) => i.name);

interface Scenario {
  key: string;
  name: string;
  queries: SlotQuery[];
}
const scenarios: Scenario[] = [];
const add = (key: string, name: string, make: () => SlotQuery[]) => {
  if (!scenarios.some((s) => s.key === key)) scenarios.push({ key, name, queries: make() });
};
if (FIXED) {
  add('a', '(a) 1 clinician, 90 days, 5-min grid, 2,000 busy', oneClinician);
  add('b', '(b) 50 clinicians, 31 days, 15-min grid, 60-min service', practice);
}
const sized = (c: number, d: number, b: number) => ({
  key: `c${c}d${d}b${b}`,
  name: `${c} clinician${c === 1 ? '' : 's'}, ${d} days, ${b} busy each`,
  make: () => grown({ clinicians: c, days: d, busy: b }),
});
const sweeps = {
  days: DAYS.map((d) => sized(HOLD.clinicians, d, HOLD.busy)),
  clinicians: CLINICIANS.map((c) => sized(c, HOLD.days, HOLD.busy)),
  busy: BUSY.map((b) => sized(HOLD.clinicians, HOLD.busyDays, b)),
};
for (const s of Object.values(sweeps).flat()) add(s.key, s.name, s.make);

// Cal.com publishes its date-range and slot code only inside @calcom/platform-libraries; see the note below.
let calcom: string;
try {
  await import('@calcom/platform-libraries/slots' as string);
  calcom = 'loaded (unexpected: add it as a peer)';
} catch (error) {
  calcom = `not loadable here: ${(error as Error).message.split('\n')[0]}`;
}

const quantile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
const round = (x: number) => Math.round(x * 1000) / 1000;

/** Warm up, then as many runs of the whole query set as fit the budget (1 to 100). */
function measure(queries: SlotQuery[], starts: Map<SlotQuery, number[]>, impl: Impl) {
  // The first (untimed) run's answers are kept for the output check, so slow peers need no extra run for
  // it; timed runs keep nothing, so the garbage collector sees what a caller's would.
  const outputs: Slot[][] = [];
  const once = (keep = false) => {
    const t0 = performance.now();
    let n = 0;
    for (const q of queries) {
      const slots = impl(q, starts.get(q)!);
      if (keep) outputs.push(slots);
      n += slots.length;
    }
    return { ms: performance.now() - t0, n };
  };
  const first = once(true);
  const warmup = Math.min(20, Math.floor(BUDGET_MS / 4 / first.ms));
  for (let i = 0; i < warmup; i++) once();
  const runs = Math.max(1, Math.min(100, Math.floor(BUDGET_MS / first.ms)));
  const times: number[] = [];
  let slots = first.n;
  for (let i = 0; i < runs; i++) {
    const r = once();
    times.push(r.ms);
    slots = r.n;
  }
  times.sort((x, y) => x - y);
  return {
    row: { medianMs: round(quantile(times, 0.5)), p95Ms: round(quantile(times, 0.95)), runs, slots },
    outputs,
  };
}

/** How an implementation's output compares with the engine's on the same queries. */
function agreement(queries: SlotQuery[], outputs: Slot[][], check: string): string {
  if (check === 'none') return 'writes nothing (the enumeration part of the floor)';
  let differing = 0;
  let total = 0;
  let example = '';
  for (const [i, q] of queries.entries()) {
    const ours = computeSlots(q);
    const theirs = outputs[i];
    total += theirs.length;
    if (check === 'identical') {
      const same =
        ours.length === theirs.length &&
        ours.every((s, i) => JSON.stringify(s) === JSON.stringify(theirs[i]));
      if (!same) {
        differing++;
        example ||= `${ours.length} vs ${theirs.length} slots`;
      }
    } else {
      // Without a start grid, the fair check is that every slot offered is free time by our rules.
      const anyMinute = { ...q, preferences: { ...q.preferences, startTimeIntervalMinutes: 1 } };
      for (const s of theirs) {
        if (!isSlotOffered(anyMinute, new Date(s.startsAt))) {
          differing++;
          example ||= `${s.localStartsAt} is not free`;
        }
      }
    }
  }
  if (check === 'identical')
    return differing === 0
      ? 'identical'
      : `DIFFERENT on ${differing} of ${queries.length} queries (${example})`;
  return differing === 0
    ? `all ${total} slots free by our rules (1-minute grid)`
    : `${differing} of ${total} slots NOT free (${example})`;
}

interface Row {
  scenario: string;
  key: string;
  implementation: string;
  medianMs: number;
  p95Ms: number;
  runs: number;
  slots: number;
  agreement: string;
}

const startedAt = new Date().toISOString();
const loadAtStart = loadavg().map((l) => Math.round(l * 100) / 100);
const t0 = performance.now();
const rows: Row[] = [];
for (const s of scenarios) {
  // The engine's starts, found once outside any timing, for the floors that write exactly them.
  const starts = new Map(s.queries.map((q) => [q, computeSlots(q).map((x) => Date.parse(x.startsAt))]));
  for (const { name, impl, check } of impls) {
    const { row: m, outputs } = measure(s.queries, starts, impl);
    rows.push({
      scenario: s.name,
      key: s.key,
      implementation: name,
      ...m,
      agreement: agreement(s.queries, outputs, check),
    });
    console.log(`${s.name} | ${name}: ${m.medianMs} ms (${m.runs} runs)`);
  }
}
const seconds = Math.round((performance.now() - t0) / 1000);
const loadAtEnd = loadavg().map((l) => Math.round(l * 100) / 100);
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  node: process.version,
  loadAtStart,
  loadAtEnd,
  startedAt,
  seconds,
};

const cell = (key: string, impl: string) => rows.find((r) => r.key === key && r.implementation === impl);
const engineMs = (key: string) => cell(key, 'engine')!.medianMs;
const tightestFloor = (key: string) => Math.min(...FLOORS.map((f) => cell(key, f)!.medianMs));
const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

const scenarioTable = [
  '| scenario | implementation | median ms | p95 ms | × engine | × tightest independent floor | runs | slots | output vs engine |',
  '|---|---|---:|---:|---:|---:|---:|---:|---|',
  ...rows.map(
    (r) =>
      `| ${r.scenario} | ${r.implementation} | ${fmt(r.medianMs)} | ${fmt(r.p95Ms)} | ${(r.medianMs / engineMs(r.key)).toFixed(2)} | ${(r.medianMs / tightestFloor(r.key)).toFixed(2)} | ${r.runs} | ${r.slots} | ${r.agreement} |`,
  ),
];

const dimensionTable = (title: string, unit: string, points: { key: string; value: number }[]) => {
  const first = points[0];
  const last = points[points.length - 1];
  return [
    `### ${title}`,
    '',
    `| implementation | ${points.map((p) => `${unit} = ${p.value}`).join(' | ')} | growth ${first.value}→${last.value} |`,
    `|---|${points.map(() => '---:').join('|')}|---:|`,
    ...impls.map(({ name }) => {
      const ms = points.map((p) => cell(p.key, name)!.medianMs);
      return `| ${name} | ${ms.map(fmt).join(' | ')} | ${(ms[ms.length - 1] / ms[0]).toFixed(1)}× |`;
    }),
    '',
  ];
};
const dims = [
  {
    title: `Days (${HOLD.clinicians} clinician, ${HOLD.busy} busy intervals spread over the range)`,
    unit: 'days',
    xLabel: `days (${HOLD.clinicians} clinician, ${HOLD.busy} busy)`,
    points: DAYS.map((d, i) => ({ key: sweeps.days[i].key, value: d })),
  },
  {
    title: `Clinicians (${HOLD.days} days, ${HOLD.busy} busy intervals each)`,
    unit: 'clinicians',
    xLabel: `clinicians (${HOLD.days} days, ${HOLD.busy} busy each)`,
    points: CLINICIANS.map((c, i) => ({ key: sweeps.clinicians[i].key, value: c })),
  },
  {
    title: `Busy intervals (${HOLD.clinicians} clinician, ${HOLD.busyDays} days)`,
    unit: 'busy',
    xLabel: `busy intervals (${HOLD.clinicians} clinician, ${HOLD.busyDays} days)`,
    points: BUSY.map((b, i) => ({ key: sweeps.busy[i].key, value: b })),
  },
];

const targets = FIXED
  ? (['a', 'b'] as const).map((key) => {
      const ratio = engineMs(key) / tightestFloor(key);
      return {
        target: `(${key}) engine / tightest independent floor ≤ 3x`,
        value: `${ratio.toFixed(2)}x`,
        met: ratio <= 3,
      };
    })
  : [];

const CALCOM_NOTE = [
  '## Cal.com (`@calcom/platform-libraries`): not measured',
  '',
  `This run: ${calcom}.`,
  '',
  'What stopped it (tried in a scratch folder, 2026-11-30, version 0.0.360, the latest):',
  '',
  '- `npm install @calcom/platform-libraries` fails: `npm error 404 Not Found - GET https://registry.npmjs.org/@calcom%2ffeatures`',
  '  (`\'@calcom/features@*\' could not be found`); its only declared dependencies, `@calcom/features` and `@calcom/lib` ("*"), are not on npm.',
  '- The tarball itself (`npm pack`, unpacked, placed by hand under node_modules) does not load either:',
  "  `import('@calcom/platform-libraries/slots')` fails with `ERR_MODULE_NOT_FOUND: Cannot find package 'uuid'`; the chunks",
  '  that entry loads import 24 packages it does not declare (`@trpc/server`, `@nestjs/common`, `@sentry/nextjs`, `jsdom`,',
  '  `twilio`, `i18next`, `zod`, `dayjs`, ...), and they bundle a Prisma client that the user repository queries.',
  '- Even loaded, the slot code is out of reach without the database: `getSlots`/`buildSlotsWithDateRanges` are private',
  '  to the `slots` chunk, reached only through `AvailableSlotsService`, whose constructor takes 17 dependencies:',
  '  database repositories (event types, bookings, schedules, users, teams, ...), a Redis client and services on them. `buildDateRanges` sits in an unexported chunk (`dist/date-ranges-*.js`) that needs only dayjs.',
  '- Semantics would differ anyway: minimum notice is measured from the real clock (`dayjs.utc()`), not an injected now;',
  "  availability is weekly working hours plus date overrides (no RRULE); slot starts step by the event's frequency,",
  '  aligned to the first of 60/30/20/15/10/5 minutes that divides it.',
  '',
];

const SEMANTICS = [
  '## Where the semantics differ',
  '',
  '- **Engine, floors, rrule-temporal peer, baseline**: the same rules, so the output is checked slot for slot',
  "  (all four strings). The rrule-temporal peer requires a slot to fit inside one rule's window; the engine also",
  '  accepts a slot spanning touching or overlapping windows of two rules (not exercised here: no such windows).',
  '  The baseline is right only away from clock changes (no DST edge inside 08:00-20:00 windows here).',
  '- **slot-calculator** has no start grid, buffers, notice or recurrence: slots are back-to-back from the start of',
  '  free time, and after a busy block restart at the first free minute, so it offers fewer, off-grid slots. The',
  "  adapter (bench/peers/slotCalculator.ts) pads busy time by both buffers on each side (the engine's own test),",
  '  moves `from` to now + notice, gives weekly rules as its native weekday availability (interpreted in the',
  "  rule's zone) and other rules as dated windows expanded by rrule-temporal, and extends `to` by the duration",
  "  because it bounds a slot's end where we bound its start. Checked: every slot it offers is free time by our",
  '  rules (the engine accepts it on a 1-minute grid). It works minute by minute, so its cost grows with minutes',
  '  in the range, not with windows.',
  '- **Floors** check nothing: they enumerate the occurrences with a library (rrule-temporal; or rrule with',
  "  floating times and Temporal offsets) and write exactly the engine's slots (starts found before timing) with",
  '  `Date#toISOString` and Temporal offsets. They share no code with the engine. The older floors in slots.md',
  '  reuse engine code and stay there for comparison.',
  '- The engine caches compiled rules across queries (as in production); the peers build their RRule objects per',
  '  query, as a straightforward caller would.',
  '',
];

const panels = dims.map((d) => ({
  title: d.title.split(' (')[0],
  xLabel: d.xLabel,
  xs: d.points.map((p) => p.value),
  series: impls.map(({ name }) => ({
    name,
    values: d.points.map((p) => cell(p.key, name)?.medianMs ?? null),
  })),
}));

// How many times the engine's median each implementation takes, over every scenario of this run.
const summary = impls
  .filter(({ name }) => name !== 'engine')
  .map(({ name }) => {
    const ratios = scenarios.map((s) => cell(s.key, name)!.medianMs / engineMs(s.key));
    return `- ${name}: ${Math.min(...ratios).toFixed(1)}× to ${Math.max(...ratios).toFixed(1)}× the engine's median time`;
  });
const table = scenarioTable.join('\n');
console.log(`\n${table}\n`);
for (const t of targets) console.log(`${t.met ? 'met    ' : 'MISSED '} ${t.target}: ${t.value}`);
console.log(`Cal.com: ${calcom}`);

const outDir = join(dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'slotsPeers.json'),
  `${JSON.stringify({ machine, hold: HOLD, budgetMs: BUDGET_MS, rows, targets, calcom }, null, 2)}\n`,
);
writeFileSync(
  join(outDir, 'slotsPeers.svg'),
  slotsPlot(panels, 'Slot computation: median ms per run of the whole query set (log scale)'),
);
writeFileSync(
  join(outDir, 'slotsPeers.md'),
  [
    '# Slot engine against real peers',
    '',
    `Produced by \`npm run bench\` (bench/slotsPeers.bench.ts; alone: \`node_modules/.bin/tsx bench/slotsPeers.bench.ts\`)`,
    `on ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, started ${startedAt}, ${seconds} s.`,
    `Load average (1/5/15 min) at start ${loadAtStart.join(' / ')}, at end ${loadAtEnd.join(' / ')}: the machine is shared`,
    'by three engineers measuring at the same time, so p95 carries their noise and medians can move by tens of percent.',
    `Each cell times one run over every query of the scenario; after warm-up as many runs as fit ${BUDGET_MS} ms (1 to 100).`,
    'Ratios compare medians measured side by side in this run.',
    '',
    '![growth per dimension](slotsPeers.svg)',
    '',
    `Over the ${scenarios.length} scenarios of this run:`,
    '',
    ...summary,
    '',
    '## Scenarios',
    '',
    table,
    '',
    ...(targets.length
      ? [
          '| target | value | met |',
          '|---|---:|---|',
          ...targets.map((t) => `| ${t.target} | ${t.value} | ${t.met ? 'yes' : 'no'} |`),
          '',
        ]
      : []),
    '## Growth',
    '',
    'Sized scenarios: weekday 09:00-17:00 New York hours (clinicians rotate 08-16, 10-18, 12-20), 5-minute grid,',
    '30-minute service, 24 h notice, 5-minute buffer after, output in Los Angeles, busy intervals of 5-20 minutes',
    'at random minutes of the whole range. Median ms per run; growth = last / first.',
    '',
    ...dims.flatMap((d) => dimensionTable(d.title, d.unit, d.points)),
    ...SEMANTICS,
    ...CALCOM_NOTE,
  ].join('\n'),
);
