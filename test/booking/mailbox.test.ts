import { expect } from 'chai';
import { mailboxOf } from '../../booking/mailbox';

describe('booking/mailbox mailboxOf', () => {
  it('ignores case and surrounding space everywhere', () => {
    expect(mailboxOf('  Jordan.Rivera@Example.TEST ')).to.equal('jordan.rivera@example.test');
  });

  it('drops a +tag at every domain (subaddressing is the default at the big providers and common MTAs)', () => {
    for (const [given, mailbox] of [
      ['robin+portal@outlook.com', 'robin@outlook.com'],
      ['robin+a+b@fastmail.com', 'robin@fastmail.com'],
      ['Robin+X@practice-client.example', 'robin@practice-client.example'],
    ]) {
      expect(mailboxOf(given), given).to.equal(mailbox);
    }
  });

  it('drops dots only at gmail.com and googlemail.com, which are one set of mailboxes', () => {
    expect(mailboxOf('J.O.R.D.A.N+calendar@GoogleMail.com')).to.equal('jordan@gmail.com');
    expect(mailboxOf('jor.dan@gmail.com')).to.equal('jordan@gmail.com');
    expect(mailboxOf('j.smith@workspace-domain.example'), 'dots matter elsewhere').to.equal(
      'j.smith@workspace-domain.example',
    );
    expect(mailboxOf('j.smith@outlook.com')).to.not.equal(mailboxOf('jsmith@outlook.com'));
  });

  it('keeps an address that would have nothing left as it is', () => {
    expect(mailboxOf('+tag@example.test')).to.equal('+tag@example.test');
    expect(mailboxOf('...@gmail.com')).to.equal('...@gmail.com');
    expect(mailboxOf('not-an-address')).to.equal('not-an-address');
  });
});
