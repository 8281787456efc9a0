import { expect } from 'chai';
import { useMailedApi } from './context';
import { parseIcs } from '../support/ics';
import { TokenService } from '../../api/auth/tokens';
import { appointmentUid } from '../../emails/ics';
import { invariantViolations } from '../reliability/harness';
import {
  aClient,
  aClinician,
  aPractice,
  aService,
  aStaffUser,
  anAppointment,
  fixturePassword,
} from '../fixtures';
import type { Client, Practice, Service, StaffUser } from '../../models';

const HOUR = 3_600_000;
// The clock starts Monday 1 June 2026, 12:00 UTC (08:00 in New York).
const NOW = new Date('2026-06-01T12:00:00.000Z');
// Wednesday 10 June, 10:00 in New York: inside the fixture's weekday 09:00-17:00 hours.
const SLOT = new Date('2026-06-10T14:00:00.000Z');
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

describe('staff booking and staff cancelation over HTTP (API, worker, PostgreSQL, Temporal, Resend SDK)', function () {
  this.timeout(180_000);
  const mailed = useMailedApi();
  const { ctx } = mailed;

  let practice: Practice;
  let clinician: StaffUser;
  let manager: StaffUser;
  let service: Service;
  let client: Client;
  beforeEach(async () => {
    mailed.capture.reset();
    practice = await aPractice(ctx.db, { cancellationPolicy: '24h' });
    clinician = await aClinician(ctx.db, practice);
    manager = await aStaffUser(ctx.db, practice, { role: 'practice_manager' });
    service = await aService(ctx.db, practice, { name: 'Individual therapy', durationMinutes: 50 });
    client = await aClient(ctx.db, practice, { firstName: 'Casey' });
  });

  const book = async (body: Record<string, unknown>, who: StaffUser | null = manager) =>
    ctx.http.post(
      '/api/appointments',
      { clinicianId: clinician.id, clientId: client.id, serviceId: service.id, ...body },
      { token: who ? await ctx.http.signIn(who.email, fixturePassword) : undefined },
    );
  const cancel = async (id: string, body: Record<string, unknown>, who: StaffUser = manager) =>
    ctx.http.post(`/api/appointments/${id}/cancel`, body, {
      token: await ctx.http.signIn(who.email, fixturePassword),
    });
  const keyed = (key: string) => mailed.capture.waitFor((e) => e.idempotencyKey === key, 20_000);
  const written = async () => ({
    appointments: await ctx.db.Appointment.count({ where: { practiceId: practice.id } }),
    audits: await ctx.db.AuditEntry.count({ where: { practiceId: practice.id, action: 'appointment.book' } }),
  });

  it('books a client who phoned: 201, the hold, the audit entry, and the confirmation with an .ics REQUEST (SEQUENCE 0)', async () => {
    const res = await book({ startsAt: SLOT.toISOString() });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.deep.include({
      status: 'scheduled',
      clinicianId: clinician.id,
      startsAt: SLOT.toISOString(),
      endsAt: at(SLOT, 50 * 60_000).toISOString(),
      cancellationPolicy: '24h',
      started: false,
    });
    expect(res.body.client).to.deep.equal({ id: client.id, firstName: 'Casey', lastName: client.lastName });
    const row = (await ctx.db.Appointment.findByPk(res.body.id as string))!;
    expect(row).to.include({ status: 'scheduled', inviteSequence: 0, requestId: null });
    expect(await ctx.db.TimeHold.count({ where: { id: row.holdId!, kind: 'appointment' } })).to.equal(1);
    const [audit] = await ctx.db.AuditEntry.findAll({ where: { action: 'appointment.book' } });
    expect(audit).to.deep.include({ actorType: 'staff', actorId: manager.id, entityId: row.id });

    const email = await keyed(`appointment-booked/${row.id}`);
    expect(email.to).to.deep.equal([client.email]);
    expect(email.text).to.include(
      `Your appointment with ${clinician.firstName} ${clinician.lastName} is booked.`,
    );
    expect(email.text).to.not.include('approved your request');
    const invite = parseIcs(email.attachments.find((a) => a.filename === 'invite.ics')!.utf8);
    expect(invite).to.deep.equal({
      method: 'REQUEST',
      uid: appointmentUid(row.id),
      sequence: 0,
      status: 'CONFIRMED',
      start: SLOT.toISOString(),
    });
  });

  it('ignores minimum notice, the start-time grid and the availability windows', async () => {
    await ctx.db.BookingPreferences.update(
      { minimumNoticeHours: 72, startTimeIntervalMinutes: 60 },
      { where: { clinicianId: clinician.id } },
    );
    const starts = [
      at(NOW, 5 * 60_000), // five minutes from now, 08:05 in New York: before hours, off the grid, no notice
      new Date('2026-06-06T15:10:00.000Z'), // a Saturday, outside every window
      new Date('2026-06-02T23:30:00.000Z'), // 19:30 on a weekday, after hours
    ];
    for (const startsAt of starts) {
      const res = await book({ startsAt: startsAt.toISOString() });
      expect(res.status, `${startsAt.toISOString()}: ${JSON.stringify(res.body)}`).to.equal(201);
    }
    expect((await written()).appointments).to.equal(3);
  });

  it('409 SLOT_UNAVAILABLE with a sentence over an appointment, a pending request or time off; nothing written', async () => {
    await anAppointment(ctx.db, { practice, clinician, client, service, startsAt: SLOT });
    await ctx.db.TimeHold.create({
      clinicianId: clinician.id,
      during: ctx.db.TimeHold.range(at(SLOT, 3 * HOUR), at(SLOT, 3.5 * HOUR)),
      kind: 'request',
    });
    await ctx.db.TimeOff.create({
      clinicianId: clinician.id,
      startsAt: at(SLOT, 24 * HOUR),
      endsAt: at(SLOT, 26 * HOUR),
      reason: null,
    });
    const before = await written();
    const cases: [Date, string][] = [
      [at(SLOT, 30 * 60_000), 'another appointment'],
      [at(SLOT, -40 * 60_000), 'another appointment'],
      [at(SLOT, 3 * HOUR - 20 * 60_000), "a client's pending request"],
      [at(SLOT, 25 * HOUR), 'time off'],
    ];
    for (const [startsAt, what] of cases) {
      const res = await book({ startsAt: startsAt.toISOString() });
      expect(res.status, startsAt.toISOString()).to.equal(409);
      expect(res.body).to.include({
        code: 'SLOT_UNAVAILABLE',
        field: '/startsAt',
        detail: `That time overlaps ${what} in the clinician's calendar. Pick another time.`,
      });
    }
    expect(await written()).to.deep.equal(before);
    // Right after the appointment ends is free: intervals are half-open.
    expect((await book({ startsAt: at(SLOT, 50 * 60_000).toISOString() })).status).to.equal(201);
  });

  it('who may book: the clinician for themself, admins and managers for anyone; a colleague 403, another practice 404', async () => {
    const admin = await aStaffUser(ctx.db, practice, { role: 'admin_clinician' });
    const colleague = await aClinician(ctx.db, practice);
    const outsider = await aStaffUser(ctx.db, await aPractice(ctx.db), { role: 'admin_clinician' });
    const cells: [string, StaffUser | null, number][] = [
      ['clinician', clinician, 201],
      ['admin', admin, 201],
      ['manager', manager, 201],
      ['colleague', colleague, 403],
      ['outsider', outsider, 404],
      ['nobody', null, 401],
    ];
    for (const [i, [name, who, expected]] of cells.entries()) {
      const res = await book({ startsAt: at(SLOT, i * 2 * HOUR).toISOString() }, who);
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).to.equal(expected);
    }
    expect((await written()).appointments).to.equal(3);
    // A colleague books in their own calendar.
    const own = await ctx.http.post(
      '/api/appointments',
      { clinicianId: colleague.id, clientId: client.id, serviceId: service.id, startsAt: SLOT.toISOString() },
      { token: await ctx.http.signIn(colleague.email, fixturePassword) },
    );
    expect(own.status).to.equal(201);
  });

  it("an archived client is 409; another practice's client or service is 404; nothing written", async () => {
    const other = await aPractice(ctx.db);
    const foreignClient = await aClient(ctx.db, other);
    const foreignService = await aService(ctx.db, other);
    const archived = await aClient(ctx.db, practice);
    await archived.update({ archivedAt: NOW });
    const startsAt = SLOT.toISOString();
    const gone = await book({ startsAt, clientId: archived.id });
    expect(gone.status).to.equal(409);
    expect(gone.body).to.include({ code: 'CLIENT_ARCHIVED', field: '/clientId' });
    expect(gone.body.detail).to.match(/is archived\. Restore the client before booking\.$/);
    expect((await book({ startsAt, clientId: foreignClient.id })).body).to.include({
      status: 404,
      code: 'CLIENT_NOT_FOUND',
    });
    expect((await book({ startsAt, serviceId: foreignService.id })).body).to.include({
      status: 404,
      code: 'SERVICE_NOT_FOUND',
    });
    expect(await written()).to.deep.equal({ appointments: 0, audits: 0 });
  });

  it('bad input: 400 naming the field, nothing written', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ startsAt: 'tomorrow at ten' }, '/startsAt'],
      [{ startsAt: SLOT.toISOString(), clinicianId: 'nope' }, '/clinicianId'],
      [{ startsAt: SLOT.toISOString(), clientId: 42 }, '/clientId'],
      [{ startsAt: SLOT.toISOString(), serviceId: null }, '/serviceId'],
      [{}, '/startsAt'],
      [{ startsAt: SLOT.toISOString(), notes: 'x' }, '/notes'],
    ];
    for (const [body, field] of cases) {
      const res = await book(body);
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.body.field, JSON.stringify(body)).to.equal(field);
    }
    expect(await written()).to.deep.equal({ appointments: 0, audits: 0 });
  });

  it('a staff booking and a portal request for the same slot, round after round: one wins, the other 409; invariant 1 holds', async () => {
    const wins = { staff: 0, portal: 0 };
    const ROUNDS = 16;
    for (let round = 0; round < ROUNDS; round++) {
      // Past the hour's portal submission limit per network, and a new client each round (pending cap per client).
      ctx.clock.set(at(NOW, round * 61 * 60_000));
      const managerToken = await ctx.http.signIn(manager.email, fixturePassword);
      const portalClient = await aClient(ctx.db, practice);
      const token = await new TokenService(ctx.stack.config.authSecret!, ctx.clock).sign(
        { typ: 'client', sub: portalClient.id, pid: practice.id },
        at(ctx.clock.now(), HOUR),
      );
      // Weekdays 10:00 in New York, one a round, every one offered online.
      const day = new Date(SLOT);
      day.setUTCDate(SLOT.getUTCDate() + Math.floor(round / 3) * 7 + (round % 3));
      const startsAt = day.toISOString();
      const [staff, portal] = await Promise.all([
        ctx.http.post(
          '/api/appointments',
          { clinicianId: clinician.id, clientId: client.id, serviceId: service.id, startsAt },
          { token: managerToken },
        ),
        ctx.http.post(
          `/portal/${practice.slug}/requests`,
          { clinicianId: clinician.id, serviceId: service.id, startsAt },
          { token },
        ),
      ]);
      const statuses = [staff.status, portal.status].sort();
      expect(statuses, `round ${round}: ${JSON.stringify([staff.body, portal.body])}`).to.deep.equal([
        201, 409,
      ]);
      const loser = staff.status === 409 ? staff : portal;
      expect(loser.body.code).to.equal('SLOT_UNAVAILABLE');
      if (staff.status === 201) wins.staff++;
      else wins.portal++;
    }
    expect(await invariantViolations(ctx.db), 'DESIGN.md section 4 invariants').to.deep.equal([]);
    expect(wins.staff + wins.portal).to.equal(ROUNDS);
    // Each won slot is held once: by the appointment or by the pending request.
    expect(await ctx.db.Appointment.count({ where: { practiceId: practice.id } })).to.equal(wins.staff);
    expect(
      await ctx.db.AppointmentRequest.count({ where: { practiceId: practice.id, status: 'pending' } }),
    ).to.equal(wins.portal);
  });

  it('cancels under the phone-call policy for the client who phoned: the verdict by default, with an .ics CANCEL for the same UID, SEQUENCE raised', async () => {
    await practice.update({ cancellationPolicy: 'phone_call' });
    const booked = await book({ startsAt: SLOT.toISOString() });
    expect(booked.status).to.equal(201);
    const id = booked.body.id as string;
    const invite = parseIcs((await keyed(`appointment-booked/${id}`)).attachments[0].utf8);

    const res = await cancel(id, { reason: 'Client phoned: moving away' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ status: 'canceled' });
    const row = (await ctx.db.Appointment.findByPk(id))!;
    expect(row).to.include({
      status: 'canceled',
      inviteSequence: 1,
      cancelReason: 'Client phoned: moving away',
    });

    const email = await keyed(`appointment-canceled/${id}`);
    const attachment = email.attachments.find((a) => a.filename === 'cancel.ics')!;
    expect(attachment.contentType).to.equal('text/calendar; charset=utf-8; method=CANCEL');
    const canceled = parseIcs(attachment.utf8);
    expect(canceled.method).to.equal('CANCEL');
    expect(canceled.status).to.equal('CANCELLED');
    expect(canceled.uid).to.equal(invite.uid);
    expect(canceled.sequence).to.be.greaterThan(invite.sequence);
  });

  it("the policy's verdict is the default (late after the cutoff); staff override it or choose clinician_canceled", async () => {
    const soon = await anAppointment(ctx.db, {
      practice,
      clinician,
      client,
      service,
      startsAt: at(NOW, 6 * HOUR),
    });
    const later = await anAppointment(ctx.db, { practice, clinician, client, service, startsAt: SLOT });
    const other = await anAppointment(ctx.db, {
      practice,
      clinician,
      client,
      service,
      startsAt: at(SLOT, 2 * HOUR),
    });
    const third = await anAppointment(ctx.db, {
      practice,
      clinician,
      client,
      service,
      startsAt: at(NOW, 8 * HOUR),
    });
    expect((await cancel(soon.id, {})).body.status, 'inside 24 hours').to.equal('late_canceled');
    expect((await cancel(later.id, {})).body.status, 'days ahead').to.equal('canceled');
    expect((await cancel(third.id, { status: 'canceled' })).body.status, 'waived').to.equal('canceled');
    const byPractice = await cancel(
      other.id,
      { status: 'clinician_canceled', reason: 'Clinician ill' },
      clinician,
    );
    expect(byPractice.status).to.equal(200);
    expect(byPractice.body.status).to.equal('clinician_canceled');
    expect((await other.reload()).status).to.equal('clinician_canceled');
    // The clinician canceled their own: the client is still told, and their calendar event removed.
    const email = await keyed(`appointment-canceled/${other.id}`);
    expect(email.text).to.include('The practice canceled your appointment');
    const ics = parseIcs(email.attachments[0].utf8);
    expect(ics).to.include({ method: 'CANCEL', uid: appointmentUid(other.id), sequence: 1 });
    const bad = await cancel(later.id, { status: 'no_show' });
    expect(bad.status).to.equal(400);
  });

  it("a client's own portal cancelation also carries the .ics CANCEL", async () => {
    const appointment = await anAppointment(ctx.db, { practice, clinician, client, service, startsAt: SLOT });
    const token = await new TokenService(ctx.stack.config.authSecret!, ctx.clock).sign(
      { typ: 'client', sub: client.id, pid: practice.id },
      at(NOW, 2 * HOUR),
    );
    const res = await ctx.http.post(
      `/portal/${practice.slug}/me/appointments/${appointment.id}/cancel`,
      {},
      { token },
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const ics = parseIcs((await keyed(`appointment-canceled/${appointment.id}`)).attachments[0].utf8);
    expect(ics).to.include({ method: 'CANCEL', uid: appointmentUid(appointment.id), sequence: 1 });
  });
});
