import { IANAZone } from 'luxon';
import { updateStaffProfile, type StaffProfileChanges } from '../booking/staffProfile';
import { toStaffProfile } from '../booking/views';
import { badRequest, forbidden, notFound } from './errors';
import type { RouteDef } from './route';
import { staffProfileSchema } from './responseSchemas';
import { idParams, multilineText, timeZoneField } from './schemas';
import { managesPractice, type StaffPrincipal } from './auth/principal';
import type { Schema } from './validation';
import type { Store } from '../models/store';

const name = { type: 'string', minLength: 1, maxLength: 100 } as const;
const nullable = (schema: Record<string, unknown>) => ({ ...schema, type: [schema.type, 'null'] });

const patchBody: Schema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    firstName: name,
    lastName: name,
    timeZone: nullable(timeZoneField),
    // The same shape the portal asks of clients' phones; empty clears it, as null does.
    phone: nullable({ type: 'string', pattern: '^$|^\\+?[0-9 ().-]{7,25}$' }),
    bio: nullable(multilineText(1000)),
    photoUrl: nullable({ type: 'string', maxLength: 2000 }),
  },
};

/** The user themself, or the practice's admins and managers for anyone in it; 404 outside the practice. */
async function profileFor(db: Store, staff: StaffPrincipal, id: string) {
  const user = await db.StaffUser.findOne({ where: { id, practiceId: staff.practiceId } });
  if (!user) throw notFound('No such staff member.');
  if (user.id !== staff.id && !managesPractice(staff))
    throw forbidden("Only admin clinicians and practice managers change a colleague's profile.");
  return user;
}

/**
 * Only https pictures: the portal shows them to clients, and a page served over https must not load one over
 * plain http (mixed content), nor a data: or javascript: address.
 */
function assertHttpsUrl(value: string): void {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // Refused below.
  }
  if (!url || url.protocol !== 'https:' || !url.hostname)
    throw badRequest(
      '/photoUrl',
      'The photo address must be a full https:// address, such as https://example.com/me.jpg.',
    );
}

/** Staff profiles: name, time zone, the phone clients are told to call, and what the portal shows. */
export function staffProfileRoutes(deps: { db: Store }): RouteDef[] {
  const { db } = deps;
  return [
    {
      method: 'get',
      path: '/api/staff/:id/profile',
      summary: "A staff member's profile (their own, or anyone's in the practice for admins and managers)",
      tag: 'Staff',
      auth: 'staff',
      params: idParams,
      responses: {
        200: { description: 'The profile', schema: staffProfileSchema },
        403: "A colleague's profile, for a clinician",
        404: 'No such staff member in the practice',
      },
      handler: async (req, res) => {
        res.json(toStaffProfile(await profileFor(db, res.locals.staff!, req.params.id as string)));
      },
    },
    {
      method: 'patch',
      path: '/api/staff/:id/profile',
      summary: 'Change a profile: name, time zone, phone, bio, https photo address (null clears); audited',
      tag: 'Staff',
      auth: 'staff',
      params: idParams,
      body: patchBody,
      responses: {
        200: { description: 'The profile as saved', schema: staffProfileSchema },
        400: 'A field that does not fit (naming it), such as a photo address that is not https',
        403: "A colleague's profile, for a clinician",
        404: 'No such staff member in the practice',
      },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        const user = await profileFor(db, staff, req.params.id as string);
        const body = req.body as StaffProfileChanges;
        if (body.timeZone && !IANAZone.isValidZone(body.timeZone))
          throw badRequest(
            '/timeZone',
            `"${body.timeZone}" is not a time zone we know, such as America/New_York.`,
          );
        if (body.photoUrl) assertHttpsUrl(body.photoUrl);
        const trimmed: StaffProfileChanges = {
          ...body,
          ...(body.firstName !== undefined ? { firstName: body.firstName.trim() } : {}),
          ...(body.lastName !== undefined ? { lastName: body.lastName.trim() } : {}),
          // An empty box clears the field rather than saving nothing.
          ...(body.phone !== undefined ? { phone: body.phone?.trim() || null } : {}),
          ...(body.bio !== undefined ? { bio: body.bio?.trim() || null } : {}),
        };
        if (trimmed.firstName === '') throw badRequest('/firstName', 'Enter a first name.');
        if (trimmed.lastName === '') throw badRequest('/lastName', 'Enter a last name.');
        const saved = await updateStaffProfile(db, staff, user.id, trimmed);
        if (!saved) throw notFound('No such staff member.');
        res.json(toStaffProfile(saved));
      },
    },
  ];
}
