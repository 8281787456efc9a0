import { expect } from 'chai';
import { markAttendance } from '../../booking/attendance';
import { cancelAppointment, cancelationOptions } from '../../booking/cancelAppointment';
import { BookingError } from '../../booking/errors';
import type { Appointment, Practice, StaffUser } from '../../models';
import { useFreshDatabase } from '../support/database';
import { aClient, aClinician, aPractice, aService, anAppointment } from '../fixtures';

const STARTS = new Date('2026-06-10T14:00:00Z');
const BEFORE = new Date('2026-06-10T13:00:00Z');
const AFTER = new Date('2026-06-10T14:20:00Z');

/**
 * A cancelation asked for before the start may be carried out by its workflow after the start, when the clinician
 * may already have marked attendance: whichever is recorded first stands, and the other is refused in words.
 */
describe('markAttendance against a late-running cancelation (PostgreSQL)', () => {
  const database = useFreshDatabase();
  let practice: Practice;
  let clinician: StaffUser;
  let appointment: Appointment;
  beforeEach(async () => {
    practice = await aPractice(database.db, { cancellationPolicy: '24h' });
    clinician = await aClinician(database.db, practice);
    appointment = await anAppointment(database.db, {
      practice,
      clinician,
      client: await aClient(database.db, practice),
      service: await aService(database.db, practice),
      startsAt: STARTS,
    });
  });

  async function refusal(run: () => Promise<unknown>): Promise<BookingError> {
    try {
      await run();
    } catch (err) {
      if (err instanceof BookingError) return err;
      throw err;
    }
    throw new Error('expected a BookingError');
  }
  const cancelAskedBefore = () =>
    cancelAppointment(database.db, {
      appointmentId: appointment.id,
      by: 'client',
      requestedAt: BEFORE,
      now: AFTER,
    });
  const mark = (status: 'show' | 'no_show') =>
    markAttendance(database.db, clinician, { appointmentId: appointment.id, status, now: AFTER });

  it('marked first: the cancelation is refused and the appointment keeps its status and hold', async () => {
    await mark('show');
    const err = await refusal(cancelAskedBefore);
    expect(err.code).to.equal('APPOINTMENT_NOT_CANCELABLE');
    expect(err.message).to.equal('This appointment was marked Show; it can no longer be canceled.');
    await appointment.reload();
    expect(appointment.status).to.equal('show');
    expect(await database.db.TimeHold.count({ where: { id: appointment.holdId! } })).to.equal(1);
    expect(cancelationOptions(appointment, BEFORE).canCancelOnline, 'the portal offers no cancel').to.equal(
      false,
    );
  });

  it('canceled first: marking attendance is refused and nothing is audited', async () => {
    await cancelAskedBefore();
    const err = await refusal(() => mark('no_show'));
    expect(err.code).to.equal('APPOINTMENT_CANCELED');
    expect((await appointment.reload()).status, 'an hour before, under 24 hours').to.equal('late_canceled');
    expect(await database.db.AuditEntry.count({ where: { action: 'appointment.attendance' } })).to.equal(0);
  });

  it('another practice’s staff cannot reach the appointment', async () => {
    const outsider = await aClinician(database.db, await aPractice(database.db));
    const err = await refusal(() =>
      markAttendance(database.db, outsider, { appointmentId: appointment.id, status: 'show', now: AFTER }),
    );
    expect(err.code).to.equal('APPOINTMENT_NOT_FOUND');
    expect((await appointment.reload()).status).to.equal('scheduled');
  });
});
