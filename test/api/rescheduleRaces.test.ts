import { expect } from 'chai';
import { useMailedApi } from './context';
import { TokenService } from '../../api/auth/tokens';
import { invariantViolations } from '../reliability/harness';
import { aClient, aClinician, aPractice, aService, anAppointment, fixturePassword } from '../fixtures';
import type { Practice, Service, StaffUser } from '../../models';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// The clock starts Monday 1 June 2026, 12:00 UTC; appointments are weekdays at 10:00 in New York from 10 June on.
const FIRST = new Date('2026-06-10T14:00:00.000Z');
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);
const ROUNDS = 6;

describe('races around reschedule requests (API, worker, PostgreSQL, Temporal): one wins, the other gets 409, nothing half-written', function () {
  this.timeout(300_000);
  const mailed = useMailedApi();
  const { ctx } = mailed;

  let practice: Practice;
  let clinician: StaffUser;
  let service: Service;
  let staffToken: string;
  beforeEach(async () => {
    practice = await aPractice(ctx.db, { cancellationPolicy: '24h' });
    clinician = await aClinician(ctx.db, practice, {
      preferences: { startTimeIntervalMinutes: 60, minimumNoticeHours: 24 },
    });
    service = await aService(ctx.db, practice, { name: 'Individual therapy', durationMinutes: 50 });
    staffToken = await ctx.http.signIn(clinician.email, fixturePassword);
  });

  /** A client of their own with an appointment on round's day (a weekday), signed in to the portal. */
  const anAppointmentFor = async (round: number) => {
    const client = await aClient(ctx.db, practice);
    const day = at(FIRST, (Math.floor(round / 3) * 7 + (round % 3)) * DAY);
    const appointment = await anAppointment(ctx.db, { practice, clinician, client, service, startsAt: day });
    const token = await new TokenService(ctx.stack.config.authSecret!, ctx.clock).sign(
      { typ: 'client', sub: client.id, pid: practice.id },
      at(ctx.clock.now(), 2 * HOUR),
    );
    return { client, appointment, token };
  };
  const askToMove = (appointmentId: string, startsAt: Date, token: string) =>
    ctx.http.post(
      `/portal/${practice.slug}/me/appointments/${appointmentId}/reschedule-requests`,
      { startsAt: startsAt.toISOString() },
      { token },
    );
  const staffMove = (appointmentId: string, startsAt: Date) =>
    ctx.http.post(
      `/api/appointments/${appointmentId}/reschedule`,
      { startsAt: startsAt.toISOString() },
      { token: staffToken },
    );

  it('the client asks to move their appointment while the practice moves it to the same time', async () => {
    const wins = { request: 0, staff: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const { appointment, token } = await anAppointmentFor(round);
      const before = appointment.startsAt.toISOString();
      const target = at(appointment.startsAt, HOUR);
      const [asked, moved] = await Promise.all([
        askToMove(appointment.id, target, token),
        staffMove(appointment.id, target),
      ]);
      const label = `round ${round}: ${JSON.stringify([asked.body, moved.body])}`;
      expect([asked.status, moved.status], label).to.be.deep.oneOf([
        [201, 409],
        [409, 200],
      ]);
      await appointment.reload();
      if (asked.status === 201) {
        wins.request++;
        expect(moved.body, label).to.include({ code: 'SLOT_UNAVAILABLE' });
        expect(moved.body.detail, 'a sentence saying what happened').to.match(/\.$/);
        expect(appointment.startsAt.toISOString(), 'the staff move wrote nothing').to.equal(before);
        expect(appointment.inviteSequence).to.equal(0);
      } else {
        wins.staff++;
        expect(asked.body, label).to.include({ code: 'SLOT_UNAVAILABLE', field: '/startsAt' });
        expect(appointment.startsAt.toISOString()).to.equal(target.toISOString());
        expect(
          await ctx.db.AppointmentRequest.count({ where: { appointmentId: appointment.id } }),
          'the refused request left no row',
        ).to.equal(0);
      }
    }
    expect(wins.request + wins.staff).to.equal(ROUNDS);
    expect(await invariantViolations(ctx.db), 'DESIGN.md section 4 invariants').to.deep.equal([]);
  });

  it('the client cancels while the clinician approves their pending move: canceled either way, never moved half-way', async () => {
    const outcomes = { approvedThenCanceled: 0, canceledThenRefused: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const { appointment, token } = await anAppointmentFor(round);
      const before = appointment.startsAt.toISOString();
      const target = at(appointment.startsAt, 2 * HOUR);
      const asked = await askToMove(appointment.id, target, token);
      expect(asked.status, JSON.stringify(asked.body)).to.equal(201);
      const [approved, canceled] = await Promise.all([
        ctx.http.post(`/api/appointment-requests/${asked.body.id}/approve`, undefined, { token: staffToken }),
        ctx.http.post(`/portal/${practice.slug}/me/appointments/${appointment.id}/cancel`, {}, { token }),
      ]);
      const label = `round ${round}: ${JSON.stringify([approved.body, canceled.body])}`;
      expect(canceled.status, label).to.equal(200);
      await appointment.reload();
      expect(appointment.status, label).to.equal('canceled');
      expect(appointment.holdId, 'a canceled appointment holds no time').to.equal(null);
      const request = (await ctx.db.AppointmentRequest.findByPk(asked.body.id))!;
      expect(request.holdId, label).to.equal(null);
      if (approved.status === 200) {
        outcomes.approvedThenCanceled++;
        expect(request.status).to.equal('approved');
        expect(appointment.startsAt.toISOString(), 'moved, then canceled').to.equal(target.toISOString());
      } else {
        outcomes.canceledThenRefused++;
        expect(approved.status, label).to.equal(409);
        expect(approved.body.detail, 'says what became of it').to.include('withdrawn');
        expect(request.status).to.equal('withdrawn');
        expect(appointment.startsAt.toISOString(), 'never moved').to.equal(before);
      }
    }
    expect(outcomes.approvedThenCanceled + outcomes.canceledThenRefused).to.equal(ROUNDS);
    expect(
      await ctx.db.TimeHold.count({ where: { clinicianId: clinician.id } }),
      'no time left held by canceled appointments or closed requests',
    ).to.equal(0);
    expect(await invariantViolations(ctx.db), 'DESIGN.md section 4 invariants').to.deep.equal([]);
  });

  it('two clients ask to move into the same time while the practice books a third there: one holds it', async () => {
    for (let round = 0; round < 3; round++) {
      const a = await anAppointmentFor(round * 3);
      const b = await anAppointmentFor(round * 3 + 1);
      const target = at(a.appointment.startsAt, 4 * HOUR);
      const third = await aClient(ctx.db, practice);
      const results = await Promise.all([
        askToMove(a.appointment.id, target, a.token),
        askToMove(b.appointment.id, target, b.token),
        ctx.http.post(
          '/api/appointments',
          {
            clinicianId: clinician.id,
            clientId: third.id,
            serviceId: service.id,
            startsAt: target.toISOString(),
          },
          { token: staffToken },
        ),
      ]);
      const label = `round ${round}: ${JSON.stringify(results.map((r) => r.body))}`;
      expect(
        results.filter((r) => r.status === 201),
        label,
      ).to.have.length(1);
      for (const loser of results.filter((r) => r.status !== 201)) {
        expect(loser.status, label).to.equal(409);
        expect(loser.body.code, label).to.equal('SLOT_UNAVAILABLE');
      }
    }
    expect(await invariantViolations(ctx.db), 'DESIGN.md section 4 invariants').to.deep.equal([]);
  });
});
