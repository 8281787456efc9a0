import { expect } from 'chai';
import { bookAppointment } from '../../booking/staffBooking';
import { useFreshDatabase } from '../support/database';
import { aClient, aClinician, aPractice, aService, aStaffUser } from '../fixtures';

const SLOT = new Date('2026-06-10T14:00:00.000Z');

describe('bookAppointment (PostgreSQL)', () => {
  const database = useFreshDatabase();

  async function world() {
    const db = database.db;
    const practice = await aPractice(db);
    const clinician = await aClinician(db, practice);
    const manager = await aStaffUser(db, practice, { role: 'practice_manager' });
    const service = await aService(db, practice, { durationMinutes: 50 });
    const client = await aClient(db, practice);
    const input = { clinicianId: clinician.id, clientId: client.id, serviceId: service.id, startsAt: SLOT };
    return { db, practice, clinician, manager, input };
  }

  it('a failed workflow start rolls the booking back: no appointment, hold or audit entry', async () => {
    const { db, practice, clinician, manager, input } = await world();
    const err = await bookAppointment(db, manager, input, () =>
      Promise.reject(new Error('Temporal is down')),
    ).catch((e: unknown) => e);
    expect((err as Error).message).to.equal('Temporal is down');
    expect(await db.Appointment.count({ where: { practiceId: practice.id } })).to.equal(0);
    expect(await db.TimeHold.count({ where: { clinicianId: clinician.id } })).to.equal(0);
    expect(await db.AuditEntry.count({ where: { practiceId: practice.id } })).to.equal(0);
  });
});
