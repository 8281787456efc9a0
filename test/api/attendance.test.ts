import { expect } from 'chai';
import { useApi } from './context';
import { TokenService } from '../../api/auth/tokens';
import {
  aClient,
  aClinician,
  aPractice,
  aService,
  aStaffUser,
  anAppointment,
  fixturePassword,
} from '../fixtures';
import type { Appointment, Client, Practice, Service, StaffUser } from '../../models';

// The clock starts Monday 1 June 2026, 12:00 UTC; the appointment is that day at 14:00 UTC.
const STARTS = new Date('2026-06-01T14:00:00.000Z');

describe('attendance: Show / No Show over HTTP (API, PostgreSQL)', function () {
  this.timeout(60_000);
  const ctx = useApi();

  let practice: Practice;
  let clinician: StaffUser;
  let service: Service;
  let client: Client;
  let appointment: Appointment;
  beforeEach(async () => {
    practice = await aPractice(ctx.db, { cancellationPolicy: '24h' });
    clinician = await aClinician(ctx.db, practice);
    service = await aService(ctx.db, practice, { durationMinutes: 50 });
    client = await aClient(ctx.db, practice);
    appointment = await anAppointment(ctx.db, { practice, clinician, client, service, startsAt: STARTS });
  });

  const mark = async (status: unknown, who: StaffUser = clinician, id = appointment.id) =>
    ctx.http.post(
      `/api/appointments/${id}/attendance`,
      { status },
      { token: await ctx.http.signIn(who.email, fixturePassword) },
    );
  const attendanceAudits = () => ctx.db.AuditEntry.findAll({ where: { action: 'appointment.attendance' } });

  it('refuses before the start with a sentence, then marks No Show from its first minute, keeping the hold', async () => {
    const early = await mark('no_show');
    expect(early.status).to.equal(409);
    expect(early.body).to.include({
      code: 'APPOINTMENT_NOT_STARTED',
      detail: 'Attendance can be marked once the appointment has started.',
    });
    expect((await appointment.reload()).status).to.equal('scheduled');
    expect(await attendanceAudits()).to.have.length(0);
    const calendar = async () =>
      (
        await ctx.http.get(`/api/appointments?from=2026-06-01T00:00:00Z&to=2026-06-02T00:00:00Z`, {
          token: await ctx.http.signIn(clinician.email, fixturePassword),
        })
      ).body[0];
    expect(await calendar(), "the dashboard's cue, by the server's clock").to.include({ started: false });

    ctx.clock.set(STARTS);
    expect(await calendar()).to.include({ started: true, status: 'scheduled' });
    const res = await mark('no_show');
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.deep.equal({ appointmentId: appointment.id, status: 'no_show', changed: true });
    await appointment.reload();
    expect(appointment.status).to.equal('no_show');
    expect(appointment.holdId, 'the time stays the clinician’s').to.be.a('string');
    expect(await ctx.db.TimeHold.count({ where: { id: appointment.holdId! } })).to.equal(1);
    const [entry] = await attendanceAudits();
    expect(entry).to.deep.include({
      actorType: 'staff',
      actorId: clinician.id,
      entityId: appointment.id,
      oldValue: { status: 'scheduled' },
      newValue: { status: 'no_show' },
    });
  });

  it('corrects No Show to Show and back, audited each time; repeating the same mark changes nothing', async () => {
    ctx.clock.set('2026-06-02T09:00:00Z');
    expect((await mark('no_show')).body.changed).to.equal(true);
    const again = await mark('no_show');
    expect(again.status).to.equal(200);
    expect(again.body).to.include({ status: 'no_show', changed: false });
    const corrected = await mark('show');
    expect(corrected.body).to.include({ status: 'show', changed: true });
    expect((await appointment.reload()).status).to.equal('show');
    const entries = await attendanceAudits();
    expect(entries.map((e) => [e.oldValue, e.newValue])).to.deep.equal([
      [{ status: 'scheduled' }, { status: 'no_show' }],
      [{ status: 'no_show' }, { status: 'show' }],
    ]);
  });

  it('refuses a canceled appointment with 409 and writes nothing', async () => {
    const hold = appointment.holdId!;
    await appointment.update({
      status: 'late_canceled',
      holdId: null,
      canceledAt: STARTS,
      cancelRequestedAt: STARTS,
      canceledBy: 'client',
    });
    await ctx.db.TimeHold.destroy({ where: { id: hold } });
    ctx.clock.set('2026-06-02T09:00:00Z');
    const res = await mark('show');
    expect(res.status).to.equal(409);
    expect(res.body).to.include({ code: 'APPOINTMENT_CANCELED', status: 'late_canceled' });
    expect((await appointment.reload()).status).to.equal('late_canceled');
    expect(await attendanceAudits()).to.have.length(0);
  });

  it('answers 400 naming /status for anything but show or no_show, and writes nothing', async () => {
    ctx.clock.set('2026-06-02T09:00:00Z');
    for (const status of ['scheduled', 'canceled', 'Show', '', null, 1]) {
      const res = await mark(status);
      expect(res.status, String(status)).to.equal(400);
      expect(res.body.field, String(status)).to.equal('/status');
    }
    const missing = await ctx.http.post(
      `/api/appointments/${appointment.id}/attendance`,
      {},
      { token: await ctx.http.signIn(clinician.email, fixturePassword) },
    );
    expect(missing.status).to.equal(400);
    expect(missing.body.field).to.equal('/status');
    expect((await appointment.reload()).status).to.equal('scheduled');
    expect(await attendanceAudits()).to.have.length(0);
  });

  it("lets admins and managers mark anyone's; a colleague gets 403 and another practice 404", async () => {
    ctx.clock.set('2026-06-02T09:00:00Z');
    const colleague = await aClinician(ctx.db, practice);
    const forbidden = await mark('show', colleague);
    expect(forbidden.status).to.equal(403);
    expect((await appointment.reload()).status).to.equal('scheduled');

    const manager = await aStaffUser(ctx.db, practice, { role: 'practice_manager' });
    expect((await mark('show', manager)).body).to.include({ status: 'show', changed: true });
    const admin = await aStaffUser(ctx.db, practice, { role: 'admin_clinician' });
    expect((await mark('no_show', admin)).body).to.include({ status: 'no_show', changed: true });

    const elsewhere = await aStaffUser(ctx.db, await aPractice(ctx.db), { role: 'admin_clinician' });
    const hidden = await mark('show', elsewhere);
    expect(hidden.status).to.equal(404);
    expect((await appointment.reload()).status).to.equal('no_show');
  });

  it("the client's portal lists a marked appointment under past with its status, and refuses to cancel it", async () => {
    ctx.clock.set('2026-06-02T09:00:00Z');
    await mark('no_show');
    const token = await new TokenService(ctx.stack.config.authSecret!, ctx.clock).sign(
      { typ: 'client', sub: client.id, pid: practice.id },
      new Date('2026-06-02T11:00:00Z'),
    );
    const list = await ctx.http.get(`/portal/${practice.slug}/me/appointments`, { token });
    expect(list.status, JSON.stringify(list.body)).to.equal(200);
    expect(list.body.upcoming).to.deep.equal([]);
    expect(list.body.past.map((a: { id: string; status: string }) => [a.id, a.status])).to.deep.equal([
      [appointment.id, 'no_show'],
    ]);
    const cancel = await ctx.http.post(
      `/portal/${practice.slug}/me/appointments/${appointment.id}/cancel`,
      {},
      { token },
    );
    expect(cancel.status).to.equal(409);
    expect(cancel.body.code).to.equal('APPOINTMENT_NOT_CANCELABLE');
    expect((await appointment.reload()).status).to.equal('no_show');
  });

  it('an attended appointment cannot be canceled by the practice', async () => {
    ctx.clock.set('2026-06-02T09:00:00Z');
    await mark('no_show');
    const res = await ctx.http.post(
      `/api/appointments/${appointment.id}/cancel`,
      { status: 'canceled', notifyClient: false },
      { token: await ctx.http.signIn(clinician.email, fixturePassword) },
    );
    expect(res.status).to.equal(409);
    expect(res.body).to.include({
      code: 'APPOINTMENT_NOT_CANCELABLE',
      detail: 'This appointment was marked No Show; it can no longer be canceled.',
    });
    expect((await appointment.reload()).status).to.equal('no_show');
  });
});
