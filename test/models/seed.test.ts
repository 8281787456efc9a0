import { expect } from 'chai';
import { loadConfig } from '../../app/config';
import { seedDemoPractice } from '../../models/seed';
import { listClients } from '../../booking/clients';
import { useFreshDatabase } from '../support/database';

describe('REQUEST_LIFETIME_HOURS: the request lifetime a new practice starts with', () => {
  const database = useFreshDatabase();

  it('gives the demo practice the configured lifetime, which it then keeps as its own', async () => {
    const config = loadConfig({ REQUEST_LIFETIME_HOURS: '72' });
    expect(config.requestLifetimeHours).to.equal(72);
    const seeded = await seedDemoPractice(database.db, {
      password: 'a demo password of some length',
      today: '2026-06-01',
      requestLifetimeHours: config.requestLifetimeHours,
    });
    expect(seeded).to.equal(true);
    const practice = await database.db.Practice.findOne({ where: { slug: 'demo' } });
    expect(practice!.requestLifetimeHours).to.equal(72);
  });
});

describe('the demo practice gives its clinician clients to book', () => {
  const database = useFreshDatabase();

  it('seeds two portal clients, each seen by Cal Clinician a week before the first start, whom Cal then finds', async () => {
    await seedDemoPractice(database.db, {
      password: 'a demo password of some length',
      today: '2026-06-10',
      requestLifetimeHours: 168,
    });
    const practice = (await database.db.Practice.findOne({ where: { slug: 'demo' } }))!;
    const cal = (await database.db.StaffUser.findOne({ where: { email: 'clinician@demo.test' } }))!;
    const found = await listClients(
      database.db,
      { id: cal.id, practiceId: practice.id, seesAll: false },
      { after: null, order: [['lastName', 'ASC']], limit: 10 },
    );
    expect(found.map((c) => c.email)).to.deep.equal(['sam.okafor@demo.test', 'jamie.rivera@demo.test']);
    const visits = await database.db.Appointment.findAll({
      where: { clinicianId: cal.id },
      order: [['startsAt', 'ASC']],
    });
    expect(visits.map((a) => [a.status, a.startsAt.toISOString()])).to.deep.equal([
      ['show', '2026-06-03T14:00:00.000Z'],
      ['show', '2026-06-03T15:00:00.000Z'],
    ]);
  });
});
