import { expect } from 'chai';
import { loadConfig } from '../../app/config';
import { seedDemoPractice } from '../../models/seed';
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
