import type { Clock } from '../lib/clock';
import { attendanceStatuses, type AttendanceStatus } from '../models/appointment';
import type { Store } from '../models/store';
import { findAppointment } from '../booking/appointments';
import { markAttendance } from '../booking/attendance';
import { forbidden } from './errors';
import type { RouteDef } from './route';
import { managesPractice } from './auth/principal';
import { idParams, uuid } from './schemas';
import type { Schema } from './validation';

const attendanceBody: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['status'],
  properties: { status: { type: 'string', enum: [...attendanceStatuses] } },
};
const attendanceAnswer: Schema = {
  type: 'object',
  required: ['appointmentId', 'status', 'changed'],
  properties: {
    appointmentId: uuid,
    status: { type: 'string', enum: [...attendanceStatuses] },
    changed: { type: 'boolean', description: 'false when the appointment already had this status' },
  },
};

/** Show / No Show from the dashboard. */
export function attendanceRoutes({ db, clock }: { db: Store; clock: Clock }): RouteDef[] {
  return [
    {
      method: 'post',
      path: '/api/appointments/:id/attendance',
      summary: 'Mark whether the client came (show) or not (no_show), once the appointment has started',
      tag: 'Appointments',
      auth: 'staff',
      params: idParams,
      body: attendanceBody,
      responses: {
        200: { description: 'Marked (or already so)', schema: attendanceAnswer },
        400: 'status is not show or no_show',
        403: "Another clinician's appointment",
        404: 'No such appointment in the practice',
        409: 'APPOINTMENT_NOT_STARTED (before its start), or APPOINTMENT_CANCELED (canceled ones have no attendance)',
      },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        const body = req.body as { status: AttendanceStatus };
        const appointment = await findAppointment(db, {
          id: req.params.id as string,
          practiceId: staff.practiceId,
        });
        if (appointment.clinicianId !== staff.id && !managesPractice(staff))
          throw forbidden('Clinicians mark attendance for their own appointments only.');
        res.json(
          await markAttendance(db, staff, {
            appointmentId: appointment.id,
            status: body.status,
            now: clock.now(),
          }),
        );
      },
    },
  ];
}
