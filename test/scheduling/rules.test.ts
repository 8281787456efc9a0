import { expect } from 'chai';
import { ruleProblem, summarizeRule, validateRule, type AvailabilityRuleInput } from '../../scheduling';

function aRule(overrides: Partial<AvailabilityRuleInput> = {}): AvailabilityRuleInput {
  return {
    rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
    startDate: '2026-01-05',
    until: null,
    startTime: '09:00',
    endTime: '17:00',
    timeZone: 'America/New_York',
    ...overrides,
  };
}

describe('validateRule', () => {
  it('accepts the three example rules', () => {
    expect(validateRule(aRule())).to.equal(null);
    expect(
      validateRule(
        aRule({ rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE', startTime: '13:00', endTime: '19:00' }),
      ),
    ).to.equal(null);
    expect(
      validateRule(aRule({ rrule: 'FREQ=MONTHLY;BYDAY=1SA', startTime: '10:00', endTime: '14:00' })),
    ).to.equal(null);
  });

  it('accepts a leading RRULE:, COUNT, UNTIL, BYMONTHDAY and a last-weekday ordinal', () => {
    expect(validateRule(aRule({ rrule: 'RRULE:FREQ=DAILY;COUNT=10' }))).to.equal(null);
    expect(validateRule(aRule({ rrule: 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20261231' }))).to.equal(null);
    expect(validateRule(aRule({ rrule: 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20261231T235959Z' }))).to.equal(null);
    expect(validateRule(aRule({ rrule: 'FREQ=MONTHLY;BYMONTHDAY=1,15,-1' }))).to.equal(null);
    expect(validateRule(aRule({ rrule: 'FREQ=MONTHLY;BYDAY=-1FR' }))).to.equal(null);
    expect(validateRule(aRule({ until: '2026-01-05' }))).to.equal(null);
  });

  it('refuses frequencies other than DAILY, WEEKLY and MONTHLY', () => {
    expect(validateRule(aRule({ rrule: 'FREQ=HOURLY' }))).to.match(
      /FREQ must be DAILY, WEEKLY or MONTHLY, not HOURLY/,
    );
    expect(validateRule(aRule({ rrule: 'FREQ=YEARLY' }))).to.match(/FREQ/);
    expect(validateRule(aRule({ rrule: 'BYDAY=MO' }))).to.match(/FREQ is required/);
  });

  it('refuses rule parts outside the allowed subset, naming them', () => {
    expect(validateRule(aRule({ rrule: 'FREQ=MONTHLY;BYDAY=SA;BYSETPOS=1' }))).to.match(
      /BYSETPOS is not supported/,
    );
    expect(validateRule(aRule({ rrule: 'FREQ=WEEKLY;WKST=SU' }))).to.match(/WKST is not supported/);
    expect(validateRule(aRule({ rrule: 'DTSTART:20260101T090000Z' }))).to.match(/not NAME=VALUE/);
  });

  it('refuses malformed or out-of-range values the rrule parser would let through', () => {
    expect(validateRule(aRule({ rrule: 'FREQ=WEEKLY;INTERVAL=abc' }))).to.match(/INTERVAL/);
    expect(validateRule(aRule({ rrule: 'FREQ=WEEKLY;INTERVAL=53' }))).to.match(
      /INTERVAL must be a whole number from 1 to 52/,
    );
    expect(validateRule(aRule({ rrule: 'FREQ=WEEKLY;INTERVAL=52' }))).to.equal(null);
    expect(validateRule(aRule({ rrule: 'FREQ=DAILY;COUNT=1001' }))).to.match(
      /COUNT must be a whole number from 1 to 1000/,
    );
    expect(validateRule(aRule({ rrule: 'FREQ=DAILY;COUNT=1000' }))).to.equal(null);
    expect(validateRule(aRule({ rrule: 'FREQ=WEEKLY;BYDAY=XX' }))).to.match(/BYDAY has an unknown day "XX"/);
    expect(validateRule(aRule({ rrule: 'FREQ=WEEKLY;BYDAY=1SA' }))).to.match(/ordinals .* need FREQ=MONTHLY/);
    expect(validateRule(aRule({ rrule: 'FREQ=MONTHLY;BYDAY=6SA' }))).to.match(/ordinal/);
    expect(validateRule(aRule({ rrule: 'FREQ=MONTHLY;BYDAY=1SA,SU' }))).to.match(
      /BYDAY cannot mix ordinal days/,
    );
    expect(validateRule(aRule({ rrule: 'FREQ=MONTHLY;BYMONTHDAY=32' }))).to.match(/BYMONTHDAY/);
    expect(validateRule(aRule({ rrule: 'FREQ=WEEKLY;BYMONTHDAY=1' }))).to.match(
      /BYMONTHDAY cannot be used with FREQ=WEEKLY/,
    );
    expect(validateRule(aRule({ rrule: 'FREQ=DAILY;COUNT=3;UNTIL=20261231' }))).to.match(/COUNT and UNTIL/);
    expect(validateRule(aRule({ rrule: 'FREQ=DAILY;UNTIL=20260230' }))).to.match(/UNTIL must be/);
    expect(validateRule(aRule({ rrule: 'FREQ=DAILY;FREQ=WEEKLY' }))).to.match(/FREQ is given twice/);
  });

  it('refuses bad time zones', () => {
    expect(validateRule(aRule({ timeZone: 'Mars/Olympus_Mons' }))).to.match(
      /timeZone must be an IANA time zone/,
    );
    expect(validateRule(aRule({ timeZone: '' }))).to.match(/timeZone/);
    expect(validateRule(aRule({ timeZone: 'Australia/Lord_Howe' }))).to.equal(null);
  });

  it('refuses bad times and a start that is not before the end', () => {
    expect(validateRule(aRule({ startTime: '9:00' }))).to.match(/startTime must be a 24-hour time as HH:mm/);
    expect(validateRule(aRule({ startTime: '24:00' }))).to.match(/startTime/);
    expect(validateRule(aRule({ endTime: '17:60' }))).to.match(/endTime/);
    expect(validateRule(aRule({ endTime: '5:00 PM' }))).to.match(/endTime/);
    expect(validateRule(aRule({ startTime: '17:00', endTime: '09:00' }))).to.match(
      /startTime \(17:00\) must be before endTime \(09:00\)/,
    );
    expect(validateRule(aRule({ startTime: '09:00', endTime: '09:00' }))).to.match(/must be before endTime/);
  });

  it('refuses bad dates and an until before the start date', () => {
    expect(validateRule(aRule({ startDate: '2026-02-30' }))).to.match(
      /startDate must be a date as YYYY-MM-DD/,
    );
    expect(validateRule(aRule({ startDate: '05/01/2026' }))).to.match(/startDate/);
    expect(validateRule(aRule({ until: '2026-13-01' }))).to.match(/until must be a date/);
    expect(validateRule(aRule({ until: '2026-01-04' }))).to.match(
      /until \(2026-01-04\) is before startDate \(2026-01-05\)/,
    );
  });
});

describe('summarizeRule', () => {
  it('describes the three example rules with their local times', () => {
    expect(summarizeRule(aRule())).to.equal('Every weekday, 9:00 AM - 5:00 PM');
    expect(
      summarizeRule(
        aRule({ rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE', startTime: '13:00', endTime: '19:00' }),
      ),
    ).to.equal('Every 2 weeks on Monday, Wednesday, 1:00 PM - 7:00 PM');
    expect(
      summarizeRule(aRule({ rrule: 'FREQ=MONTHLY;BYDAY=1SA', startTime: '10:00', endTime: '14:00' })),
    ).to.equal('Monthly on the 1st Saturday, 10:00 AM - 2:00 PM');
  });

  it('names the last day when the rule ends, and handles midnight and noon', () => {
    expect(
      summarizeRule(
        aRule({ rrule: 'RRULE:FREQ=DAILY', until: '2026-06-30', startTime: '00:00', endTime: '12:30' }),
      ),
    ).to.equal('Daily until June 30, 2026, 12:00 AM - 12:30 PM');
  });
});

describe('ruleProblem: the one rule check, naming the field (the API answers 400 with it)', () => {
  const cases: [Partial<AvailabilityRuleInput>, string][] = [
    [{ rrule: 'FREQ=HOURLY' }, 'rrule'],
    [{ startDate: '2026-13-01' }, 'startDate'],
    [{ until: '2026-01-04', startDate: '2026-01-05' }, 'until'],
    [{ startTime: '25:00' }, 'startTime'],
    [{ startTime: '17:00', endTime: '09:00' }, 'endTime'],
    [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
    [{ rrule: 'FREQ=DAILY;UNTIL=20260101', startDate: '2026-01-05' }, 'rrule'],
  ];
  for (const [overrides, field] of cases) {
    it(`names ${field} for ${JSON.stringify(overrides)}, with validateRule's message`, () => {
      const rule = aRule(overrides);
      expect(ruleProblem(rule)).to.deep.equal({ field, message: validateRule(rule) });
    });
  }

  it('finds nothing wrong with a valid rule', () => {
    expect(ruleProblem(aRule())).to.equal(null);
  });
});
