import { Op, type Transaction } from 'sequelize';
import type { StaffUser } from '../models/staffUser';
import type { Store } from '../models/store';

const clinicianRoles = { [Op.in]: ['clinician', 'admin_clinician'] };

/** The practice's clinicians (admin clinicians included) by name. */
export function cliniciansOf(db: Store, practiceId: string): Promise<StaffUser[]> {
  return db.StaffUser.findAll({
    where: { practiceId, role: clinicianRoles },
    order: [
      ['lastName', 'ASC'],
      ['firstName', 'ASC'],
    ],
  });
}

/** One clinician of the practice, or null. */
export function clinicianOf(
  db: Store,
  practiceId: string,
  clinicianId: string,
  transaction?: Transaction,
): Promise<StaffUser | null> {
  return db.StaffUser.findOne({ where: { id: clinicianId, practiceId, role: clinicianRoles }, transaction });
}
