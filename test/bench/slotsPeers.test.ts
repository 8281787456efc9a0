import { expect } from 'chai';
import { computeSlots, type AvailabilityRuleInput, type SlotQuery } from '../../scheduling';
import { floorRrule, floorRruleTemporal } from '../../bench/baseline/independentFloor';
import { slotWriter } from '../../bench/peers/isoWriter';
import { rruleTemporalSlots } from '../../bench/peers/rruleTemporalSlots';
import { slotCalculatorConfig, slotCalculatorSlots } from '../../bench/peers/slotCalculator';

const mondays: AvailabilityRuleInput = {
  rrule: 'FREQ=WEEKLY;BYDAY=MO',
  startDate: '2026-01-05',
  until: null,
  startTime: '09:00',
  endTime: '11:00',
  timeZone: 'America/New_York',
};

/** Monday 2 March 2026 in New York (09:00-11:00 EST is 14:00-16:00Z), one 10-minute busy block at 09:40. */
const monday = (over: Partial<SlotQuery> = {}): SlotQuery => ({
  rules: [mondays],
  timeOff: [],
  busy: [{ start: new Date('2026-03-02T14:40:00Z'), end: new Date('2026-03-02T14:50:00Z') }],
  preferences: {
    startTimeIntervalMinutes: 30,
    minimumNoticeHours: 0,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
  },
  durationMinutes: 60,
  from: new Date('2026-03-02T05:00:00Z'),
  to: new Date('2026-03-03T05:00:00Z'),
  now: new Date('2026-02-20T00:00:00Z'),
  timeZone: 'America/Los_Angeles',
  ...over,
});

const starts = (slots: { startsAt: string }[]) => slots.map((s) => s.startsAt);

describe('slot benchmark peers', () => {
  it('the rrule-temporal peer offers what the engine offers: the 10:00 slot only, written in the client’s zone', () => {
    const slots = rruleTemporalSlots(monday());
    expect(slots).to.deep.equal([
      {
        startsAt: '2026-03-02T15:00:00.000Z',
        endsAt: '2026-03-02T16:00:00.000Z',
        localStartsAt: '2026-03-02T07:00:00.000-08:00',
        localEndsAt: '2026-03-02T08:00:00.000-08:00',
      },
    ]);
    expect(slots).to.deep.equal(computeSlots(monday()));
  });

  it('the rrule-temporal peer pads busy time by both buffers and honours notice like the engine', () => {
    const buffered = monday({
      preferences: {
        startTimeIntervalMinutes: 30,
        minimumNoticeHours: 0,
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 40,
      },
    });
    // Busy 09:40-09:50 padded by 40 minutes each side blocks starts before 10:30 local.
    expect(starts(rruleTemporalSlots(buffered))).to.deep.equal([]);
    const noBusy = monday({
      busy: [],
      now: new Date('2026-03-01T14:20:00Z'),
      preferences: { ...monday().preferences, minimumNoticeHours: 24 },
    });
    // Notice ends 09:20 New York: 09:30 and 10:00 remain.
    expect(starts(rruleTemporalSlots(noBusy))).to.deep.equal([
      '2026-03-02T14:30:00.000Z',
      '2026-03-02T15:00:00.000Z',
    ]);
    expect(rruleTemporalSlots(buffered)).to.deep.equal(computeSlots(buffered));
    expect(rruleTemporalSlots(noBusy)).to.deep.equal(computeSlots(noBusy));
  });

  it('the rrule-temporal peer skips wall times the spring-forward gap removes, as the engine does', () => {
    const q = monday({
      rules: [{ ...mondays, rrule: 'FREQ=DAILY', startTime: '01:00', endTime: '04:00' }],
      busy: [],
      durationMinutes: 30,
      from: new Date('2026-03-08T05:00:00Z'),
      to: new Date('2026-03-09T04:00:00Z'),
      timeZone: 'America/New_York',
    });
    // 01:00 and 01:30 EST, then 03:00 and 03:30 EDT; 02:00 and 02:30 do not exist that night.
    expect(starts(rruleTemporalSlots(q))).to.deep.equal([
      '2026-03-08T06:00:00.000Z',
      '2026-03-08T06:30:00.000Z',
      '2026-03-08T07:00:00.000Z',
      '2026-03-08T07:30:00.000Z',
    ]);
    expect(rruleTemporalSlots(q)).to.deep.equal(computeSlots(q));
  });

  it('the independent floors write exactly the starts they are given, in the engine’s output shape', () => {
    const q = monday({ busy: [] });
    const engine = computeSlots(q);
    const given = engine.map((s) => Date.parse(s.startsAt));
    expect(given).to.have.length(3);
    expect(floorRruleTemporal(q, given)).to.deep.equal(engine);
    expect(floorRrule(q, given)).to.deep.equal(engine);
  });

  it('both writers follow the zone’s offset across a clock change and agree with each other', () => {
    const expected = {
      startsAt: '2026-03-08T06:30:00.000Z',
      endsAt: '2026-03-08T07:00:00.000Z',
      localStartsAt: '2026-03-08T01:30:00.000-05:00',
      localEndsAt: '2026-03-08T03:00:00.000-04:00',
    };
    expect(slotWriter('America/New_York')(Date.parse(expected.startsAt), 30 * 60_000)).to.deep.equal(
      expected,
    );
    expect(
      slotWriter('America/New_York', { fast: true })(Date.parse(expected.startsAt), 30 * 60_000),
    ).to.deep.equal(expected);
    const plain = slotWriter('Australia/Lord_Howe');
    const fast = slotWriter('Australia/Lord_Howe', { fast: true });
    // Half-hour offsets and a half-hour clock change (5 April 2026), every 7 minutes and one odd millisecond.
    for (
      let t = Date.parse('2026-04-04T12:00:00Z');
      t < Date.parse('2026-04-05T00:00:00Z');
      t += 7 * 60_000
    ) {
      expect(fast(t, 50 * 60_000)).to.deep.equal(plain(t, 50 * 60_000));
    }
    expect(fast(Date.parse('2026-04-04T12:00:00.001Z'), 60_000).startsAt).to.equal(
      '2026-04-04T12:00:00.001Z',
    );
  });

  it('translates our query into slot-calculator’s terms: weekday hours, dated windows, padded busy time, notice', () => {
    const q = monday({
      rules: [mondays, { ...mondays, rrule: 'FREQ=MONTHLY;BYDAY=1SA', startTime: '10:00', endTime: '12:00' }],
      timeOff: [{ start: new Date('2026-03-02T20:00:00Z'), end: new Date('2026-03-02T21:00:00Z') }],
      preferences: {
        startTimeIntervalMinutes: 30,
        minimumNoticeHours: 2,
        bufferBeforeMinutes: 5,
        bufferAfterMinutes: 10,
      },
      now: new Date('2026-03-02T04:00:00Z'),
      to: new Date('2026-03-09T05:00:00Z'),
    });
    const config = slotCalculatorConfig(q);
    expect(config.from).to.equal('2026-03-02T06:00:00.000Z');
    expect(config.to).to.equal('2026-03-09T06:00:00.000Z');
    expect(config.duration).to.equal(60);
    expect(config.outputTimezone).to.equal('America/Los_Angeles');
    // Saturday 7 March 10:00-12:00 EST is the first Saturday's only window in the range.
    expect(config.availability).to.deep.equal([
      { day: 'Monday', from: '09:00', to: '11:00', timezone: 'America/New_York' },
      { from: '2026-03-07T15:00:00.000Z', to: '2026-03-07T17:00:00.000Z' },
    ]);
    expect(config.unavailability).to.deep.equal([
      { from: '2026-03-02T14:25:00.000Z', to: '2026-03-02T15:05:00.000Z' },
      { from: '2026-03-02T20:00:00.000Z', to: '2026-03-02T21:00:00.000Z' },
    ]);
  });

  it('slot-calculator lays back-to-back slots from free time, so around the busy block it finds only 10:00', () => {
    // 09:00-10:00 is cut by the busy block and it does not look for 09:50 (off any grid, but free).
    expect(slotCalculatorSlots(monday())).to.deep.equal([
      {
        startsAt: '2026-03-02T15:00:00.000Z',
        endsAt: '2026-03-02T16:00:00.000Z',
        localStartsAt: '2026-03-02T07:00:00.000-08:00',
        localEndsAt: '2026-03-02T08:00:00.000-08:00',
      },
    ]);
    // Without busy time it offers 09:00 and 10:00, back to back, where the engine's 30-minute grid offers three.
    expect(starts(slotCalculatorSlots(monday({ busy: [] })))).to.deep.equal([
      '2026-03-02T14:00:00.000Z',
      '2026-03-02T15:00:00.000Z',
    ]);
  });
});
