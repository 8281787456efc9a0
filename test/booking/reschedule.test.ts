import { expect } from 'chai';
import { rescheduleAppointment } from '../../booking/reschedule';
import { useFreshDatabase } from '../support/database';
import { aClient, aClinician, aPractice, aService, anAppointment } from '../fixtures';

const SLOT = new Date('2026-06-10T14:00:00Z');
const NOW = new Date('2026-06-01T12:00:00Z');

describe('rescheduleAppointment when the invite workflow cannot start (PostgreSQL)', () => {
  const database = useFreshDatabase();

  it('rolls the whole move back: times, hold, sequence and audit entry stay as they were', async () => {
    const db = database.db;
    const practice = await aPractice(db);
    const clinician = await aClinician(db, practice);
    const appointment = await anAppointment(db, {
      practice,
      clinician,
      client: await aClient(db, practice),
      service: await aService(db, practice),
      startsAt: SLOT,
    });
    const unreachable = new Error('Temporal unreachable');
    let thrown: unknown;
    try {
      await rescheduleAppointment(
        db,
        clinician,
        { appointmentId: appointment.id, startsAt: new Date('2026-06-11T14:00:00Z'), now: NOW },
        async () => {
          throw unreachable;
        },
      );
    } catch (err) {
      thrown = err;
    }
    expect(thrown).to.equal(unreachable);
    await appointment.reload();
    expect(appointment.startsAt.toISOString()).to.equal(SLOT.toISOString());
    expect(appointment.inviteSequence).to.equal(0);
    const hold = await db.TimeHold.findByPk(appointment.holdId!);
    expect(new Date(hold!.during[0].value).toISOString()).to.equal(SLOT.toISOString());
    expect(await db.AuditEntry.count({ where: { action: 'appointment.reschedule' } })).to.equal(0);
  });
});
