import type { Transaction } from 'sequelize';
import type { StaffUser } from '../models/staffUser';
import type { Store } from '../models/store';
import { clinicianOf, cliniciansOf } from '../booking/clinicians';
import { toStaffUser } from '../booking/views';
import { forbidden, notFound } from './errors';
import type { RouteDef } from './route';
import { managesPractice, type StaffPrincipal } from './auth/principal';
import { staffUserSchema } from './schemas';

/** The clinician a staff user may manage: themselves, or any clinician of their practice for admins and managers. */
export async function clinicianFor(
  db: Store,
  staff: StaffPrincipal,
  clinicianId: string,
  transaction?: Transaction,
): Promise<StaffUser> {
  const clinician = await clinicianOf(db, staff.practiceId, clinicianId, transaction);
  if (!clinician) throw notFound('No such clinician.');
  if (clinician.id !== staff.id && !managesPractice(staff)) {
    throw forbidden('Clinicians manage their own availability and preferences only.');
  }
  return clinician;
}

/** The practice's clinicians. */
export function clinicianRoutes({ db }: { db: Store }): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/api/clinicians',
      summary: "The practice's clinicians",
      tag: 'Clinicians',
      auth: 'staff',
      responses: { 200: { description: 'Clinicians', schema: { type: 'array', items: staffUserSchema } } },
      handler: async (_req, res) => {
        res.json((await cliniciansOf(db, res.locals.staff!.practiceId)).map(toStaffUser));
      },
    },
  ];
}
