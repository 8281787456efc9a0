import { expect } from 'chai';
import { nextReminder, reminderOffsetsProblem } from '../../booking/rules/reminders';

const HOUR = 3_600_000;
const START = new Date('2027-11-08T14:00:00Z'); // Monday 09:00 EST, the day after the US change
const before = (hours: number) => new Date(START.getTime() - hours * HOUR);
const BOOKED = before(24 * 10);

describe('booking/rules/reminders nextReminder', () => {
  const at = (now: Date, over: Partial<Parameters<typeof nextReminder>[0]> = {}) =>
    nextReminder({ startsAt: START, timeSetAt: BOOKED, offsetsHours: [48, 2], handled: [], now, ...over });

  it('the earliest moment ahead, in real hours before the start (a DST change in between does not shift it)', () => {
    expect(at(before(100))).to.deep.equal({ offsetHours: 48, at: new Date('2027-11-06T14:00:00Z') });
    expect(at(before(47), { handled: [48] })).to.deep.equal({ offsetHours: 2, at: before(2) });
  });

  it('a moment passed unseen is due now, once; of several, only the latest', () => {
    expect(at(before(30))).to.deep.equal({ offsetHours: 48, at: before(48) });
    expect(at(before(1))).to.deep.equal({ offsetHours: 2, at: before(2) });
    expect(at(before(1), { handled: [2] })).to.equal(null);
  });

  it('nothing at or after the start, nothing handled twice, nothing superseded by a later reminder', () => {
    expect(at(START)).to.equal(null);
    expect(at(before(40), { handled: [48] })).to.deep.equal({ offsetHours: 2, at: before(2) });
    // The 2 h reminder went (say the offsets were 2 only then): a 48 h one added later is over.
    expect(at(before(1), { handled: [2], offsetsHours: [48, 2] })).to.equal(null);
  });

  it('skips moments before the appointment was booked or last moved', () => {
    expect(at(before(30), { timeSetAt: before(36) })).to.deep.equal({ offsetHours: 2, at: before(2) });
    expect(at(before(1), { timeSetAt: before(1.5) })).to.equal(null);
  });

  it('follows the offsets it is given (settings changed), whatever their order', () => {
    expect(at(before(100), { offsetsHours: [2, 72, 24] })).to.deep.equal({ offsetHours: 72, at: before(72) });
    expect(at(before(100), { offsetsHours: [] })).to.equal(null);
  });
});

describe('booking/rules/reminders reminderOffsetsProblem', () => {
  it('names the offending entry', () => {
    expect(reminderOffsetsProblem([48, 2])).to.equal(null);
    expect(reminderOffsetsProblem([])).to.equal(null);
    expect(reminderOffsetsProblem([48, 337])?.index).to.equal(1);
    expect(reminderOffsetsProblem([0])?.index).to.equal(0);
    expect(reminderOffsetsProblem([1.5])?.index).to.equal(0);
    expect(reminderOffsetsProblem([24, 2, 24])).to.deep.include({ index: 2 });
    expect(reminderOffsetsProblem([1, 2, 3, 4])?.index).to.equal(3);
  });
});
