import { expect } from 'chai';
import { pendingRefusal, requestExpiresAt, startedRefusal } from '../../../booking/rules/requests';

describe('rule: is the request still pending', () => {
  it('lets a decision on a pending request go ahead', () => {
    expect(pendingRefusal({ status: 'pending' })).to.equal(null);
  });

  for (const status of ['approved', 'declined', 'expired', 'withdrawn', 'abandoned'] as const) {
    it(`refuses a decision on a request already ${status}, naming that status`, () => {
      expect(pendingRefusal({ status })).to.deep.equal({
        code: 'REQUEST_NOT_PENDING',
        message: `This request is already ${status}.`,
        status,
      });
    });
  }

  it('says why an approval came too late: the time has started and the request expired', () => {
    const refusal = startedRefusal('expired');
    expect(refusal).to.include({ code: 'REQUEST_NOT_PENDING', status: 'expired' });
    expect(refusal.message).to.match(/already started/);
  });
});

describe('rule: when an unanswered request expires', () => {
  const requestedAt = '2026-06-01T12:00:00Z';

  it('at the slot start when that comes before the lifetime', () => {
    const startsAt = '2026-06-03T14:00:00Z';
    expect(requestExpiresAt({ startsAt, requestedAt, lifetimeHours: 168 })).to.equal(Date.parse(startsAt));
  });

  it('at the end of the lifetime when the slot is further away', () => {
    expect(requestExpiresAt({ startsAt: '2026-06-24T14:00:00Z', requestedAt, lifetimeHours: 168 })).to.equal(
      Date.parse('2026-06-08T12:00:00Z'),
    );
  });

  it('takes dates as well as ISO strings', () => {
    expect(
      requestExpiresAt({
        startsAt: new Date('2026-06-24T14:00:00Z'),
        requestedAt: new Date(requestedAt),
        lifetimeHours: 72,
      }),
    ).to.equal(Date.parse('2026-06-04T12:00:00Z'));
  });
});
