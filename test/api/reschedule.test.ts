import { expect } from 'chai';
import ICAL from 'ical.js';
import { QueryTypes } from 'sequelize';
import { useMailedApi } from './context';
import { TokenService } from '../../api/auth/tokens';
import { appointmentUid } from '../../emails/ics';
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

const HOUR = 3_600_000;
// The clock starts Monday 1 June 2026, 12:00 UTC; the appointment is Wednesday 10 June, 14:00 UTC.
const SLOT = new Date('2026-06-10T14:00:00.000Z');
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

describe('staff reschedule over HTTP (API, worker, PostgreSQL, Temporal, Resend SDK)', function () {
  this.timeout(120_000);
  const mailed = useMailedApi();
  const { ctx } = mailed;

  let practice: Practice;
  let clinician: StaffUser;
  let service: Service;
  let client: Client;
  let appointment: Appointment;
  beforeEach(async () => {
    mailed.capture.reset();
    practice = await aPractice(ctx.db, { cancellationPolicy: '24h', phone: '+1 555 0199' });
    clinician = await aClinician(ctx.db, practice);
    service = await aService(ctx.db, practice, { name: 'Individual therapy', durationMinutes: 50 });
    client = await aClient(ctx.db, practice, { firstName: 'Casey' });
    appointment = await anAppointment(ctx.db, { practice, clinician, client, service, startsAt: SLOT });
  });

  const tokens = new Map<string, string>();
  beforeEach(() => tokens.clear());
  const tokenOf = async (who: StaffUser) => {
    if (!tokens.has(who.id)) tokens.set(who.id, await ctx.http.signIn(who.email, fixturePassword));
    return tokens.get(who.id)!;
  };
  const move = async (startsAt: unknown, who: StaffUser = clinician, id = appointment.id) =>
    ctx.http.post(`/api/appointments/${id}/reschedule`, { startsAt }, { token: await tokenOf(who) });
  const audits = () => ctx.db.AuditEntry.findAll({ where: { action: 'appointment.reschedule' } });
  const holdOf = async (a: Appointment) => {
    const [row] = await ctx.db.sequelize.query<{ lower: Date; upper: Date }>(
      'SELECT lower(during), upper(during) FROM time_holds WHERE id = :id',
      { replacements: { id: a.holdId }, type: QueryTypes.SELECT },
    );
    return row && { start: new Date(row.lower).toISOString(), end: new Date(row.upper).toISOString() };
  };
  /** Nothing was written: the times, the hold, the sequence and the audit log are as before. */
  async function unchanged() {
    await appointment.reload();
    expect(appointment.startsAt.toISOString()).to.equal(SLOT.toISOString());
    expect(appointment.inviteSequence).to.equal(0);
    expect(await holdOf(appointment)).to.deep.equal({
      start: SLOT.toISOString(),
      end: at(SLOT, 50 * 60_000).toISOString(),
    });
    expect(await audits()).to.have.length(0);
  }

  it('moves the appointment and its hold, audits before and after, and emails an invite with the same UID and a higher SEQUENCE', async () => {
    const target = new Date('2026-06-11T16:30:00.000Z'); // off the grid and outside nothing: staff are not bound by it
    const res = await move(target.toISOString());
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.deep.equal({
      appointmentId: appointment.id,
      startsAt: target.toISOString(),
      endsAt: at(target, 50 * 60_000).toISOString(),
      inviteSequence: 1,
      changed: true,
    });
    await appointment.reload();
    expect(appointment.startsAt.toISOString()).to.equal(target.toISOString());
    expect(appointment.endsAt.toISOString()).to.equal(at(target, 50 * 60_000).toISOString());
    expect(appointment.inviteSequence).to.equal(1);
    expect(await holdOf(appointment)).to.deep.equal({
      start: target.toISOString(),
      end: at(target, 50 * 60_000).toISOString(),
    });
    const [entry] = await audits();
    expect(entry).to.deep.include({
      actorType: 'staff',
      actorId: clinician.id,
      entityId: appointment.id,
      oldValue: { startsAt: SLOT.toISOString(), endsAt: at(SLOT, 50 * 60_000).toISOString() },
    });
    expect(entry.newValue).to.include({ startsAt: target.toISOString(), inviteSequence: 1 });

    const email = await mailed.capture.waitFor(
      (e) => e.idempotencyKey === `appointment-rescheduled/${appointment.id}/1`,
      20_000,
    );
    expect(email.to).to.deep.equal([client.email]);
    expect(email.subject).to.match(/^Moved: your appointment is now on/);
    expect(email.text).to.include('Casey');
    const [attachment] = email.attachments;
    expect(attachment.contentType).to.equal('text/calendar; charset=utf-8; method=REQUEST');
    const calendar = new ICAL.Component(ICAL.parse(attachment.utf8));
    expect(calendar.getFirstPropertyValue('method')).to.equal('REQUEST');
    const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
    expect(event.uid).to.equal(appointmentUid(appointment.id));
    expect(event.sequence).to.equal(1);
    expect(event.startDate.toJSDate().toISOString()).to.equal(target.toISOString());
    expect(event.endDate.toJSDate().toISOString()).to.equal(at(target, 50 * 60_000).toISOString());

    // A second move: the next invite's SEQUENCE is higher still, under its own key.
    const later = at(target, 24 * HOUR);
    expect((await move(later.toISOString())).body).to.include({ inviteSequence: 2, changed: true });
    const second = await mailed.capture.waitFor(
      (e) => e.idempotencyKey === `appointment-rescheduled/${appointment.id}/2`,
      20_000,
    );
    const event2 = new ICAL.Event(
      new ICAL.Component(ICAL.parse(second.attachments[0].utf8)).getFirstSubcomponent('vevent')!,
    );
    expect(event2.uid).to.equal(appointmentUid(appointment.id));
    expect(event2.sequence).to.equal(2);
    expect(event2.startDate.toJSDate().toISOString()).to.equal(later.toISOString());
  });

  it('moving to the time it already has changes and sends nothing', async () => {
    const res = await move(SLOT.toISOString());
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ changed: false, inviteSequence: 0 });
    await unchanged();
  });

  it('refuses with 409 SLOT_UNAVAILABLE over another appointment, a pending request or time off, and writes nothing', async () => {
    const other = await anAppointment(ctx.db, {
      practice,
      clinician,
      client: await aClient(ctx.db, practice),
      service,
      startsAt: at(SLOT, 24 * HOUR),
    });
    await ctx.db.TimeHold.create({
      clinicianId: clinician.id,
      during: ctx.db.TimeHold.range(at(SLOT, 48 * HOUR), at(SLOT, 49 * HOUR)),
      kind: 'request',
    });
    await ctx.db.TimeOff.create({
      clinicianId: clinician.id,
      startsAt: at(SLOT, 72 * HOUR),
      endsAt: at(SLOT, 75 * HOUR),
      reason: null,
    });
    // Each overlaps by a part only: the appointment's end, the request's start, time off's middle.
    for (const startsAt of [
      at(other.startsAt, -30 * 60_000),
      at(SLOT, 48 * HOUR + 30 * 60_000),
      at(SLOT, 73 * HOUR),
    ]) {
      const res = await move(startsAt.toISOString());
      expect(res.status, startsAt.toISOString()).to.equal(409);
      expect(res.body).to.include({ code: 'SLOT_UNAVAILABLE', field: '/startsAt' });
      expect(res.body.detail).to.match(/overlaps another appointment, a pending request or time off/);
    }
    await unchanged();
    // Right after the other appointment ends is free: holds are half-open.
    expect((await move(other.endsAt.toISOString())).status).to.equal(200);
  });

  it('refuses an appointment that started or was canceled with 409, and a past time with 400', async () => {
    const past = await move(at(ctx.clock.now(), -HOUR).toISOString());
    expect(past.status).to.equal(400);
    expect(past.body.field).to.equal('/startsAt');
    for (const bad of [undefined, 'tomorrow', '2026-06-12T10:00:00', 5]) {
      const res = await move(bad);
      expect(res.status, String(bad)).to.equal(400);
      expect(res.body.field, String(bad)).to.equal('/startsAt');
    }
    await unchanged();

    ctx.clock.set(at(SLOT, 60_000));
    tokens.clear(); // the earlier session has expired by then
    const started = await move(at(SLOT, 24 * HOUR).toISOString());
    expect(started.status).to.equal(409);
    expect(started.body).to.include({ code: 'APPOINTMENT_NOT_RESCHEDULABLE' });
    expect(started.body.detail).to.equal('This appointment has already started; it can no longer be moved.');
    ctx.clock.set('2026-06-01T12:00:00Z');
    tokens.clear();

    const hold = appointment.holdId!;
    await appointment.update({
      status: 'late_canceled',
      holdId: null,
      canceledAt: ctx.clock.now(),
      cancelRequestedAt: ctx.clock.now(),
      canceledBy: 'client',
    });
    await ctx.db.TimeHold.destroy({ where: { id: hold } });
    const canceled = await move(at(SLOT, 24 * HOUR).toISOString());
    expect(canceled.status).to.equal(409);
    expect(canceled.body).to.include({ code: 'APPOINTMENT_NOT_RESCHEDULABLE', status: 'late_canceled' });
    expect(await audits()).to.have.length(0);
  });

  it("lets managers and admin clinicians move anyone's appointment; a colleague gets 403, another practice 404", async () => {
    const colleague = await aClinician(ctx.db, practice);
    const denied = await move(at(SLOT, HOUR).toISOString(), colleague);
    expect(denied.status).to.equal(403);
    await unchanged();
    const elsewhere = await aStaffUser(ctx.db, await aPractice(ctx.db), { role: 'practice_manager' });
    expect((await move(at(SLOT, HOUR).toISOString(), elsewhere)).status).to.equal(404);
    await unchanged();
    const manager = await aStaffUser(ctx.db, practice, { role: 'practice_manager' });
    expect((await move(at(SLOT, HOUR).toISOString(), manager)).body).to.include({ inviteSequence: 1 });
    const admin = await aStaffUser(ctx.db, practice, { role: 'admin_clinician' });
    expect((await move(at(SLOT, 2 * HOUR).toISOString(), admin)).body).to.include({ inviteSequence: 2 });
    expect((await audits()).map((e) => e.actorId).sort()).to.deep.equal([manager.id, admin.id].sort());
  });

  it('two staff moving two appointments into the same slot at once: one 200, one 409, and no two holds overlap', async () => {
    const second = await anAppointment(ctx.db, {
      practice,
      clinician,
      client: await aClient(ctx.db, practice),
      service,
      startsAt: at(SLOT, 3 * HOUR),
    });
    const manager = await aStaffUser(ctx.db, practice, { role: 'practice_manager' });
    await tokenOf(manager);
    await tokenOf(clinician);
    const target = at(SLOT, 24 * HOUR).toISOString();
    const results = await Promise.all([move(target, clinician), move(target, manager, second.id)]);
    expect(results.map((r) => r.status).sort()).to.deep.equal([200, 409]);
    expect(results.find((r) => r.status === 409)!.body).to.include({ code: 'SLOT_UNAVAILABLE' });
    const moved = await ctx.db.Appointment.findAll({ where: { startsAt: new Date(target) } });
    expect(moved).to.have.length(1);
    // Invariant 1: the clinician's holds never overlap, and each appointment's hold is its own time.
    const [{ overlaps }] = await ctx.db.sequelize.query<{ overlaps: number }>(
      `SELECT count(*)::int AS overlaps FROM time_holds a JOIN time_holds b
         ON a.clinician_id = b.clinician_id AND a.id < b.id AND a.during && b.during`,
      { type: QueryTypes.SELECT },
    );
    expect(overlaps).to.equal(0);
    for (const a of [await appointment.reload(), await second.reload()])
      expect(await holdOf(a)).to.deep.equal({ start: a.startsAt.toISOString(), end: a.endsAt.toISOString() });
    expect(await audits()).to.have.length(1);
  });

  it('a staff reschedule against the client canceling at once: each either wins or finds the other done, never both half', async () => {
    const portalToken = await new TokenService(ctx.stack.config.authSecret!, ctx.clock).sign(
      { typ: 'client', sub: client.id, pid: practice.id },
      at(ctx.clock.now(), 2 * HOUR),
    );
    await tokenOf(clinician);
    const target = at(SLOT, 24 * HOUR);
    const [moved, canceled] = await Promise.all([
      move(target.toISOString()),
      ctx.http.post(
        `/portal/${practice.slug}/me/appointments/${appointment.id}/cancel`,
        {},
        { token: portalToken },
      ),
    ]);
    expect(canceled.status, JSON.stringify(canceled.body)).to.equal(200);
    expect(canceled.body).to.include({ status: 'canceled' });
    await appointment.reload();
    expect(appointment.status).to.equal('canceled');
    expect(appointment.holdId, 'a canceled appointment holds no time').to.equal(null);
    if (moved.status === 200) {
      // The move came first: the cancelation canceled the moved appointment.
      expect(appointment.startsAt.toISOString()).to.equal(target.toISOString());
      expect(await audits()).to.have.length(1);
    } else {
      expect(moved.status).to.equal(409);
      expect(moved.body).to.include({ code: 'APPOINTMENT_NOT_RESCHEDULABLE', status: 'canceled' });
      expect(appointment.startsAt.toISOString()).to.equal(SLOT.toISOString());
      expect(await audits()).to.have.length(0);
    }
    expect(await ctx.db.TimeHold.count({ where: { clinicianId: clinician.id } })).to.equal(0);
  });
});
