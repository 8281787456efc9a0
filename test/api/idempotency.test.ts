import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { useApi } from './context';
import { TokenService } from '../../api/auth/tokens';
import { aClient, aClinician, aPractice, aService } from '../fixtures';
import { type Client, type Practice, type Service, type StaffUser } from '../../models';

// The clock is Monday 1 June 2026, 12:00 UTC; the slots are Wednesday 10 June, 10:00 and 11:00 in New York.
const SLOT = '2026-06-10T14:00:00.000Z';
const OTHER_SLOT = '2026-06-10T15:00:00.000Z';

describe('Idempotency-Key on portal submissions (API, PostgreSQL, Temporal)', function () {
  this.timeout(120_000);
  const ctx = useApi();

  let practice: Practice;
  let clinician: StaffUser;
  let service: Service;
  let client: Client;
  beforeEach(async () => {
    practice = await aPractice(ctx.db);
    service = await aService(ctx.db, practice, { name: 'Individual therapy', durationMinutes: 50 });
    clinician = await aClinician(ctx.db, practice, { preferences: { startTimeIntervalMinutes: 60 } });
    client = await aClient(ctx.db, practice);
  });

  // A signed-in client needs no email verification, so these requests test the key and nothing else.
  const token = () =>
    new TokenService(ctx.stack.config.authSecret!, ctx.clock).sign(
      { typ: 'client', sub: client.id, pid: practice.id },
      new Date(ctx.clock.now().getTime() + 3_600_000),
    );
  const send = async (key: string, body: Record<string, unknown>) =>
    ctx.http.post(
      `/portal/${practice.slug}/requests`,
      { clinicianId: clinician.id, serviceId: service.id, ...body },
      { token: await token(), headers: { 'idempotency-key': key } },
    );
  const held = async () => ({
    requests: await ctx.db.AppointmentRequest.count({ where: { practiceId: practice.id } }),
    holds: await ctx.db.TimeHold.count({ where: { clinicianId: clinician.id } }),
  });

  it('same key and same body: the first answer again (201, Idempotent-Replayed), one request, one hold', async () => {
    const key = `key-${randomUUID()}`;
    const first = await send(key, { startsAt: SLOT, message: 'Mornings, please.' });
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    expect(first.headers.get('idempotent-replayed')).to.equal(null);
    // The same request as the portal retries it: keys in another order and the message with its spaces again.
    const again = await send(key, { message: '  Mornings, please. ', startsAt: '2026-06-10T10:00:00-04:00' });
    expect(again.status, JSON.stringify(again.body)).to.equal(201);
    expect(again.headers.get('idempotent-replayed')).to.equal('true');
    expect(again.body).to.deep.equal(first.body);
    expect(await held()).to.deep.equal({ requests: 1, holds: 1 });
  });

  it('same key with another body: 422 IDEMPOTENCY_KEY_MISMATCH, nothing new held, the first request untouched', async () => {
    const key = `key-${randomUUID()}`;
    const first = await send(key, { startsAt: SLOT });
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    for (const changed of [
      { startsAt: OTHER_SLOT },
      { startsAt: SLOT, message: 'Something else' },
      { startsAt: SLOT, timeZone: 'Europe/Paris' },
    ]) {
      const reused = await send(key, changed);
      expect(reused.status, JSON.stringify(reused.body)).to.equal(422);
      expect(reused.headers.get('content-type')).to.match(/application\/problem\+json/);
      expect(reused.headers.get('idempotent-replayed')).to.equal(null);
      expect(reused.body).to.include({ code: 'IDEMPOTENCY_KEY_MISMATCH', status: 422 });
      expect(reused.body.detail).to.match(/different request/);
    }
    expect(await held()).to.deep.equal({ requests: 1, holds: 1 });
    const row = (await ctx.db.AppointmentRequest.findByPk(first.body.id as string))!;
    expect(row.startsAt.toISOString()).to.equal(SLOT);
    expect(row.idempotencyBodyHash).to.match(/^[0-9a-f]{64}$/);
    // A new key for the new request works as usual.
    expect((await send(`key-${randomUUID()}`, { startsAt: OTHER_SLOT })).status).to.equal(201);
  });
});
