import type { Client as TemporalClient } from '@temporalio/client';
import { IANAZone } from 'luxon';
import { contactPhone } from '../booking/staffProfile';
import type { Clock } from '../lib/clock';
import type { Store } from '../models/store';
import { clientAppointments, findAppointment } from '../booking/appointments';
import { requestCancellation } from '../booking/requestCancellation';
import { hasStarted } from '../booking/rules/started';
import { cancelAndWait } from '../temporal/cancellations';
import { withTemporal } from '../temporal/errors';
import { badRequest } from './errors';
import type { RouteDef } from './route';
import { portalPractice, slugParams } from './portal';
import { requirePortalClient } from './portalAuth';
import { multilineText, timeZoneField, uuid, isoInstant } from './schemas';
import type { Schema } from './validation';
import { appointmentStatusField, cancelResultSchema, nullableInstant } from './appointmentSchemas';
import { toCancelResult, toPortalAppointment, toUpcomingPortalAppointment } from '../booking/views';

const portalParams: Schema = {
  type: 'object',
  required: ['slug', 'id'],
  properties: { ...(slugParams.properties as Record<string, unknown>), id: uuid },
};
const portalListQuery: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: { timeZone: timeZoneField },
};
const portalCancelBody: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: { reason: multilineText(1000) },
};
const portalAppointmentSchema: Schema = {
  type: 'object',
  required: [
    'id',
    'status',
    'startsAt',
    'endsAt',
    'clinician',
    'service',
    'cancellationPolicy',
    'canceledAt',
  ],
  properties: {
    id: uuid,
    status: appointmentStatusField,
    startsAt: isoInstant,
    endsAt: isoInstant,
    startsAtLocal: { type: 'string', description: 'startsAt in the listing time zone, with its offset' },
    clinician: {
      type: 'object',
      required: ['id', 'firstName', 'lastName'],
      properties: { id: uuid, firstName: { type: 'string' }, lastName: { type: 'string' } },
    },
    service: { type: 'object', required: ['id', 'name'], properties: { id: uuid, name: { type: 'string' } } },
    cancellationPolicy: { type: 'string', enum: ['phone_call', '24h', '48h', '72h'] },
    canceledAt: nullableInstant,
    canCancelOnline: { type: 'boolean' },
    freeCancelationUntil: nullableInstant,
    freeCancelationUntilLocal: { type: ['string', 'null'] },
    cancelNowAs: { type: ['string', 'null'], enum: ['canceled', 'late_canceled', null] },
    practicePhone: { type: ['string', 'null'] },
    cancelByPhoneMessage: {
      type: ['string', 'null'],
      description: 'Under the phone-only policy, the sentence to show instead of a cancel button',
    },
    canRequestReschedule: {
      type: 'boolean',
      description: 'The client may ask for another time online (canceling now would be free)',
    },
    rescheduleByPhoneMessage: {
      type: ['string', 'null'],
      description: 'When moving online is closed (late or phone-only), the sentence with the number to call',
    },
  },
};

/** The signed-in client's appointments in the portal, and their own cancelations. */
export function portalAppointmentRoutes(deps: {
  db: Store;
  clock: Clock;
  temporal: TemporalClient;
  taskQueue: string;
}): RouteDef[] {
  const { db, clock, temporal, taskQueue } = deps;
  return [
    {
      method: 'get',
      path: '/portal/:slug/me/appointments',
      summary:
        "The signed-in client's upcoming (scheduled, not started) and past or canceled appointments; for upcoming ones, what canceling now would mean",
      tag: 'Client portal',
      auth: 'client',
      params: slugParams,
      query: portalListQuery,
      responses: {
        200: {
          description: 'Appointments, upcoming soonest first, past and canceled latest first',
          schema: {
            type: 'object',
            required: ['timeZone', 'upcoming', 'past'],
            properties: {
              timeZone: { type: 'string' },
              upcoming: { type: 'array', items: portalAppointmentSchema },
              past: { type: 'array', items: portalAppointmentSchema },
            },
          },
        },
        400: 'Not an IANA time zone',
        401: 'Not signed in',
        404: 'No such portal, the portal is off, or the token is for another practice',
      },
      handler: async (req, res) => {
        const practice = await portalPractice(db, req.params.slug as string);
        const principal = requirePortalClient(res, practice);
        const client = await db.Client.findOne({ where: { id: principal.id, practiceId: practice.id } });
        const { timeZone } = res.locals.query as { timeZone?: string };
        if (timeZone && !IANAZone.isValidZone(timeZone))
          throw badRequest('timeZone', 'timeZone is not an IANA time zone.');
        const zone = timeZone ?? client?.timeZone ?? practice.timeZone;
        const { rows, clinicians, services } = await clientAppointments(db, {
          practiceId: practice.id,
          clientId: principal.id,
        });
        const now = clock.now();
        const related = (a: (typeof rows)[number]) => ({
          clinician: clinicians.get(a.clinicianId),
          service: services.get(a.serviceId),
        });
        // Upcoming is what is still going to happen: a canceled appointment moves to past at once, with its status.
        const ahead = (a: (typeof rows)[number]) => a.status === 'scheduled' && !hasStarted(a, now);
        const upcoming = rows.filter(ahead).map((a) =>
          toUpcomingPortalAppointment(a, related(a), {
            zone,
            now,
            practicePhone: contactPhone(related(a).clinician, practice),
          }),
        );
        const past = rows
          .filter((a) => !ahead(a))
          .reverse()
          .map((a) => toPortalAppointment(a, related(a), zone));
        res.json({ timeZone: zone, upcoming, past });
      },
    },
    {
      method: 'post',
      path: '/portal/:slug/me/appointments/:id/cancel',
      summary:
        "Cancel one's own appointment: Canceled or Late Canceled by the policy booked with it, judged at this moment",
      tag: 'Client portal',
      auth: 'client',
      params: portalParams,
      body: portalCancelBody,
      responses: {
        200: {
          description: 'Canceled (or the first result of an earlier cancel)',
          schema: cancelResultSchema,
        },
        202: 'Recorded; the cancelation completes (judged at this moment) as soon as a worker runs it',
        401: 'Not signed in',
        404: "No such appointment among the client's own",
        409:
          'CANCEL_BY_PHONE_ONLY (with the phone number), APPOINTMENT_NOT_CANCELABLE (started), or ' +
          'APPOINTMENT_ALREADY_CANCELED (by the practice; with status, canceledBy and canceledAt)',
        422: 'DATA_REJECTED: the cancelation could not be recorded; nothing changed',
      },
      handler: async (req, res) => {
        const practice = await portalPractice(db, req.params.slug as string);
        const principal = requirePortalClient(res, practice);
        const appointment = await findAppointment(db, {
          id: req.params.id as string,
          practiceId: practice.id,
          clientId: principal.id,
        });
        const answer = await requestCancellation(
          db,
          appointment,
          {
            practiceId: practice.id,
            // The moment the client asked: the policy judges this, however late a worker gets to it.
            requestedAt: clock.now(),
            by: 'client',
            // The number the client is told to call: their clinician's when set, else the practice's.
            practicePhone: contactPhone(await db.StaffUser.findByPk(appointment.clinicianId), practice),
            reason: (req.body as { reason?: string }).reason ?? null,
            notifyClient: true,
            actorId: principal.id,
          },
          // Temporal unreachable before the workflow started: 503 with Retry-After, and nothing changed.
          (input) => withTemporal(() => cancelAndWait(temporal, taskQueue, input)),
        );
        if (!answer.done)
          res.status(202).json({ appointmentId: answer.appointmentId, status: 'cancel_requested' });
        else res.json(toCancelResult(answer.result));
      },
    },
  ];
}
