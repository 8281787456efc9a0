import { expect } from 'chai';
import { computeSlots, isSlotOffered, type AvailabilityRuleInput, type SlotQuery } from '../../scheduling';

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

type QueryOverrides = Partial<Omit<SlotQuery, 'preferences'>> & {
  preferences?: Partial<SlotQuery['preferences']>;
};

function aQuery(overrides: QueryOverrides = {}): SlotQuery {
  const { preferences, ...rest } = overrides;
  return {
    rules: [aRule()],
    timeOff: [],
    busy: [],
    durationMinutes: 60,
    from: new Date('2026-03-02T00:00:00Z'),
    to: new Date('2026-03-03T00:00:00Z'),
    now: new Date('2026-01-01T00:00:00Z'),
    timeZone: 'America/New_York',
    ...rest,
    preferences: {
      startTimeIntervalMinutes: 60,
      minimumNoticeHours: 0,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      ...preferences,
    },
  };
}

const day = (iso: string) => ({
  from: new Date(`${iso}T00:00:00Z`),
  to: new Date(Date.parse(`${iso}T00:00:00Z`) + 2 * 86_400_000),
});
const utcStarts = (q: SlotQuery) => computeSlots(q).map((s) => s.startsAt);
const localStarts = (q: SlotQuery) => computeSlots(q).map((s) => s.localStartsAt);
const at = (iso: string) => new Date(iso);
const busy = (start: string, end: string) => ({ start: at(start), end: at(end) });

describe('computeSlots', () => {
  describe('the three example rules', () => {
    it('every weekday 09:00-17:00 offers hourly slots Monday to Friday only', () => {
      const q = aQuery({
        rules: [aRule({ rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR' })],
        from: at('2026-03-06T00:00:00Z'),
        to: at('2026-03-10T00:00:00Z'),
      });
      const slots = localStarts(q);
      expect(slots.filter((s) => s.startsWith('2026-03-06'))).to.have.length(8);
      expect(slots.filter((s) => s.startsWith('2026-03-07') || s.startsWith('2026-03-08'))).to.deep.equal([]);
      expect(slots[0]).to.equal('2026-03-06T09:00:00.000-05:00');
      expect(slots[8]).to.equal('2026-03-09T09:00:00.000-04:00');
      expect(slots.at(-1)).to.equal('2026-03-09T16:00:00.000-04:00');
    });

    it('Monday and Wednesday 13:00-19:00 every other week', () => {
      const rule = aRule({
        rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE',
        startDate: '2026-03-02',
        startTime: '13:00',
        endTime: '19:00',
      });
      const slots = localStarts(
        aQuery({
          rules: [rule],
          durationMinutes: 360,
          from: at('2026-03-01T00:00:00Z'),
          to: at('2026-03-21T00:00:00Z'),
        }),
      );
      expect(slots).to.deep.equal([
        '2026-03-02T13:00:00.000-05:00',
        '2026-03-04T13:00:00.000-05:00',
        '2026-03-16T13:00:00.000-04:00',
        '2026-03-18T13:00:00.000-04:00',
      ]);
    });

    it('first Saturday of the month 10:00-14:00', () => {
      const rule = aRule({ rrule: 'FREQ=MONTHLY;BYDAY=1SA', startTime: '10:00', endTime: '14:00' });
      const slots = localStarts(
        aQuery({
          rules: [rule],
          durationMinutes: 240,
          from: at('2026-03-01T00:00:00Z'),
          to: at('2026-05-01T00:00:00Z'),
        }),
      );
      expect(slots).to.deep.equal(['2026-03-07T10:00:00.000-05:00', '2026-04-04T10:00:00.000-04:00']);
    });
  });

  describe('daylight-saving changes', () => {
    it('New York, 8 March: a 01:00-04:00 window over the skipped hour offers 01:00, 01:30 and 03:00', () => {
      const q = aQuery({
        rules: [aRule({ startTime: '01:00', endTime: '04:00' })],
        ...day('2026-03-08'),
        preferences: { startTimeIntervalMinutes: 30 },
      });
      expect(localStarts(q).slice(0, 3)).to.deep.equal([
        '2026-03-08T01:00:00.000-05:00',
        '2026-03-08T01:30:00.000-05:00',
        '2026-03-08T03:00:00.000-04:00',
      ]);
      // 01:30 EST + 60 real minutes is 03:30 EDT.
      expect(computeSlots(q)[1].localEndsAt).to.equal('2026-03-08T03:30:00.000-04:00');
      expect(isSlotOffered(q, at('2026-03-08T07:30:00Z'))).to.equal(false);
    });

    it('New York, 8 March: grid times inside the gap are skipped, not moved', () => {
      const q = aQuery({
        rules: [aRule({ startTime: '02:20', endTime: '04:00' })],
        durationMinutes: 20,
        ...day('2026-03-08'),
        preferences: { startTimeIntervalMinutes: 20 },
      });
      expect(localStarts(q).slice(0, 3)).to.deep.equal([
        '2026-03-08T03:00:00.000-04:00',
        '2026-03-08T03:20:00.000-04:00',
        '2026-03-08T03:40:00.000-04:00',
      ]);
    });

    it('New York, 1 November: a 01:00-03:00 window lasts three real hours and offers the repeated hour once', () => {
      const q = aQuery({
        rules: [aRule({ startTime: '01:00', endTime: '03:00' })],
        durationMinutes: 30,
        ...day('2026-11-01'),
        preferences: { startTimeIntervalMinutes: 30 },
      });
      expect(utcStarts(q).slice(0, 4)).to.deep.equal([
        '2026-11-01T05:00:00.000Z',
        '2026-11-01T05:30:00.000Z',
        '2026-11-01T07:00:00.000Z',
        '2026-11-01T07:30:00.000Z',
      ]);
      expect(localStarts(q).slice(0, 4)).to.deep.equal([
        '2026-11-01T01:00:00.000-04:00',
        '2026-11-01T01:30:00.000-04:00',
        '2026-11-01T02:00:00.000-05:00',
        '2026-11-01T02:30:00.000-05:00',
      ]);
      // The second 01:00 (EST) is the same wall time: only its earlier instant is a grid time.
      expect(isSlotOffered(q, at('2026-11-01T06:00:00Z'))).to.equal(false);
    });

    it('New York, 1 November: durations are real minutes, so 01:30 EDT + 60 min ends at 01:30 EST', () => {
      const q = aQuery({
        rules: [aRule({ startTime: '01:00', endTime: '03:00' })],
        ...day('2026-11-01'),
        preferences: { startTimeIntervalMinutes: 30 },
      });
      const slot = computeSlots(q).find((s) => s.startsAt === '2026-11-01T05:30:00.000Z');
      expect(slot?.localEndsAt).to.equal('2026-11-01T01:30:00.000-05:00');
    });

    it('Europe/London, 29 March and 25 October', () => {
      const rule = aRule({ startTime: '00:00', endTime: '03:00', timeZone: 'Europe/London' });
      const spring = aQuery({ rules: [rule], timeZone: 'Europe/London', ...day('2026-03-29') });
      expect(localStarts(spring).slice(0, 2)).to.deep.equal([
        '2026-03-29T00:00:00.000+00:00',
        '2026-03-29T02:00:00.000+01:00',
      ]);
      const autumn = aQuery({
        rules: [rule],
        timeZone: 'Europe/London',
        from: at('2026-10-24T12:00:00Z'),
        to: at('2026-10-25T12:00:00Z'),
      });
      expect(utcStarts(autumn)).to.deep.equal([
        '2026-10-24T23:00:00.000Z',
        '2026-10-25T00:00:00.000Z',
        '2026-10-25T02:00:00.000Z',
      ]);
    });

    it('Australia/Lord_Howe, 30-minute shifts on 5 April and 4 October', () => {
      const rule = aRule({ startTime: '01:00', endTime: '03:00', timeZone: 'Australia/Lord_Howe' });
      const prefs = { startTimeIntervalMinutes: 15 };
      const april = aQuery({
        rules: [rule],
        durationMinutes: 15,
        timeZone: 'Australia/Lord_Howe',
        preferences: prefs,
        from: at('2026-04-04T12:00:00Z'),
        to: at('2026-04-05T12:00:00Z'),
      });
      // 01:30-01:59 happen twice (+11:00 then +10:30): offered once; the window lasts 2.5 real hours.
      expect(localStarts(april)).to.deep.equal([
        '2026-04-05T01:00:00.000+11:00',
        '2026-04-05T01:15:00.000+11:00',
        '2026-04-05T01:30:00.000+11:00',
        '2026-04-05T01:45:00.000+11:00',
        '2026-04-05T02:00:00.000+10:30',
        '2026-04-05T02:15:00.000+10:30',
        '2026-04-05T02:30:00.000+10:30',
        '2026-04-05T02:45:00.000+10:30',
      ]);
      const october = aQuery({
        rules: [rule],
        durationMinutes: 15,
        timeZone: 'Australia/Lord_Howe',
        preferences: prefs,
        from: at('2026-10-03T12:00:00Z'),
        to: at('2026-10-04T12:00:00Z'),
      });
      // 02:00-02:29 do not exist: the window lasts 1.5 real hours.
      expect(localStarts(october)).to.deep.equal([
        '2026-10-04T01:00:00.000+10:30',
        '2026-10-04T01:15:00.000+10:30',
        '2026-10-04T01:30:00.000+10:30',
        '2026-10-04T01:45:00.000+10:30',
        '2026-10-04T02:30:00.000+11:00',
        '2026-10-04T02:45:00.000+11:00',
      ]);
    });

    it('a clinician in Europe/London seen from America/Los_Angeles while only the US has changed clocks', () => {
      const rule = aRule({ rrule: 'FREQ=WEEKLY;BYDAY=MO', timeZone: 'Europe/London' });
      const q = aQuery({
        rules: [rule],
        timeZone: 'America/Los_Angeles',
        durationMinutes: 480,
        from: at('2026-03-01T00:00:00Z'),
        to: at('2026-04-01T00:00:00Z'),
      });
      expect(computeSlots(q).map((s) => [s.startsAt, s.localStartsAt])).to.deep.equal([
        ['2026-03-02T09:00:00.000Z', '2026-03-02T01:00:00.000-08:00'],
        ['2026-03-09T09:00:00.000Z', '2026-03-09T02:00:00.000-07:00'],
        ['2026-03-16T09:00:00.000Z', '2026-03-16T02:00:00.000-07:00'],
        ['2026-03-23T09:00:00.000Z', '2026-03-23T02:00:00.000-07:00'],
        ['2026-03-30T08:00:00.000Z', '2026-03-30T01:00:00.000-07:00'],
      ]);
    });
  });

  describe('minimum notice', () => {
    const evenings = aRule({ startTime: '18:00', endTime: '23:00' });

    it('is real hours across the spring-forward day (24 h from 20:00 EST is 21:00 EDT, not 20:00)', () => {
      const q = aQuery({
        rules: [evenings],
        now: at('2026-03-08T01:00:00Z'),
        preferences: { minimumNoticeHours: 24 },
        ...day('2026-03-08'),
      });
      expect(localStarts(q)[0]).to.equal('2026-03-08T21:00:00.000-04:00');
      expect(isSlotOffered(q, at('2026-03-09T00:00:00Z'))).to.equal(false);
    });

    it('is real hours across the fall-back day (24 h from 20:00 EDT is 19:00 EST, not 20:00)', () => {
      const q = aQuery({
        rules: [evenings],
        now: at('2026-11-01T00:00:00Z'),
        preferences: { minimumNoticeHours: 24 },
        ...day('2026-11-01'),
      });
      expect(localStarts(q)[0]).to.equal('2026-11-01T19:00:00.000-05:00');
      expect(isSlotOffered(q, at('2026-11-02T00:00:00Z'))).to.equal(true);
    });

    it('a slot exactly at now + notice is offered; a minute later now, it is not', () => {
      const q = aQuery({ now: at('2026-03-02T12:00:00Z'), preferences: { minimumNoticeHours: 3 } });
      expect(utcStarts(q)[0]).to.equal('2026-03-02T15:00:00.000Z');
      expect(isSlotOffered(q, at('2026-03-02T15:00:00Z'))).to.equal(true);
      const later = { ...q, now: at('2026-03-02T12:01:00Z') };
      expect(utcStarts(later)[0]).to.equal('2026-03-02T16:00:00.000Z');
      expect(isSlotOffered(later, at('2026-03-02T15:00:00Z'))).to.equal(false);
    });
  });

  describe('buffers and busy time', () => {
    const booked = busy('2026-03-02T15:00:00Z', '2026-03-02T16:00:00Z'); // 10:00-11:00 EST

    it('a slot inside another booking’s after-buffer is neither listed nor accepted', () => {
      const q = aQuery({
        busy: [booked],
        preferences: { startTimeIntervalMinutes: 15, bufferAfterMinutes: 15 },
      });
      const slots = utcStarts(q);
      expect(slots).not.to.include('2026-03-02T16:00:00.000Z');
      expect(isSlotOffered(q, at('2026-03-02T16:00:00Z'))).to.equal(false);
      expect(slots).to.include('2026-03-02T16:15:00.000Z');
    });

    it('padded intervals that only touch do not overlap; one minute more does', () => {
      const q = aQuery({
        rules: [aRule({ startTime: '08:00' })],
        busy: [booked],
        preferences: { startTimeIntervalMinutes: 15, bufferAfterMinutes: 15 },
      });
      // 08:45-09:45 padded to 10:00 touches the booking at 10:00.
      expect(isSlotOffered(q, at('2026-03-02T13:45:00Z'))).to.equal(true);
      expect(isSlotOffered(q, at('2026-03-02T14:00:00Z'))).to.equal(false);
      expect(isSlotOffered(q, at('2026-03-02T16:15:00Z'))).to.equal(true);
      const withBefore = aQuery({
        busy: [booked],
        preferences: { startTimeIntervalMinutes: 5, bufferBeforeMinutes: 10, bufferAfterMinutes: 5 },
      });
      // Booking padded to [09:50, 11:05); a slot at 11:15 padded from 11:05 touches it; 11:10 does not fit.
      expect(isSlotOffered(withBefore, at('2026-03-02T16:15:00Z'))).to.equal(true);
      expect(isSlotOffered(withBefore, at('2026-03-02T16:10:00Z'))).to.equal(false);
    });

    it('a slot that exactly fills the gap between two bookings, buffers included, is offered', () => {
      const second = busy('2026-03-02T18:00:00Z', '2026-03-02T19:00:00Z'); // 13:00-14:00 EST
      const q = aQuery({
        busy: [booked, second],
        preferences: { startTimeIntervalMinutes: 15, bufferBeforeMinutes: 15, bufferAfterMinutes: 15 },
      });
      // 11:30-12:30 padded to [11:15, 12:45) touches both padded bookings.
      expect(utcStarts(q).filter((s) => s > '2026-03-02T15' && s < '2026-03-02T19')).to.deep.equal([
        '2026-03-02T16:30:00.000Z',
      ]);
    });

    it('busy intervals without buffers: back-to-back is fine', () => {
      const q = aQuery({ busy: [booked] });
      expect(utcStarts(q)).to.include.members(['2026-03-02T14:00:00.000Z', '2026-03-02T16:00:00.000Z']);
      expect(utcStarts(q)).not.to.include('2026-03-02T15:00:00.000Z');
    });
  });

  describe('window edges', () => {
    it('a slot ending exactly at the window end is offered; one minute longer is not', () => {
      expect(isSlotOffered(aQuery(), at('2026-03-02T21:00:00Z'))).to.equal(true);
      expect(isSlotOffered(aQuery({ durationMinutes: 61 }), at('2026-03-02T21:00:00Z'))).to.equal(false);
      expect(utcStarts(aQuery({ durationMinutes: 61 })).at(-1)).to.equal('2026-03-02T20:00:00.000Z');
    });

    it('time off cuts the window; overlapping windows of two rules merge', () => {
      const off = { start: at('2026-03-02T17:00:00Z'), end: at('2026-03-02T18:00:00Z') };
      expect(utcStarts(aQuery({ timeOff: [off] }))).not.to.include.members([
        '2026-03-02T16:00:00.000Z',
        '2026-03-02T17:00:00.000Z',
      ]);
      const morning = aRule({ startTime: '09:00', endTime: '12:30' });
      const afternoon = aRule({ startTime: '12:00', endTime: '17:00' });
      const q = aQuery({
        rules: [morning, afternoon],
        durationMinutes: 120,
        preferences: { startTimeIntervalMinutes: 30 },
      });
      const slots = utcStarts(q);
      expect(slots).to.include('2026-03-02T16:30:00.000Z'); // 11:30-13:30 spans both
      expect(new Set(slots).size).to.equal(slots.length);
      expect(slots).to.have.length(13);
    });

    it('only starts in [from, to) are returned, and isSlotOffered agrees at the edges', () => {
      const q = aQuery({ from: at('2026-03-02T15:00:00Z'), to: at('2026-03-02T17:00:00Z') });
      expect(utcStarts(q)).to.deep.equal(['2026-03-02T15:00:00.000Z', '2026-03-02T16:00:00.000Z']);
      expect(isSlotOffered(q, at('2026-03-02T17:00:00Z'))).to.equal(false);
      expect(isSlotOffered(q, at('2026-03-02T14:00:00Z'))).to.equal(false);
    });

    it('refuses nonsense preferences instead of guessing', () => {
      expect(() => computeSlots(aQuery({ preferences: { startTimeIntervalMinutes: 0 } }))).to.throw(
        RangeError,
        /startTimeIntervalMinutes/,
      );
      expect(() => computeSlots(aQuery({ durationMinutes: -5 }))).to.throw(RangeError, /durationMinutes/);
      expect(() => computeSlots(aQuery({ rules: [aRule({ rrule: 'FREQ=HOURLY' })] }))).to.throw(
        RangeError,
        /FREQ/,
      );
    });
  });
});
