import { expect } from 'chai';
import fc from 'fast-check';
import { occurrenceWindows, type AvailabilityRuleInput } from '../../scheduling';
import { expandDays } from '../../scheduling/occurrences';
import { parseRecurrence } from '../../scheduling/recurrence';
import { rrule } from '../../scheduling/rrulePackage';

const DAY = 86_400_000;
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;
const iso = (d: number) => new Date(d * DAY).toISOString().slice(0, 10);

function aRule(overrides: Partial<AvailabilityRuleInput> = {}): AvailabilityRuleInput {
  return {
    rrule: 'FREQ=DAILY',
    startDate: '2026-01-01',
    until: null,
    startTime: '09:00',
    endTime: '17:00',
    timeZone: 'America/New_York',
    ...overrides,
  };
}

function dates(rruleText: string, startDate: string, first: string, last: string): string[] {
  const parsed = parseRecurrence(rruleText);
  if (!parsed.ok) throw new Error(parsed.error);
  return expandDays(parsed.recurrence, day(startDate), Infinity, day(first), day(last)).map(iso);
}

function windows(rule: AvailabilityRuleInput, from: string, to: string): string[] {
  return occurrenceWindows(rule, new Date(from), new Date(to)).map(
    (w) => `${w.start.toISOString()}/${w.end.toISOString()}`,
  );
}

describe('expandDays', () => {
  it('every weekday', () => {
    expect(dates('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', '2026-01-01', '2026-03-05', '2026-03-10')).to.deep.equal(
      ['2026-03-05', '2026-03-06', '2026-03-09', '2026-03-10'],
    );
  });

  it('Monday and Wednesday every other week, counted from the week of the start date', () => {
    // 2026-01-07 is a Wednesday: its week (from Monday 5 January) is week 0.
    expect(
      dates('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE', '2026-01-07', '2026-01-01', '2026-02-06'),
    ).to.deep.equal(['2026-01-07', '2026-01-19', '2026-01-21', '2026-02-02', '2026-02-04']);
  });

  it('first Saturday of the month', () => {
    expect(dates('FREQ=MONTHLY;BYDAY=1SA', '2026-01-01', '2026-01-01', '2026-06-30')).to.deep.equal([
      '2026-01-03',
      '2026-02-07',
      '2026-03-07',
      '2026-04-04',
      '2026-05-02',
      '2026-06-06',
    ]);
  });

  it('skips months without the start date’s day and counts occurrences from the start', () => {
    expect(dates('FREQ=MONTHLY', '2026-01-31', '2026-01-01', '2026-06-30')).to.deep.equal([
      '2026-01-31',
      '2026-03-31',
      '2026-05-31',
    ]);
    expect(dates('FREQ=DAILY;INTERVAL=3;COUNT=4', '2026-01-01', '2026-01-05', '2026-12-31')).to.deep.equal([
      '2026-01-07',
      '2026-01-10',
    ]);
  });

  it('matches the rrule package (dates as UTC-floating) for random rules', () => {
    const { RRule } = rrule;
    const weekday = fc.constantFrom('MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU');
    const ruleText = fc.oneof(
      fc
        .record({ interval: fc.integer({ min: 1, max: 5 }), days: fc.uniqueArray(weekday, { maxLength: 3 }) })
        .map(
          ({ interval, days }) =>
            `FREQ=DAILY;INTERVAL=${interval}${days.length ? `;BYDAY=${days.join(',')}` : ''}`,
        ),
      fc
        .record({ interval: fc.integer({ min: 1, max: 4 }), days: fc.uniqueArray(weekday, { maxLength: 4 }) })
        .map(
          ({ interval, days }) =>
            `FREQ=WEEKLY;INTERVAL=${interval}${days.length ? `;BYDAY=${days.join(',')}` : ''}`,
        ),
      fc
        .record({
          interval: fc.integer({ min: 1, max: 3 }),
          days: fc.oneof(
            fc.uniqueArray(weekday, { maxLength: 3 }),
            fc.uniqueArray(
              fc.tuple(fc.constantFrom('1', '2', '-1', '5'), weekday).map(([n, d]) => n + d),
              { maxLength: 2 },
            ),
          ),
          monthDays: fc.uniqueArray(fc.constantFrom(1, 13, 29, 30, 31, -1, -2), { maxLength: 2 }),
        })
        .map(
          ({ interval, days, monthDays }) =>
            `FREQ=MONTHLY;INTERVAL=${interval}${days.length ? `;BYDAY=${days.join(',')}` : ''}${monthDays.length ? `;BYMONTHDAY=${monthDays.join(',')}` : ''}`,
        ),
      fc.constantFrom('FREQ=DAILY;BYMONTHDAY=1,-1', 'FREQ=DAILY;BYDAY=MO;BYMONTHDAY=13'),
    );
    fc.assert(
      fc.property(
        ruleText,
        fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
        fc.integer({ min: day('2025-01-01'), max: day('2027-12-31') }),
        fc.integer({ min: -60, max: 400 }),
        fc.integer({ min: 0, max: 120 }),
        (text, count, startDay, fromOffset, length) => {
          const full = count === undefined ? text : `${text};COUNT=${count}`;
          const firstDay = startDay + fromOffset;
          const lastDay = firstDay + length;
          const parsed = parseRecurrence(full);
          if (!parsed.ok) throw new Error(parsed.error);
          const ours = expandDays(parsed.recurrence, startDay, Infinity, firstDay, lastDay);
          const theirs = new RRule({ ...RRule.parseString(full), dtstart: new Date(startDay * DAY) })
            .between(new Date(firstDay * DAY), new Date(lastDay * DAY), true)
            .map((d) => d.getTime() / DAY);
          expect(ours, full).to.deep.equal(theirs);
        },
      ),
      { numRuns: 400, seed: 20260308 },
    );
  });
});

describe('occurrenceWindows', () => {
  it('turns local times into instants in the rule zone on both sides of a clock change', () => {
    expect(windows(aRule(), '2026-03-07T00:00:00Z', '2026-03-10T00:00:00Z')).to.deep.equal([
      '2026-03-07T14:00:00.000Z/2026-03-07T22:00:00.000Z',
      '2026-03-08T13:00:00.000Z/2026-03-08T21:00:00.000Z',
      '2026-03-09T13:00:00.000Z/2026-03-09T21:00:00.000Z',
    ]);
  });

  it('a window over the skipped hour lasts its real two hours (New York, 8 March)', () => {
    expect(
      windows(
        aRule({ startTime: '01:00', endTime: '04:00' }),
        '2026-03-08T00:00:00Z',
        '2026-03-09T00:00:00Z',
      ),
    ).to.deep.equal(['2026-03-08T06:00:00.000Z/2026-03-08T08:00:00.000Z']);
  });

  it('a window starting inside the gap starts when the gap ends; one wholly inside it is dropped', () => {
    expect(
      windows(
        aRule({ startTime: '02:30', endTime: '03:30' }),
        '2026-03-08T00:00:00Z',
        '2026-03-09T00:00:00Z',
      ),
    ).to.deep.equal(['2026-03-08T07:00:00.000Z/2026-03-08T07:30:00.000Z']);
    expect(
      windows(
        aRule({ startTime: '02:10', endTime: '02:50' }),
        '2026-03-08T00:00:00Z',
        '2026-03-09T00:00:00Z',
      ),
    ).to.deep.equal([]);
  });

  it('a window over the repeated hour lasts its real three hours, ambiguous bounds taking the earlier instant (1 November)', () => {
    expect(
      windows(
        aRule({ startTime: '01:00', endTime: '03:00' }),
        '2026-11-01T00:00:00Z',
        '2026-11-02T00:00:00Z',
      ),
    ).to.deep.equal(['2026-11-01T05:00:00.000Z/2026-11-01T08:00:00.000Z']);
    expect(
      windows(
        aRule({ startTime: '00:30', endTime: '01:30' }),
        '2026-11-01T00:00:00Z',
        '2026-11-02T00:00:00Z',
      ),
    ).to.deep.equal(['2026-11-01T04:30:00.000Z/2026-11-01T05:30:00.000Z']);
  });

  it('names each window by its local date, which may differ from the UTC date', () => {
    const rule = aRule({ startTime: '20:00', endTime: '23:00', timeZone: 'America/Los_Angeles' });
    const [w] = occurrenceWindows(rule, new Date('2026-03-10T00:00:00Z'), new Date('2026-03-10T12:00:00Z'));
    expect(w.date).to.equal('2026-03-09');
    expect(w.start.toISOString()).to.equal('2026-03-10T03:00:00.000Z');
  });

  it('honours until, a UTC UNTIL and COUNT', () => {
    const range = ['2026-01-01T00:00:00Z', '2026-01-10T00:00:00Z'] as const;
    expect(windows(aRule({ until: '2026-01-02' }), ...range)).to.have.length(2);
    expect(windows(aRule({ rrule: 'FREQ=DAILY;UNTIL=20260103T140000Z' }), ...range)).to.have.length(3);
    expect(windows(aRule({ rrule: 'FREQ=DAILY;UNTIL=20260103T135959Z' }), ...range)).to.have.length(2);
    expect(windows(aRule({ rrule: 'FREQ=DAILY;COUNT=4' }), ...range)).to.have.length(4);
  });
});
