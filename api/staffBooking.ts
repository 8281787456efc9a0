import type { Client as TemporalClient } from '@temporalio/client';
import type { Clock } from '../lib/clock';
import type { Store } from '../models/store';
import { bookAppointment } from '../booking/staffBooking';
import { clinicianOf } from '../booking/clinicians';
import { toCalendarEntry } from '../booking/views';
import { startBookingConfirmation } from '../temporal/bookings';
import { startAppointmentWorkflow } from '../temporal/appointments';
import { withTemporal } from '../temporal/errors';
import { forbidden, notFound } from './errors';
import type { RouteDef } from './route';
import { managesPractice } from './auth/principal';
import { isoInstant, uuid } from './schemas';
import type { Schema } from './validation';
import { calendarEntrySchema } from './staffAppointments';

const bookingBody: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['clinicianId', 'clientId', 'serviceId', 'startsAt'],
  properties: { clinicianId: uuid, clientId: uuid, serviceId: uuid, startsAt: isoInstant },
};

/** Staff booking a client directly (a client who phoned), from the dashboard. */
export function staffBookingRoutes(deps: {
  db: Store;
  clock: Clock;
  temporal: TemporalClient;
  taskQueue: string;
}): RouteDef[] {
  const { db, clock, temporal, taskQueue } = deps;
  return [
    {
      method: 'post',
      path: '/api/appointments',
      summary:
        'Book an existing client directly: no minimum notice, start-time grid or availability windows, never over ' +
        'an appointment, a pending request or time off',
      tag: 'Appointments',
      auth: 'staff',
      body: bookingBody,
      responses: {
        201: {
          description: 'Booked; the client is emailed the confirmation with its .ics',
          schema: calendarEntrySchema,
        },
        400: 'Invalid body (the field is named)',
        403: "Booking in a colleague's calendar (clinicians book for themselves only)",
        404: 'No such clinician, client or service in the practice',
        409: 'SLOT_UNAVAILABLE (overlaps an appointment, a pending request or time off) or CLIENT_ARCHIVED',
        503: 'Temporal unreachable: nothing was booked',
      },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        const body = req.body as {
          clinicianId: string;
          clientId: string;
          serviceId: string;
          startsAt: string;
        };
        const clinician = await clinicianOf(db, staff.practiceId, body.clinicianId);
        if (!clinician) throw notFound('No such clinician in this practice.');
        if (clinician.id !== staff.id && !managesPractice(staff))
          throw forbidden('Clinicians book appointments in their own calendar only.');
        const appointment = await bookAppointment(
          db,
          staff,
          { ...body, startsAt: new Date(body.startsAt) },
          (input) =>
            withTemporal(async () => {
              await startBookingConfirmation(temporal, taskQueue, input);
              await startAppointmentWorkflow(temporal, taskQueue, input.appointmentId);
            }),
        );
        const [client, service] = await Promise.all([
          db.Client.findByPk(appointment.clientId),
          db.Service.findByPk(appointment.serviceId),
        ]);
        res
          .status(201)
          .json(toCalendarEntry(appointment, { client: client!, service: service! }, clock.now()));
      },
    },
  ];
}
