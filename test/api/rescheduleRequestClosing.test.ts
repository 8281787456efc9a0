import { expect } from 'chai';
import ICAL from 'ical.js';
import { HOUR, NEW_TIME, SLOT, at, useRescheduleWorld } from './rescheduleWorld';
import { appointmentUid } from '../../emails/ics';
import { requestWorkflowId } from '../../temporal/requests';
import { fixturePassword } from '../fixtures';
import type { Appointment, Practice, StaffUser } from '../../models';

describe('reschedule requests closed with their appointment, and approvals that come too late (API, worker, Temporal)', function () {
  this.timeout(120_000);
  const world = useRescheduleWorld();
  const { mailed, ctx, w, staff, holds, clientToken } = world;

  let practice: Practice;
  let clinician: StaffUser;
  let appointment: Appointment;
  beforeEach(() => ({ practice, clinician, appointment } = w));

  const ask = async (startsAt: Date) => {
    const res = await world.ask(startsAt);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body as { id: string };
  };
  /** The request workflow's own result: it must end once its request is closed, not wait for its deadline. */
  const workflowEnd = (requestId: string) =>
    ctx.stack.temporal.workflow.getHandle(requestWorkflowId(requestId)).result() as Promise<{
      status: string;
    }>;
  const keysFor = (requestId: string) =>
    mailed.capture
      .emails()
      .map((e) => e.idempotencyKey ?? '')
      .filter((k) => k.endsWith(`/${requestId}`));

  for (const by of ['client', 'staff'] as const) {
    it(`canceled by the ${by}: the pending move is withdrawn in the same transaction, its time freed, its workflow ended, and nobody is told it was declined`, async () => {
      const request = await ask(NEW_TIME);
      await mailed.capture.waitFor((e) => e.idempotencyKey === `request-received/${request.id}`, 20_000);
      const canceled =
        by === 'client'
          ? await ctx.http.post(
              `/portal/${practice.slug}/me/appointments/${appointment.id}/cancel`,
              {},
              { token: await clientToken() },
            )
          : await staff(`/api/appointments/${appointment.id}/cancel`, { status: 'clinician_canceled' });
      expect(canceled.status, JSON.stringify(canceled.body)).to.equal(200);

      const row = (await ctx.db.AppointmentRequest.findByPk(request.id))!;
      expect(row).to.include({ status: 'withdrawn', holdId: null });
      expect((await appointment.reload()).startsAt.toISOString(), 'not moved').to.equal(SLOT.toISOString());
      expect(await holds(), 'neither the old time nor the asked one is held').to.deep.equal([]);
      const audit = await ctx.db.AuditEntry.findOne({
        where: { entity: 'appointment', entityId: appointment.id, action: 'appointment.cancel' },
      });
      expect(audit!.newValue).to.include({ closedRescheduleRequestId: request.id });

      expect(await workflowEnd(request.id)).to.include({ status: 'withdrawn' });
      // The cancelation's own notices went out; about the request, nothing past its receipt and the clinician's notice.
      await mailed.capture.waitFor(
        (e) => e.idempotencyKey === `appointment-canceled/${appointment.id}`,
        20_000,
      );
      expect(keysFor(request.id).sort()).to.deep.equal([
        `request-new/${request.id}`,
        `request-received/${request.id}`,
      ]);
      const bell = await ctx.db.Notification.findAll({ where: { requestId: request.id } });
      expect(bell.map((n) => n.kind)).to.deep.equal(['request_new']);
      expect(bell[0].readAt, 'the bell item is no longer waiting').not.to.equal(null);

      const approve = await staff(`/api/appointment-requests/${request.id}/approve`);
      expect(approve.status).to.equal(409);
      expect(approve.body).to.include({ code: 'REQUEST_NOT_PENDING' });
      expect(approve.body.detail).to.include('withdrawn');
      expect((await appointment.reload()).status).to.not.equal('scheduled');
      expect(await ctx.db.Appointment.count(), 'nothing booked by the late approval').to.equal(1);
    });
  }

  it('approved after the appointment was marked Show: 409 saying so, nothing moved, the request still pending', async () => {
    const request = await ask(NEW_TIME);
    ctx.clock.set(at(SLOT, 10 * 60_000));
    const attended = await staff(`/api/appointments/${appointment.id}/attendance`, { status: 'show' });
    expect(attended.status, JSON.stringify(attended.body)).to.equal(200);
    const approve = await staff(`/api/appointment-requests/${request.id}/approve`);
    expect(approve.status, JSON.stringify(approve.body)).to.equal(409);
    expect(approve.body).to.include({ code: 'APPOINTMENT_NOT_RESCHEDULABLE' });
    expect(approve.body.detail).to.equal(
      'The appointment this request would move was marked Show, so nothing was moved. Decline the request to close it.',
    );
    await appointment.reload();
    expect(appointment).to.include({ status: 'show', inviteSequence: 0 });
    expect(appointment.startsAt.toISOString()).to.equal(SLOT.toISOString());
    expect((await ctx.db.AppointmentRequest.findByPk(request.id))!.status).to.equal('pending');
    expect(await holds()).to.deep.equal([
      ['appointment', SLOT.toISOString()],
      ['request', NEW_TIME.toISOString()],
    ]);
    expect(
      await ctx.db.AuditEntry.count({ where: { action: 'appointment.reschedule' } }),
      'no move audited',
    ).to.equal(0);
    const declined = await staff(`/api/appointment-requests/${request.id}/decline`, {});
    expect(declined.status, 'the clinician can still close it').to.equal(200);
  });

  it('withdrawn by the client: the appointment keeps its time and the asked time is free again', async () => {
    const request = await ask(NEW_TIME);
    const withdrawn = await ctx.http.post(
      `/portal/${practice.slug}/me/requests/${request.id}/withdraw`,
      {},
      { token: await clientToken() },
    );
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).to.equal(200);
    expect(withdrawn.body).to.include({
      status: 'withdrawn',
      kind: 'reschedule',
      appointmentId: appointment.id,
    });
    await appointment.reload();
    expect(appointment).to.include({ status: 'scheduled', inviteSequence: 0 });
    expect(appointment.startsAt.toISOString()).to.equal(SLOT.toISOString());
    expect(await holds()).to.deep.equal([['appointment', SLOT.toISOString()]]);
    expect(await workflowEnd(request.id)).to.include({ status: 'withdrawn' });
    const notice = await mailed.capture.waitFor(
      (e) => e.idempotencyKey === `request-withdrawn/${request.id}`,
      20_000,
    );
    expect(notice.to).to.deep.equal([clinician.email]);
  });

  it('approved: the emails say reschedule and name both times; the invite updates the same event (same UID, SEQUENCE 1)', async () => {
    const request = await ask(NEW_TIME);
    // The practice's zone (the client has none): 10:00 AM and 11:00 AM in New York.
    const before = 'Wednesday, June 10, 2026 at 10:00 AM EDT';
    const after = 'Thursday, June 11, 2026 at 11:00 AM EDT';
    const toClinician = await mailed.capture.waitFor(
      (e) => e.idempotencyKey === `request-new/${request.id}`,
      20_000,
    );
    expect(toClinician.subject).to.include('Reschedule request');
    expect(toClinician.text).to.include(
      `Casey Moreno asks to reschedule their appointment with you from ${before}`,
    );
    expect(toClinician.text).to.include(`to ${after}`);
    const receipt = await mailed.capture.waitFor(
      (e) => e.idempotencyKey === `request-received/${request.id}`,
      20_000,
    );
    expect(receipt.subject).to.equal(`We received your request to reschedule – ${practice.name}`);
    expect(receipt.text).to.include(`you asked to reschedule your appointment from ${before}`);

    const approved = await staff(`/api/appointment-requests/${request.id}/approve`);
    expect(approved.status, JSON.stringify(approved.body)).to.equal(200);
    const email = await mailed.capture.waitFor(
      (e) => e.idempotencyKey === `request-approved/${request.id}`,
      20_000,
    );
    expect(email.subject).to.equal('Rescheduled: your appointment is now on Thu, Jun 11, 11:00 AM EDT');
    expect(email.text).to.include(
      `approved your request to reschedule. Your appointment moved from ${before}`,
    );
    expect(email.text).to.include(`to ${after}`);
    expect(email.attachments, 'one invite, never a second event').to.have.length(1);
    const calendar = new ICAL.Component(ICAL.parse(email.attachments[0].utf8));
    expect(calendar.getAllSubcomponents('vevent')).to.have.length(1);
    const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
    expect(event.uid).to.equal(appointmentUid(appointment.id));
    expect(event.sequence).to.equal(1);
    expect(event.startDate.toJSDate().toISOString()).to.equal(NEW_TIME.toISOString());
    const move = await ctx.db.AuditEntry.findOne({ where: { action: 'appointment.reschedule' } });
    expect(move).to.include({ actorType: 'staff', actorId: clinician.id, entityId: appointment.id });
    expect(move!.oldValue).to.deep.equal({
      startsAt: SLOT.toISOString(),
      endsAt: at(SLOT, 50 * 60_000).toISOString(),
    });
  });

  it('declined: the client is told the appointment stays where it was', async () => {
    const request = await ask(NEW_TIME);
    const declined = await staff(`/api/appointment-requests/${request.id}/decline`, {});
    expect(declined.status).to.equal(200);
    const email = await mailed.capture.waitFor(
      (e) => e.idempotencyKey === `request-declined/${request.id}`,
      20_000,
    );
    expect(email.subject).to.equal(`About your request to reschedule – ${practice.name}`);
    expect(email.text).to.include(
      "couldn't approve your request to reschedule to Thursday, June 11, 2026 at 11:00 AM EDT",
    );
    expect(email.text).to.include('it stays at Wednesday, June 10, 2026 at 10:00 AM EDT');
  });

  it('lists a move on the dashboard with the time it moves from, and the portal says when it can no longer be asked online', async () => {
    const request = await ask(NEW_TIME);
    const listed = await ctx.http.get('/api/appointment-requests', {
      token: await ctx.http.signIn(clinician.email, fixturePassword),
    });
    const item = (listed.body.items ?? listed.body).find((r: { id: string }) => r.id === request.id);
    expect(item.movesFrom).to.deep.equal({
      startsAt: SLOT.toISOString(),
      endsAt: at(SLOT, 50 * 60_000).toISOString(),
      appointmentStatus: 'scheduled',
    });
    const mine = async () =>
      (await ctx.http.get(`/portal/${practice.slug}/me/appointments`, { token: await clientToken() })).body
        .upcoming[0];
    expect(await mine()).to.include({ canRequestReschedule: true, rescheduleByPhoneMessage: null });
    ctx.clock.set(at(SLOT, -23 * HOUR));
    expect(await mine()).to.include({
      canRequestReschedule: false,
      practicePhone: '+1 555 0199',
      rescheduleByPhoneMessage:
        'This appointment can no longer be moved online without counting as a late cancelation; to change it, please call +1 555 0199.',
    });
  });
});
