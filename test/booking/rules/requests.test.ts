import { expect } from 'chai';
import { pendingRefusal, startedRefusal } from '../../../booking/rules/requests';

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
