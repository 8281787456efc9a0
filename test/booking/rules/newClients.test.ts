import { expect } from 'chai';
import {
  acceptsNewClients,
  newClientRefusal,
  practiceClosedToNewClients,
} from '../../../booking/rules/newClients';

describe('rule: may a new client book this', () => {
  const open = { allowNewClients: true };
  const closed = { allowNewClients: false };

  it('allows the clinician’s initial consultation at a practice taking new clients', () => {
    expect(newClientRefusal(open, 'consultation', 'consultation')).to.equal(null);
  });

  it('refuses any other service, naming serviceId', () => {
    expect(newClientRefusal(open, 'consultation', 'therapy')).to.include({
      code: 'SERVICE_NOT_OFFERED',
      field: '/serviceId',
    });
  });

  it('refuses every service of a clinician without an initial consultation', () => {
    expect(newClientRefusal(open, null, 'therapy')).to.include({ code: 'SERVICE_NOT_OFFERED' });
  });

  it('refuses everything when the practice takes no new clients, before looking at the service', () => {
    expect(newClientRefusal(closed, 'consultation', 'consultation')).to.include({
      code: 'NEW_CLIENTS_NOT_ACCEPTED',
    });
    expect(practiceClosedToNewClients(closed)).to.include({ code: 'NEW_CLIENTS_NOT_ACCEPTED' });
    expect(practiceClosedToNewClients(open)).to.equal(null);
  });

  it('lists a clinician for new clients only when their consultation is bookable online', () => {
    expect(acceptsNewClients(open, 'consultation', ['consultation', 'therapy'])).to.equal(true);
    expect(acceptsNewClients(open, 'consultation', ['therapy'])).to.equal(false);
    expect(acceptsNewClients(open, null, ['therapy'])).to.equal(false);
    expect(acceptsNewClients(closed, 'consultation', ['consultation'])).to.equal(false);
  });
});
