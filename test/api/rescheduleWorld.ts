import { TokenService } from '../../api/auth/tokens';
import { aClient, aClinician, aPractice, aService, anAppointment, fixturePassword } from '../fixtures';
import type { Appointment, Client, Practice, Service, StaffUser } from '../../models';
import { useMailedApi } from './context';

export const HOUR = 3_600_000;
export const at = (base: Date, ms: number) => new Date(base.getTime() + ms);
// The clock starts Monday 1 June 2026, 12:00 UTC; the appointment is Wednesday 10 June, 10:00 in New York.
export const SLOT = new Date('2026-06-10T14:00:00.000Z');
export const NEW_TIME = new Date('2026-06-11T15:00:00.000Z'); // Thursday 11:00 in New York, on the hour grid

/**
 * The reschedule tests' world, fresh per test: a practice with a 24-hour policy and a phone number, a clinician on
 * an hour grid with a day's notice, and Casey Moreno's appointment to move; with the portal and staff calls they use.
 */
export function useRescheduleWorld() {
  const mailed = useMailedApi();
  const { ctx } = mailed;
  const w = {} as {
    practice: Practice;
    clinician: StaffUser;
    service: Service;
    client: Client;
    appointment: Appointment;
  };
  beforeEach(async () => {
    mailed.capture.reset();
    w.practice = await aPractice(ctx.db, { cancellationPolicy: '24h', phone: '+1 555 0199' });
    w.clinician = await aClinician(ctx.db, w.practice, {
      preferences: { startTimeIntervalMinutes: 60, minimumNoticeHours: 24 },
    });
    w.service = await aService(ctx.db, w.practice, { name: 'Individual therapy', durationMinutes: 50 });
    w.client = await aClient(ctx.db, w.practice, { firstName: 'Casey', lastName: 'Moreno' });
    w.appointment = await anAppointment(ctx.db, { ...w, startsAt: SLOT });
  });
  /** A portal session of the appointment's client, valid for two hours of the test clock. */
  const clientToken = () =>
    new TokenService(ctx.stack.config.authSecret!, ctx.clock).sign(
      { typ: 'client', sub: w.client.id, pid: w.practice.id },
      at(ctx.clock.now(), 2 * HOUR),
    );
  return {
    mailed,
    ctx,
    w,
    clientToken,
    /** The client asks to move an appointment (theirs unless named) to startsAt; the raw answer. */
    ask: async (startsAt: Date, id = w.appointment.id) =>
      ctx.http.post(
        `/portal/${w.practice.slug}/me/appointments/${id}/reschedule-requests`,
        { startsAt: startsAt.toISOString() },
        { token: await clientToken() },
      ),
    /** A POST by the clinician, signed in. */
    staff: async (path: string, body?: object) =>
      ctx.http.post(path, body, { token: await ctx.http.signIn(w.clinician.email, fixturePassword) }),
    /** The clinician's held times, in order: [kind, start]. */
    holds: async () =>
      (
        await ctx.db.TimeHold.findAll({ where: { clinicianId: w.clinician.id }, order: [['during', 'ASC']] })
      ).map((h) => [h.kind, new Date(h.during[0].value).toISOString()]),
  };
}
