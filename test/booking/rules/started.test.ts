import { expect } from 'chai';
import { hasStarted } from '../../../booking/rules/started';

describe('rule: has the slot started', () => {
  const startsAt = new Date('2026-06-10T14:00:00Z');

  it('is not started a millisecond before its start', () => {
    expect(hasStarted({ startsAt }, new Date(startsAt.getTime() - 1))).to.equal(false);
  });

  it('has started at its first instant and after', () => {
    expect(hasStarted({ startsAt }, startsAt)).to.equal(true);
    expect(hasStarted({ startsAt }, startsAt.getTime() + 60_000)).to.equal(true);
  });

  it('reads an ISO start with an offset as the same instant (workflow inputs carry strings)', () => {
    expect(hasStarted({ startsAt: '2026-06-10T10:00:00-04:00' }, startsAt)).to.equal(true);
    expect(hasStarted({ startsAt: '2026-06-10T10:00:00-04:00' }, startsAt.getTime() - 1)).to.equal(false);
  });
});
