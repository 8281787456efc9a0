import { IANAZone } from 'luxon';
import { badRequest, forbidden, notFound } from './errors';
import type { RouteDef } from './route';
import { managesPractice } from './auth/principal';
import { phoneField, timeZoneField } from './schemas';
import { updatePracticeProfile, type PracticeProfile } from '../booking/practiceProfile';
import { toPracticeProfile } from '../booking/views';
import type { Store } from '../models/store';

const name = { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' };
// From one hour to the 90 days REQUEST_LIFETIME_HOURS allows: a request never waits longer than a quarter.
const requestLifetimeHours = { type: 'integer', minimum: 1, maximum: 24 * 90 };

const profileSchema = {
  type: 'object',
  required: ['id', 'name', 'slug', 'timeZone', 'phone', 'requestLifetimeHours'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    slug: { type: 'string' },
    timeZone: { type: 'string' },
    phone: { type: ['string', 'null'] },
    requestLifetimeHours: { type: 'integer' },
  },
};

const patchBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    name,
    timeZone: timeZoneField,
    phone: { ...phoneField, type: ['string', 'null'] },
    requestLifetimeHours,
  },
};

/**
 * Settings > Practice: the name clients see, the practice's time zone, the phone number clients are told to call
 * (phone-only cancelation, late requests), and how long a request waits for an answer. A practice created by
 * practice:create or sign-up starts with only a name and a zone; this is where its admins complete it.
 */
export function practiceProfileRoutes(deps: { db: Store }): RouteDef[] {
  const { db } = deps;
  return [
    {
      method: 'get',
      path: '/api/practice',
      summary: "The practice's name, time zone, phone number and request lifetime",
      tag: 'Practice settings',
      auth: 'staff',
      responses: { 200: { description: 'The practice', schema: profileSchema } },
      handler: async (_req, res) => {
        const practice = await db.Practice.findByPk(res.locals.staff!.practiceId);
        if (!practice) throw notFound();
        res.json(toPracticeProfile(practice));
      },
    },
    {
      method: 'patch',
      path: '/api/practice',
      summary: "Change the practice's name, time zone, phone number or request lifetime (audited)",
      tag: 'Practice settings',
      auth: 'staff',
      body: patchBody,
      responses: {
        200: { description: 'The practice', schema: profileSchema },
        400: 'Invalid field',
        403: 'Not an admin or manager',
      },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        if (!managesPractice(staff))
          throw forbidden("Only admin clinicians and practice managers change the practice's details.");
        const body = req.body as Partial<PracticeProfile>;
        if (body.timeZone !== undefined && !IANAZone.isValidZone(body.timeZone))
          throw badRequest('/timeZone', 'timeZone must be an IANA time zone such as America/New_York.');
        const practice = await updatePracticeProfile(db, staff, {
          ...body,
          name: body.name?.trim(),
          phone: typeof body.phone === 'string' ? body.phone.trim() || null : body.phone,
        });
        res.json(toPracticeProfile(practice));
      },
    },
  ];
}
