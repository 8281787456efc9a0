import type { Store } from '../models/store';
import { preferencesOf, savePreferences, type PreferenceValues } from '../booking/bookingPreferences';
import { badRequest } from './errors';
import type { RouteDef } from './route';
import { clinicianFor } from './clinicians';
import { idParams, uuid } from './schemas';

const preferencesBody = {
  type: 'object',
  additionalProperties: false,
  required: [
    'initialConsultationServiceId',
    'startTimeIntervalMinutes',
    'minimumNoticeHours',
    'bufferBeforeMinutes',
    'bufferAfterMinutes',
  ],
  properties: {
    onlineBookingEnabled: { type: 'boolean' },
    initialConsultationServiceId: { anyOf: [uuid, { type: 'null' }] },
    startTimeIntervalMinutes: { type: 'integer', enum: [5, 10, 15, 20, 30, 45, 60] },
    minimumNoticeHours: { type: 'integer', minimum: 0, maximum: 720 },
    bufferBeforeMinutes: { type: 'integer', minimum: 0, maximum: 240 },
    bufferAfterMinutes: { type: 'integer', minimum: 0, maximum: 240 },
  },
};
const preferencesSchema = {
  type: 'object',
  required: Object.keys(preferencesBody.properties),
  properties: preferencesBody.properties,
};

/** A clinician's online booking preferences (Settings > Availabilities > Preferences). */
export function bookingPreferenceRoutes({ db }: { db: Store }): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/api/clinicians/:id/booking-preferences',
      summary: 'Online booking preferences',
      tag: 'Clinicians',
      auth: 'staff',
      params: idParams,
      responses: {
        200: { description: 'Preferences', schema: preferencesSchema },
        403: 'Another clinician',
        404: 'No such clinician',
      },
      handler: async (req, res) => {
        const clinician = await clinicianFor(db, res.locals.staff!, req.params.id as string);
        res.json(await preferencesOf(db, clinician.id));
      },
    },
    {
      method: 'put',
      path: '/api/clinicians/:id/booking-preferences',
      summary: 'Set online booking preferences (Settings > Availabilities > Preferences)',
      tag: 'Clinicians',
      auth: 'staff',
      params: idParams,
      body: preferencesBody,
      responses: {
        200: { description: 'Preferences', schema: preferencesSchema },
        400: 'Invalid',
        403: 'Another clinician',
        404: 'No such clinician',
      },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        const body = req.body as PreferenceValues;
        const clinician = await clinicianFor(db, staff, req.params.id as string);
        if (body.initialConsultationServiceId) {
          const service = await db.Service.findOne({
            where: { id: body.initialConsultationServiceId, practiceId: staff.practiceId },
          });
          if (!service)
            throw badRequest(
              '/initialConsultationServiceId',
              'initialConsultationServiceId is not a service of this practice.',
            );
          if (!service.bookableOnline) {
            throw badRequest(
              '/initialConsultationServiceId',
              'initialConsultationServiceId must be a service that is bookable online.',
            );
          }
        }
        res.json(await savePreferences(db, staff, clinician.id, body));
      },
    },
  ];
}
