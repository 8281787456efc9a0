import { QueryTypes } from 'sequelize';
import type { Store } from '../models/store';
import type { StaffRole, StaffUser } from '../models/staffUser';
import { changedFields, definedOnly, recordStaffChange, type StaffActor } from './audit';
import { BookingError } from './errors';

/** Every staff member of the practice, active first, by name. */
export function staffOf(db: Store, practiceId: string): Promise<StaffUser[]> {
  return db.StaffUser.findAll({
    where: { practiceId },
    order: [
      ['active', 'DESC'],
      ['lastName', 'ASC'],
      ['firstName', 'ASC'],
    ],
  });
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Changes a staff member's role or active flag (audited, one transaction). Refused with 409 when it would leave the
 * practice without an active admin clinician, or deactivate a clinician who still has pending requests or future
 * scheduled appointments (the counts and a sentence naming them). Deactivating ends every session of the user at
 * once; reactivating lets them sign in again with their old password.
 */
export async function updateStaffMember(
  db: Store,
  input: { actor: StaffActor; staffId: string; role?: StaffRole; active?: boolean; now: Date },
): Promise<StaffUser> {
  return db.sequelize.transaction(async (transaction) => {
    // Every staff row of the practice, locked: two admins demoting each other at once must not both succeed.
    const staff = await db.StaffUser.findAll({
      where: { practiceId: input.actor.practiceId },
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    const member = staff.find((s) => s.id === input.staffId);
    if (!member) throw new BookingError('STAFF_NOT_FOUND', 'No such staff member.');
    const next = { role: input.role ?? member.role, active: input.active ?? member.active };
    const name = `${member.firstName} ${member.lastName}`;
    const staysAdmin = next.role === 'admin_clinician' && next.active;
    if (member.role === 'admin_clinician' && member.active && !staysAdmin) {
      const others = staff.filter((s) => s.id !== member.id && s.role === 'admin_clinician' && s.active);
      if (others.length === 0) {
        throw new BookingError(
          'LAST_ADMIN_CLINICIAN',
          `${name} is the practice's only active admin clinician. Make someone else an admin clinician first.`,
          input.active === false ? '/active' : '/role',
        );
      }
    }
    if (member.active && !next.active) {
      const [counts] = await db.sequelize.query<{ pending: string; upcoming: string }>(
        `SELECT (SELECT count(*) FROM appointment_requests WHERE clinician_id = :id AND status = 'pending') AS pending,
                (SELECT count(*) FROM appointments
                  WHERE clinician_id = :id AND status = 'scheduled' AND starts_at > :now) AS upcoming`,
        { replacements: { id: member.id, now: input.now }, type: QueryTypes.SELECT, transaction },
      );
      const pendingRequests = Number(counts.pending);
      const futureAppointments = Number(counts.upcoming);
      if (pendingRequests > 0 || futureAppointments > 0) {
        const what = [
          pendingRequests ? plural(pendingRequests, 'pending request', 'pending requests') : null,
          futureAppointments ? plural(futureAppointments, 'future appointment', 'future appointments') : null,
        ]
          .filter(Boolean)
          .join(' and ');
        const todo = [
          pendingRequests ? 'approve or decline the requests' : null,
          futureAppointments ? 'move or cancel the appointments' : null,
        ]
          .filter(Boolean)
          .join(' and ');
        throw new BookingError(
          'CLINICIAN_HAS_BOOKINGS',
          `${name} still has ${what}. To deactivate them, first ${todo}.`,
          '/active',
          { staffId: member.id, pendingRequests, futureAppointments },
        );
      }
    }
    const diff = changedFields(
      { role: member.role, active: member.active },
      definedOnly({ role: input.role, active: input.active }),
    );
    if (!diff) return member;
    await member.update(diff.newValue, { transaction });
    if (diff.newValue.active === false) {
      await db.sequelize.query(
        'UPDATE staff_sessions SET revoked_at = :now WHERE user_id = :id AND revoked_at IS NULL',
        { replacements: { now: input.now, id: member.id }, transaction },
      );
    }
    await recordStaffChange(db, transaction, input.actor, {
      action: 'staff.update',
      entity: 'staff_user',
      entityId: member.id,
      ...diff,
    });
    return member;
  });
}
