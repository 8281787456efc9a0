import { expect } from 'chai';
import ICAL from 'ical.js';
import { HOUR, NEW_TIME, SLOT, at, useRescheduleWorld } from './rescheduleWorld';
import { TokenService } from '../../api/auth/tokens';
import { appointmentUid } from '../../emails/ics';
import { aClient, aPractice, anAppointment, fixturePassword } from '../fixtures';
import type { Appointment, Client, Practice, Service, StaffUser } from '../../models';

describe('reschedule requests from the portal (API, worker, PostgreSQL, Temporal, Resend SDK)', function () {
  this.timeout(120_000);
  const { mailed, ctx, w, ask, staff, holds } = useRescheduleWorld();

  let practice: Practice;
  let clinician: StaffUser;
  let service: Service;
  let client: Client;
  let appointment: Appointment;
  beforeEach(() => ({ practice, clinician, service, client, appointment } = w));

  it('holds the new time next to the old one, and approval moves the appointment with an invite of a higher SEQUENCE', async () => {
    const res = await ask(NEW_TIME);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.include({
      kind: 'reschedule',
      appointmentId: appointment.id,
      status: 'pending',
      startsAt: NEW_TIME.toISOString(),
      endsAt: at(NEW_TIME, 50 * 60_000).toISOString(),
    });
    expect(await holds()).to.deep.equal([
      ['appointment', SLOT.toISOString()],
      ['request', NEW_TIME.toISOString()],
    ]);
    expect((await appointment.reload()).startsAt.toISOString()).to.equal(SLOT.toISOString());
    const again = await ask(at(NEW_TIME, 2 * HOUR));
    expect(again.status).to.equal(409);
    expect(again.body).to.include({ code: 'RESCHEDULE_ALREADY_REQUESTED' });

    const approved = await staff(`/api/appointment-requests/${res.body.id}/approve`);
    expect(approved.status, JSON.stringify(approved.body)).to.equal(200);
    await appointment.reload();
    expect(appointment.startsAt.toISOString()).to.equal(NEW_TIME.toISOString());
    expect(appointment.endsAt.toISOString()).to.equal(at(NEW_TIME, 50 * 60_000).toISOString());
    expect(appointment.inviteSequence).to.equal(1);
    expect(await holds(), 'the old time is free, the new one is the appointment’s').to.deep.equal([
      ['appointment', NEW_TIME.toISOString()],
    ]);
    expect(await ctx.db.Appointment.count(), 'moved, not booked again').to.equal(1);
    const request = await ctx.db.AppointmentRequest.findByPk(res.body.id);
    expect(request).to.include({ status: 'approved', holdId: null, appointmentId: appointment.id });

    const email = await mailed.capture.waitFor(
      (e) => e.idempotencyKey === `request-approved/${res.body.id}`,
      20_000,
    );
    expect(email.to).to.deep.equal([client.email]);
    const event = new ICAL.Event(
      new ICAL.Component(ICAL.parse(email.attachments[0].utf8)).getFirstSubcomponent('vevent')!,
    );
    expect(event.uid).to.equal(appointmentUid(appointment.id));
    expect(event.sequence).to.equal(1);
    expect(event.startDate.toJSDate().toISOString()).to.equal(NEW_TIME.toISOString());
  });

  it('declining keeps the appointment where it was and frees the asked time', async () => {
    const res = await ask(NEW_TIME);
    expect(res.status).to.equal(201);
    const listed = await ctx.http.get('/api/appointment-requests', {
      token: await ctx.http.signIn(clinician.email, fixturePassword),
    });
    expect(listed.status).to.equal(200);
    const items = (listed.body.items ?? listed.body) as { id: string; kind: string; appointmentId: string }[];
    expect(
      items.find((r) => r.id === res.body.id),
      'the dashboard is told what it is',
    ).to.include({
      kind: 'reschedule',
      appointmentId: appointment.id,
    });
    const declined = await staff(`/api/appointment-requests/${res.body.id}/decline`, {});
    expect(declined.status, JSON.stringify(declined.body)).to.equal(200);
    await appointment.reload();
    expect(appointment.startsAt.toISOString()).to.equal(SLOT.toISOString());
    expect(appointment.inviteSequence).to.equal(0);
    expect(await holds()).to.deep.equal([['appointment', SLOT.toISOString()]]);
  });

  it('past the free-cancelation cutoff, or under the phone-only policy: 409 with the phone number, nothing held', async () => {
    ctx.clock.set(at(SLOT, -23 * HOUR));
    const late = await ask(at(SLOT, 2 * 24 * HOUR));
    expect(late.status).to.equal(409);
    expect(late.body).to.include({ code: 'RESCHEDULE_BY_PHONE_ONLY', phone: '+1 555 0199' });
    expect(late.body.detail).to.include('please call +1 555 0199');
    ctx.clock.set('2026-06-01T12:00:00Z');
    await appointment.update({ cancellationPolicy: 'phone_call' });
    const phoneOnly = await ask(NEW_TIME);
    expect(phoneOnly.status).to.equal(409);
    expect(phoneOnly.body).to.include({ code: 'RESCHEDULE_BY_PHONE_ONLY' });
    expect(await holds()).to.deep.equal([['appointment', SLOT.toISOString()]]);
    expect(await ctx.db.AppointmentRequest.count()).to.equal(0);
  });

  it('refuses a time that is not offered online (off the grid, another hold) with 409 naming /startsAt', async () => {
    for (const startsAt of [at(NEW_TIME, 30 * 60_000), at(SLOT, 0)]) {
      const res = await ask(startsAt);
      expect(res.status, startsAt.toISOString()).to.equal(409);
      expect(res.body).to.include({ code: 'SLOT_UNAVAILABLE', field: '/startsAt' });
    }
    const other = await aClient(ctx.db, practice);
    const theirs = await anAppointment(ctx.db, {
      practice,
      clinician,
      client: other,
      service,
      startsAt: NEW_TIME,
    });
    expect((await ask(NEW_TIME, theirs.id)).status, "another client's appointment").to.equal(404);
    const path = `/portal/${practice.slug}/me/appointments/${appointment.id}/reschedule-requests`;
    const body = { startsAt: NEW_TIME.toISOString() };
    const foreign = await new TokenService(ctx.stack.config.authSecret!, ctx.clock).sign(
      { typ: 'client', sub: client.id, pid: (await aPractice(ctx.db)).id },
      at(ctx.clock.now(), 2 * HOUR),
    );
    expect((await ctx.http.post(path, body, { token: foreign })).status, 'another practice').to.be.oneOf([
      401, 404,
    ]);
    const staffToken = await ctx.http.signIn(clinician.email, fixturePassword);
    expect((await ctx.http.post(path, body, { token: staffToken })).status, 'staff').to.equal(401);
    expect((await ctx.http.post(path, body)).status, 'nobody').to.equal(401);
    expect(await ctx.db.AppointmentRequest.count()).to.equal(0);
  });

  it('two reschedule requests for one appointment at once: one 201, one 409, one time held', async () => {
    const [a, b] = await Promise.all([ask(NEW_TIME), ask(at(NEW_TIME, 24 * HOUR))]);
    expect([a.status, b.status].sort()).to.deep.equal([201, 409]);
    expect([a, b].find((r) => r.status === 409)!.body).to.include({ code: 'RESCHEDULE_ALREADY_REQUESTED' });
    expect(await ctx.db.AppointmentRequest.count()).to.equal(1);
    expect((await holds()).filter(([kind]) => kind === 'request')).to.have.length(1);
  });
});
