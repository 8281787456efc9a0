import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { useMailedApi } from './context';
import { aClient, aClinician, aPractice, aService, fixturePassword } from '../fixtures';
import { startRequestWorkflow } from '../../temporal/requests';
import {
  type Client,
  type NewClientDetails,
  type Practice,
  type Service,
  type StaffUser,
} from '../../models';

const HOUR = 3_600_000;
// The clock is Monday 1 June 2026, 12:00 UTC; slots from Wednesday 10 June, 10:00 in New York.
const SLOT = new Date('2026-06-10T14:00:00.000Z');
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

describe('deciding requests: what the approval says it did, and one request reloaded (API, worker, Temporal)', function () {
  this.timeout(120_000);
  const mailed = useMailedApi();
  const { ctx } = mailed;

  let practice: Practice;
  let clinician: StaffUser;
  let service: Service;
  let token: string;
  beforeEach(async () => {
    practice = await aPractice(ctx.db);
    service = await aService(ctx.db, practice, { name: 'Initial consultation', durationMinutes: 30 });
    clinician = await aClinician(ctx.db, practice, { preferences: { startTimeIntervalMinutes: 60 } });
    token = await ctx.http.signIn(clinician.email, fixturePassword);
  });

  // Slots from 10:00 New York on, an hour apart, inside the fixture clinician's hours.
  let slotNo = 0;
  beforeEach(() => {
    slotNo = 0;
  });
  /** A pending request as a submission records it, with its workflow running (how it got here is tested elsewhere). */
  async function submitted(who: { newClient: NewClientDetails } | { client: Client }) {
    const startsAt = at(SLOT, slotNo++ * HOUR);
    const endsAt = at(startsAt, 30 * 60_000);
    const hold = await ctx.db.TimeHold.create({
      clinicianId: clinician.id,
      during: ctx.db.TimeHold.range(startsAt, endsAt),
      kind: 'request',
    });
    const duplicate =
      'newClient' in who
        ? await ctx.db.Client.findOne({ where: { practiceId: practice.id, email: who.newClient.email } })
        : null;
    const request = await ctx.db.AppointmentRequest.create({
      practiceId: practice.id,
      clinicianId: clinician.id,
      serviceId: service.id,
      clientId: 'client' in who ? who.client.id : null,
      newClient: 'newClient' in who ? who.newClient : null,
      possibleDuplicateClientId: duplicate?.id ?? null,
      message: null,
      clientTimeZone: null,
      startsAt,
      endsAt,
      holdId: hold.id,
      idempotencyKey: null,
      createdAt: ctx.clock.now(),
    });
    await startRequestWorkflow(ctx.stack.temporal, ctx.stack.config.taskQueue, {
      requestId: request.id,
      practiceId: practice.id,
      clinicianId: clinician.id,
      startsAt: startsAt.toISOString(),
      requestedAt: request.createdAt.toISOString(),
      lifetimeHours: practice.requestLifetimeHours,
    });
    return request;
  }
  const approve = (id: string) =>
    ctx.http.post(`/api/appointment-requests/${id}/approve`, undefined, { token });
  const details = (email: string): NewClientDetails => ({
    firstName: 'Jo',
    lastName: 'Newname',
    email,
    phone: '+1 555 0100',
  });

  it('approving a flagged request says the existing client was booked (created: false); a new one says created', async () => {
    const existing = await aClient(ctx.db, practice, { firstName: 'Jordan', lastName: 'Lee' });
    const flagged = await submitted({ newClient: details(existing.email) });
    expect(flagged.possibleDuplicateClientId).to.equal(existing.id);
    const res = await approve(flagged.id);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.client).to.deep.equal({
      id: existing.id,
      firstName: 'Jordan',
      lastName: 'Lee',
      email: existing.email,
      created: false,
    });
    expect(res.body.appointment.clientId).to.equal(existing.id);
    await existing.reload();
    expect(existing.firstName, 'the profile stays as it was').to.equal('Jordan');

    const fresh = await submitted({ newClient: details(`new-${randomUUID()}@example.test`) });
    const created = await approve(fresh.id);
    expect(created.status, JSON.stringify(created.body)).to.equal(200);
    expect(created.body.client).to.include({ firstName: 'Jo', lastName: 'Newname', created: true });
    expect(created.body.client.id).to.equal(created.body.appointment.clientId);
    expect(created.body.client.id).to.not.equal(existing.id);

    const signedIn = await submitted({ client: existing });
    const again = await approve(signedIn.id);
    expect(again.body.client).to.include({ id: existing.id, created: false });
  });

  it('GET one request: the same view as the list, its status as it is now; 403 for a colleague, 404 unknown', async () => {
    const request = await submitted({ newClient: details(`one-${randomUUID()}@example.test`) });
    const pending = await ctx.http.get(`/api/appointment-requests/${request.id}`, { token });
    expect(pending.status, JSON.stringify(pending.body)).to.equal(200);
    const listed = await ctx.http.get('/api/appointment-requests?status=pending', { token });
    expect(pending.body).to.deep.equal(listed.body[0]);
    expect(pending.body).to.include({ id: request.id, status: 'pending' });
    expect(pending.body.client).to.include({ firstName: 'Jo', isNew: true });

    expect((await approve(request.id)).status).to.equal(200);
    const approved = await ctx.http.get(`/api/appointment-requests/${request.id}`, { token });
    expect(approved.body).to.include({ status: 'approved' });

    const colleague = await aClinician(ctx.db, practice);
    const colleagueToken = await ctx.http.signIn(colleague.email, fixturePassword);
    expect(
      (await ctx.http.get(`/api/appointment-requests/${request.id}`, { token: colleagueToken })).status,
    ).to.equal(403);
    expect((await ctx.http.get(`/api/appointment-requests/${randomUUID()}`, { token })).status).to.equal(404);
  });

  const emailKeyed = (key: string) => mailed.capture.waitFor((e) => e.idempotencyKey === key, 20_000);

  it('the receipt points a new client to the portal and an existing one to their requests', async () => {
    const fresh = await submitted({ newClient: details(`receipt-${randomUUID()}@example.test`) });
    const toNew = await emailKeyed(`request-received/${fresh.id}`);
    expect(toNew.text).to.include('the answer comes to this email address');
    expect(toNew.text).to.not.include('View your requests');
    expect(toNew.html).to.include(`href="http://portal.test/portal/${practice.slug}"`);

    const existing = await aClient(ctx.db, practice);
    const known = await submitted({ client: existing });
    const toExisting = await emailKeyed(`request-received/${known.id}`);
    expect(toExisting.text).to.include('View your requests');
    expect(toExisting.html).to.include(`href="http://portal.test/portal/${practice.slug}/me"`);
  });

  it('approved inside the 24-hour cutoff: the confirmation says canceling now is late, not "free until" a past moment', async () => {
    const inTime = await submitted({ newClient: details(`early-${randomUUID()}@example.test`) });
    const late = await submitted({ newClient: details(`late-${randomUUID()}@example.test`) });
    expect((await approve(inTime.id)).status).to.equal(200);
    // Approved 10 hours before the appointment: its free cancelation ended 14 hours ago.
    ctx.clock.set(at(late.startsAt, -10 * HOUR));
    token = await ctx.http.signIn(clinician.email, fixturePassword);
    const lateAnswer = await approve(late.id);
    expect(lateAnswer.status, JSON.stringify(lateAnswer.body)).to.equal(200);

    const early = await emailKeyed(`request-approved/${inTime.id}`);
    expect(early.text).to.include('free cancelation until');
    const tooLate = await emailKeyed(`request-approved/${late.id}`);
    expect(tooLate.text).to.not.include('free cancelation until');
    expect(tooLate.text).to.include('If you cancel it now, it counts as a late cancelation.');
  });
});
