import { expect } from 'chai';
import { canceledByOtherSide, phoneOnlyMessage } from '../../../booking/rules/cancelation';

describe('rule: was it already canceled by the other side', () => {
  const canceledAt = new Date('2026-06-05T09:30:00Z');

  it('has nothing to say about a scheduled appointment', () => {
    expect(
      canceledByOtherSide({ status: 'scheduled', canceledBy: null, canceledAt: null }, 'client'),
    ).to.equal(null);
  });

  it('lets the same side repeat its cancel (the first result answers)', () => {
    expect(canceledByOtherSide({ status: 'canceled', canceledBy: 'client', canceledAt }, 'client')).to.equal(
      null,
    );
  });

  it('tells the client the practice canceled first, with the status and the moment', () => {
    expect(
      canceledByOtherSide({ status: 'canceled', canceledBy: 'staff', canceledAt }, 'client'),
    ).to.deep.equal({
      code: 'APPOINTMENT_ALREADY_CANCELED',
      message: 'This appointment was already canceled by the practice.',
      status: 'canceled',
      canceledBy: 'staff',
      canceledAt: '2026-06-05T09:30:00.000Z',
    });
  });

  it('tells the practice the client late-canceled first (moment given as a string too)', () => {
    const lost = canceledByOtherSide(
      { status: 'late_canceled', canceledBy: 'client', canceledAt: canceledAt.toISOString() },
      'staff',
    );
    expect(lost).to.include({
      message: 'This appointment was already marked Late Canceled by the client.',
      canceledAt: '2026-06-05T09:30:00.000Z',
    });
  });
});

describe('rule: phone-only cancelation wording', () => {
  it("names the practice's number when it has one", () => {
    expect(phoneOnlyMessage('+1 555 0100')).to.equal(
      "This appointment can't be canceled online; to cancel, please call +1 555 0100.",
    );
  });

  it('points to the clinician or the practice otherwise', () => {
    expect(phoneOnlyMessage(null)).to.match(/please call your clinician or the practice\.$/);
    expect(phoneOnlyMessage('')).to.equal(phoneOnlyMessage(null));
  });
});
