import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { IsoFormatter, isoUtc, isoWithOffset } from '../../scheduling/isoFormat';

describe('IsoFormatter', () => {
  it('formats like Date#toISOString and luxon, for whole minutes and odd milliseconds alike', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) }), fc.boolean()),
          { maxLength: 30 },
        ),
        fc.constantFrom(-720, -570, -480, -300, 0, 60, 330, 345, 630, 660, 840),
        (instants, offset) => {
          const formatter = new IsoFormatter();
          for (const [t, whole] of instants.sort((a, b) => a[0] - b[0])) {
            const ms = whole ? t - (t % 60_000) : t;
            expect(formatter.utc(ms)).to.equal(new Date(ms).toISOString());
            expect(formatter.withOffset(ms, offset)).to.equal(isoWithOffset(ms, offset));
          }
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  });

  it('matches luxon’s ISO form in a zone with a negative half-hour offset', () => {
    const ms = Date.parse('2026-03-09T13:07:00Z');
    expect(new IsoFormatter().withOffset(ms, -150)).to.equal(
      DateTime.fromMillis(ms, { zone: 'UTC-2:30' }).toISO(),
    );
    expect(isoUtc(ms)).to.equal('2026-03-09T13:07:00.000Z');
  });
});
