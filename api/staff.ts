import type { Clock } from '../lib/clock';
import type { Store } from '../models/store';
import { staffRoles, type StaffRole } from '../models/staffUser';
import { staffOf, updateStaffMember } from '../booking/staffMembers';
import { toStaffMember } from '../booking/views';
import { forbidden } from './errors';
import type { RouteDef } from './route';
import { managesPractice } from './auth/principal';
import { idParams, uuid } from './schemas';

/** A staff member as the staff list shows them. */
export const staffMemberSchema = {
  type: 'object',
  required: ['id', 'email', 'firstName', 'lastName', 'role', 'active'],
  properties: {
    id: uuid,
    email: { type: 'string' },
    firstName: { type: 'string' },
    lastName: { type: 'string' },
    role: { type: 'string', enum: [...staffRoles] },
    active: { type: 'boolean' },
  },
} as const;

const patchBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    role: { type: 'string', enum: [...staffRoles] },
    active: { type: 'boolean' },
  },
};

/** The practice's staff: everyone sees the list; admin clinicians and practice managers change roles and deactivate. */
export function staffRoutes({ db, clock }: { db: Store; clock: Clock }): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/api/staff',
      summary: "The practice's staff members with their role and whether they are active",
      tag: 'Staff',
      auth: 'staff',
      responses: {
        200: { description: 'Staff, active first', schema: { type: 'array', items: staffMemberSchema } },
      },
      handler: async (_req, res) => {
        res.json((await staffOf(db, res.locals.staff!.practiceId)).map(toStaffMember));
      },
    },
    {
      method: 'patch',
      path: '/api/staff/:id',
      summary: "Change a staff member's role, or deactivate (ends every session) or reactivate them",
      tag: 'Staff',
      auth: 'staff',
      params: idParams,
      body: patchBody,
      responses: {
        200: { description: 'The staff member', schema: staffMemberSchema },
        403: 'Not an admin clinician or practice manager',
        404: 'No such staff member',
        409: 'The last active admin clinician (LAST_ADMIN_CLINICIAN), or a clinician with pending requests or future appointments (CLINICIAN_HAS_BOOKINGS, with counts)',
      },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        if (!managesPractice(staff))
          throw forbidden('Only admin clinicians and practice managers change roles and deactivate staff.');
        const body = req.body as { role?: StaffRole; active?: boolean };
        const member = await updateStaffMember(db, {
          actor: staff,
          staffId: (req.params as { id: string }).id,
          ...body,
          now: clock.now(),
        });
        res.json(toStaffMember(member));
      },
    },
  ];
}
