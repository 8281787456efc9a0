import { expect } from 'chai';
import { WorkflowNotFoundError } from '@temporalio/client';
import { useMailedApi } from './context';
import { TokenService } from '../../api/auth/tokens';
import { cancellationWorkflowId } from '../../temporal/cancellations';
import {
  aClient,
  aClinician,
  aPractice,
  aService,
  aStaffUser,
  fixturePassword,
  anAppointment,
} from '../fixtures';
import {
  type Appointment,
  type CancellationPolicy,
  type Client,
  type Practice,
  type Service,
  type StaffUser,
} from '../../models';

const HOUR = 3_600_000;
// The clock starts Monday 1 June 2026, 12:00 UTC; the slot is Wednesday 10 June, 10:00 in New York.
const SLOT = new Date('2026-06-10T14:00:00.000Z');
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

describe('appointments and cancelations over HTTP (API, worker, PostgreSQL, Temporal, Resend SDK)', function () {
  this.timeout(120_000);
  const mailed = useMailedApi();
  const { ctx } = mailed;

  let practice: Practice;
  let clinician: StaffUser;
  let service: Service;
  let client: Client;
  beforeEach(async () => {
    mailed.capture.reset();
    practice = await aPractice(ctx.db, { cancellationPolicy: '24h', phone: '+1 555 0199' });
    clinician = await aClinician(ctx.db, practice);
    service = await aService(ctx.db, practice, { name: 'Individual therapy', durationMinutes: 50 });
    client = await aClient(ctx.db, practice, { firstName: 'Casey' });
  });

  /** A scheduled appointment holding its time, as approval leaves it. */
  const booked = (
    opts: { startsAt?: Date; policy?: CancellationPolicy; of?: Client; with?: StaffUser } = {},
  ) =>
    anAppointment(ctx.db, {
      practice,
      clinician: opts.with ?? clinician,
      client: opts.of ?? client,
      service,
      startsAt: opts.startsAt ?? SLOT,
      cancellationPolicy: opts.policy,
    });

  /** A portal token as /auth/verify issues it (the sign-in flow has tests of its own). */
  const portalToken = (who: Client = client, practiceId = practice.id) =>
    new TokenService(ctx.stack.config.authSecret!, ctx.clock).sign(
      { typ: 'client', sub: who.id, pid: practiceId },
      at(ctx.clock.now(), 2 * HOUR),
    );
  const portalCancel = async (appointment: Appointment, body: object = {}, token?: string) =>
    ctx.http.post(`/portal/${practice.slug}/me/appointments/${appointment.id}/cancel`, body, {
      token: token ?? (await portalToken()),
    });
  const keyed = (key: string) => mailed.capture.waitFor((e) => e.idempotencyKey === key, 20_000);

  async function offeredStarts(): Promise<string[]> {
    const q = new URLSearchParams({
      clinicianId: clinician.id,
      serviceId: service.id,
      from: at(SLOT, -HOUR).toISOString(),
      to: at(SLOT, 2 * HOUR).toISOString(),
    });
    const res = await ctx.http.get(`/portal/${practice.slug}/availability?${q}`, {
      token: await portalToken(),
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return (res.body.slots as { startsAt: string }[]).map((s) => s.startsAt);
  }

  it("lists the client's upcoming and past appointments with what canceling now would mean, in their zone", async () => {
    const free = await booked({ policy: '24h' });
    const byPhone = await booked({ policy: 'phone_call', startsAt: at(SLOT, 24 * HOUR) });
    const past = await booked({ startsAt: new Date('2026-05-20T14:00:00Z') });
    await booked({ of: await aClient(ctx.db, practice), startsAt: at(SLOT, 48 * HOUR) });
    const token = await portalToken();

    const res = await ctx.http.get(`/portal/${practice.slug}/me/appointments?timeZone=America/Chicago`, {
      token,
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.timeZone).to.equal('America/Chicago');
    expect(res.body.upcoming.map((a: { id: string }) => a.id)).to.deep.equal([free.id, byPhone.id]);
    expect(res.body.past.map((a: { id: string }) => a.id)).to.deep.equal([past.id]);
    expect(res.body.upcoming[0]).to.include({
      status: 'scheduled',
      startsAt: SLOT.toISOString(),
      startsAtLocal: '2026-06-10T09:00:00.000-05:00',
      cancellationPolicy: '24h',
      canCancelOnline: true,
      freeCancelationUntil: '2026-06-09T14:00:00.000Z',
      freeCancelationUntilLocal: '2026-06-09T09:00:00.000-05:00',
      cancelNowAs: 'canceled',
      practicePhone: null,
    });
    expect(res.body.upcoming[0].service).to.deep.equal({ id: service.id, name: 'Individual therapy' });
    expect(res.body.upcoming[1]).to.include({
      cancellationPolicy: 'phone_call',
      canCancelOnline: false,
      freeCancelationUntil: null,
      practicePhone: '+1 555 0199',
    });
    expect(res.body.past[0]).to.include({ status: 'scheduled' }).and.not.have.property('canCancelOnline');

    const inPracticeZone = await ctx.http.get(`/portal/${practice.slug}/me/appointments`, { token });
    expect(inPracticeZone.body.timeZone).to.equal('America/New_York');
    expect(inPracticeZone.body.upcoming[0].freeCancelationUntilLocal).to.equal(
      '2026-06-09T10:00:00.000-04:00',
    );

    const badZone = await ctx.http.get(`/portal/${practice.slug}/me/appointments?timeZone=Mars/Olympus`, {
      token,
    });
    expect(badZone.status).to.equal(400);
    expect(badZone.body).to.include({ field: 'timeZone' });
    expect((await ctx.http.get(`/portal/${practice.slug}/me/appointments`)).status).to.equal(401);
  });

  it('a portal cancel before the cutoff: 200 canceled, the slot is offered again at once, both are told; a repeat answers the first result', async () => {
    const appointment = await booked();
    expect(await offeredStarts()).to.not.include(SLOT.toISOString());

    const res = await portalCancel(appointment, { reason: 'Moving to Denver' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ appointmentId: appointment.id, status: 'canceled' });
    expect(res.body.cancelRequestedAt).to.equal(ctx.clock.now().toISOString());
    expect(await ctx.db.TimeHold.findByPk(appointment.holdId!)).to.equal(null);
    await appointment.reload();
    expect(appointment).to.include({
      status: 'canceled',
      canceledBy: 'client',
      cancelReason: 'Moving to Denver',
    });
    expect(await offeredStarts()).to.include(SLOT.toISOString());

    const toClient = await keyed(`appointment-canceled/${appointment.id}`);
    expect(toClient.to).to.deep.equal([client.email]);
    expect(toClient.subject).to.match(/^Canceled:/);
    const toClinician = await keyed(`appointment-canceled-clinician/${appointment.id}`);
    expect(toClinician.to).to.deep.equal([clinician.email]);
    const staffToken = await ctx.http.signIn(clinician.email, fixturePassword);
    const bell = await ctx.http.get('/api/notifications', { token: staffToken });
    expect(bell.body.items).to.have.length(1);
    expect(bell.body.items[0]).to.include({
      kind: 'appointment_canceled',
      appointmentId: appointment.id,
      startsAt: SLOT.toISOString(),
    });

    // Past the cutoff now, but this appointment was already canceled in time: the first result stands.
    ctx.clock.set(at(SLOT, -HOUR));
    const again = await portalCancel(appointment);
    expect(again.status).to.equal(200);
    expect(again.body).to.include({ status: 'canceled', cancelRequestedAt: res.body.cancelRequestedAt });
  });

  it('a portal cancel after the cutoff is late_canceled, and the emails say so', async () => {
    const appointment = await booked({ policy: '48h' });
    ctx.clock.set(at(SLOT, -47 * HOUR));
    const res = await portalCancel(appointment);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.status).to.equal('late_canceled');
    expect((await keyed(`appointment-canceled/${appointment.id}`)).subject).to.match(/^Late canceled:/);
    expect((await keyed(`appointment-canceled-clinician/${appointment.id}`)).subject).to.match(
      /^Late canceled:/,
    );
  });

  it('the policy booked with the appointment applies, not the one the practice has switched to since', async () => {
    const appointment = await booked({ policy: '72h' });
    const manager = await aStaffUser(ctx.db, practice, { role: 'practice_manager' });
    const managerToken = await ctx.http.signIn(manager.email, fixturePassword);
    const patched = await ctx.http.patch(
      '/api/practice/client-portal',
      { cancellationPolicy: 'phone_call' },
      { token: managerToken },
    );
    expect(patched.status).to.equal(200);
    ctx.clock.set(at(SLOT, -48 * HOUR));
    const res = await portalCancel(appointment);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.status).to.equal('late_canceled');
  });

  it('phone_call: 409 CANCEL_BY_PHONE_ONLY with the phone number, nothing changes, no workflow starts', async () => {
    const appointment = await booked({ policy: 'phone_call' });
    const res = await portalCancel(appointment);
    expect(res.status).to.equal(409);
    expect(res.headers.get('content-type')).to.match(/application\/problem\+json/);
    expect(res.body).to.include({ code: 'CANCEL_BY_PHONE_ONLY', phone: '+1 555 0199' });
    expect(res.body.detail).to.include('+1 555 0199');
    await appointment.reload();
    expect(appointment).to.include({ status: 'scheduled', cancelRequestedAt: null });
    expect(await ctx.db.TimeHold.findByPk(appointment.holdId!)).to.not.equal(null);
    let missing: unknown = null;
    await ctx.stack.temporal.workflow
      .getHandle(cancellationWorkflowId(appointment.id))
      .describe()
      .catch((err: unknown) => {
        missing = err;
      });
    expect(missing).to.be.instanceOf(WorkflowNotFoundError);
  });

  it("another client's appointment is 404, as is a token for another practice; a started or practice-canceled one is 409", async () => {
    const theirs = await booked({ of: await aClient(ctx.db, practice) });
    const res = await portalCancel(theirs);
    expect(res.status).to.equal(404);
    expect(res.body.code).to.equal('APPOINTMENT_NOT_FOUND');
    expect((await ctx.db.Appointment.findByPk(theirs.id))!.status).to.equal('scheduled');

    const mine = await booked({ startsAt: at(SLOT, 3 * HOUR) });
    const elsewhere = await aPractice(ctx.db);
    const foreign = await portalToken(client, elsewhere.id);
    expect((await portalCancel(mine, {}, foreign)).status).to.equal(404);

    const started = await booked({ startsAt: at(ctx.clock.now(), -10 * 60_000) });
    const late = await portalCancel(started);
    expect(late.status).to.equal(409);
    expect(late.body.code).to.equal('APPOINTMENT_NOT_CANCELABLE');

    const staffToken = await ctx.http.signIn(clinician.email, fixturePassword);
    const byPractice = await ctx.http.post(
      `/api/appointments/${mine.id}/cancel`,
      { status: 'canceled', notifyClient: false },
      { token: staffToken },
    );
    expect(byPractice.status, JSON.stringify(byPractice.body)).to.equal(200);
    const afterwards = await portalCancel(mine);
    expect(afterwards.status).to.equal(409);
    expect(afterwards.body).to.include({
      code: 'APPOINTMENT_ALREADY_CANCELED',
      status: 'canceled',
      canceledBy: 'staff',
      canceledAt: byPractice.body.canceledAt,
    });
  });

  it('a client and the practice cancel at once, round after round: one 200, the other 409 saying who canceled, how and when', async () => {
    const staffToken = await ctx.http.signIn(clinician.email, fixturePassword);
    const clientToken = await portalToken();
    for (let round = 0; round < 12; round++) {
      const appointment = await booked({ startsAt: at(SLOT, round * 2 * HOUR) });
      // The practice marks it Late Canceled; the client, days before the cutoff, would get plain Canceled.
      const [fromClient, fromStaff] = await Promise.all([
        portalCancel(appointment, { reason: 'Feeling better' }, clientToken),
        ctx.http.post(
          `/api/appointments/${appointment.id}/cancel`,
          { status: 'late_canceled', notifyClient: false, reason: 'No-show policy' },
          { token: staffToken },
        ),
      ]);
      const row = (await ctx.db.Appointment.findByPk(appointment.id))!;
      const label = `round ${round}: client ${fromClient.status} ${JSON.stringify(fromClient.body)}, staff ${fromStaff.status} ${JSON.stringify(fromStaff.body)}`;
      expect([fromClient.status, fromStaff.status].sort(), label).to.deep.equal([200, 409]);
      const [winner, loser] = fromClient.status === 200 ? [fromClient, fromStaff] : [fromStaff, fromClient];
      const by = fromClient.status === 200 ? 'client' : 'staff';
      expect(row, label).to.include({
        canceledBy: by,
        status: by === 'client' ? 'canceled' : 'late_canceled',
      });
      expect(winner.body, label).to.include({
        status: row.status,
        canceledAt: row.canceledAt!.toISOString(),
      });
      expect(loser.body, label).to.include({
        code: 'APPOINTMENT_ALREADY_CANCELED',
        status: row.status,
        canceledBy: by,
        canceledAt: row.canceledAt!.toISOString(),
      });
      expect(loser.body.detail, label).to.equal(
        by === 'client'
          ? 'This appointment was already canceled by the client.'
          : 'This appointment was already marked Late Canceled by the practice.',
      );
    }
  });

  it('staff cancel: the clinician of the appointment, admins and managers may; a colleague 403, another practice 404, nobody 401', async () => {
    const admin = await aStaffUser(ctx.db, practice, { role: 'admin_clinician' });
    const manager = await aStaffUser(ctx.db, practice, { role: 'practice_manager' });
    const colleague = await aClinician(ctx.db, practice);
    const outsider = await aStaffUser(ctx.db, await aPractice(ctx.db), { role: 'admin_clinician' });
    const cells: [string, StaffUser | null, number][] = [
      ['clinician', clinician, 200],
      ['admin', admin, 200],
      ['manager', manager, 200],
      ['colleague', colleague, 403],
      ['outsider', outsider, 404],
      ['nobody', null, 401],
    ];
    for (const [i, [name, actor, expected]] of cells.entries()) {
      const appointment = await booked({ startsAt: at(SLOT, i * 2 * HOUR) });
      const token = actor ? await ctx.http.signIn(actor.email, fixturePassword) : undefined;
      const res = await ctx.http.post(
        `/api/appointments/${appointment.id}/cancel`,
        { status: 'late_canceled', notifyClient: name === 'manager', reason: 'Clinician ill' },
        { token },
      );
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).to.equal(expected);
      const row = (await ctx.db.Appointment.findByPk(appointment.id))!;
      if (expected === 200) {
        expect(res.body.status, name).to.equal('late_canceled');
        expect(row, name).to.include({ status: 'late_canceled', canceledBy: 'staff', holdId: null });
      } else {
        expect(row.status, name).to.equal('scheduled');
      }
    }
    const managerCanceled = (await ctx.db.Appointment.findOne({ where: { startsAt: at(SLOT, 4 * HOUR) } }))!;
    const toClient = await keyed(`appointment-canceled/${managerCanceled.id}`);
    expect(toClient.text).to.include('The practice canceled your appointment');
    // The clinician canceled their own: nobody else needs telling, and notifyClient was false.
    const ownId = (await ctx.db.Appointment.findOne({ where: { startsAt: SLOT } }))!.id;
    expect(mailed.capture.deliveries().filter((e) => e.idempotencyKey?.endsWith(ownId))).to.have.length(0);

    const again = await ctx.http.post(
      `/api/appointments/${managerCanceled.id}/cancel`,
      { status: 'canceled', notifyClient: true },
      { token: await ctx.http.signIn(admin.email, fixturePassword) },
    );
    expect(again.status).to.equal(200);
    expect(again.body.status, 'the first result').to.equal('late_canceled');

    const invalid = await ctx.http.post(
      `/api/appointments/${(await booked({ startsAt: at(SLOT, 20 * HOUR) })).id}/cancel`,
      { status: 'show', notifyClient: true },
      { token: await ctx.http.signIn(admin.email, fixturePassword) },
    );
    expect(invalid.status).to.equal(400);
    expect(invalid.body.field).to.equal('/status');
  });

  it('the calendar: a clinician sees their own, managers any clinician of the practice, with statuses', async () => {
    const colleague = await aClinician(ctx.db, practice);
    const manager = await aStaffUser(ctx.db, practice, { role: 'practice_manager' });
    const outsider = await aStaffUser(ctx.db, await aPractice(ctx.db), { role: 'admin_clinician' });
    const mine = await booked();
    const canceled = await booked({ startsAt: at(SLOT, 2 * HOUR) });
    const theirs = await booked({ with: colleague });
    const outOfRange = await booked({ startsAt: at(SLOT, 40 * 24 * HOUR) });
    await portalCancel(canceled);
    const range = `from=${at(SLOT, -24 * HOUR).toISOString()}&to=${at(SLOT, 24 * HOUR).toISOString()}`;

    const own = await ctx.http.get(`/api/appointments?${range}`, {
      token: await ctx.http.signIn(clinician.email, fixturePassword),
    });
    expect(own.status, JSON.stringify(own.body)).to.equal(200);
    expect(own.body.map((a: { id: string; status: string }) => [a.id, a.status])).to.deep.equal([
      [mine.id, 'scheduled'],
      [canceled.id, 'canceled'],
    ]);
    expect(own.body[1]).to.include({
      canceledBy: 'client',
      cancelRequestedAt: ctx.clock.now().toISOString(),
    });
    expect(own.body[0].client).to.include({ id: client.id, firstName: 'Casey' });

    const colleagueToken = await ctx.http.signIn(colleague.email, fixturePassword);
    const peek = await ctx.http.get(`/api/appointments?${range}&clinicianId=${clinician.id}`, {
      token: colleagueToken,
    });
    expect(peek.status).to.equal(403);

    const managerToken = await ctx.http.signIn(manager.email, fixturePassword);
    const all = await ctx.http.get(`/api/appointments?${range}`, { token: managerToken });
    expect(all.body.map((a: { id: string }) => a.id)).to.have.members([mine.id, canceled.id, theirs.id]);
    expect(all.body.map((a: { id: string }) => a.id)).to.not.include(outOfRange.id);
    const one = await ctx.http.get(`/api/appointments?${range}&clinicianId=${colleague.id}`, {
      token: managerToken,
    });
    expect(one.body.map((a: { id: string }) => a.id)).to.deep.equal([theirs.id]);

    const foreign = await ctx.http.get(`/api/appointments?${range}&clinicianId=${clinician.id}`, {
      token: await ctx.http.signIn(outsider.email, fixturePassword),
    });
    expect(foreign.status).to.equal(404);
    const noRange = await ctx.http.get('/api/appointments', { token: managerToken });
    expect(noRange.status).to.equal(400);
    expect(noRange.body.field).to.equal('from');
  });
});
