import { Op, type Sequelize } from 'sequelize';
import type { Client as TemporalClient } from '@temporalio/client';
import type { Clock } from '../app/clock';
import { AppointmentRequest, requestStatuses } from '../models/appointmentRequest';
import { Appointment } from '../models/appointment';
import { Client } from '../models/client';
import { Service } from '../models/service';
import { StaffUser } from '../models/staffUser';
import { toRequestView } from '../booking/requestView';
import { BookingError } from '../booking/errors';
import { decideRequest, type RequestDecision } from '../temporal/requests';
import { withTemporal } from '../temporal/errors';
import { conflict, forbidden, notFound } from './errors';
import type { RouteDef } from './route';
import { managesPractice, type StaffPrincipal } from './auth/principal';
import { idParams, uuid } from './schemas';

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { status: { type: 'string', enum: [...requestStatuses] }, clinicianId: uuid },
};
const declineBody = {
  type: 'object',
  additionalProperties: false,
  properties: { note: { type: 'string', maxLength: 2000 } },
};

/** The request if this staff user may decide it: their own, or any of the practice for admins and managers. */
async function decidableRequest(staff: StaffPrincipal, id: string): Promise<AppointmentRequest> {
  const request = await AppointmentRequest.findOne({ where: { id, practiceId: staff.practiceId } });
  if (!request) throw notFound('No such request.');
  if (request.clinicianId !== staff.id && !managesPractice(staff))
    throw forbidden("You can decide only your own clients' requests.");
  return request;
}

/** Appointment Requests on the dashboard: the list with client details, and Actions > Approve / Decline. */
export function appointmentRequestRoutes(deps: {
  db: Sequelize;
  clock: Clock;
  temporal: TemporalClient;
}): RouteDef[] {
  async function decide(staff: StaffPrincipal, id: string, decision: RequestDecision) {
    const request = await decidableRequest(staff, id);
    if (request.status !== 'pending')
      throw new BookingError('REQUEST_NOT_PENDING', `This request is already ${request.status}.`);
    const result = await withTemporal(() => decideRequest(deps.temporal, request.id, decision), 'decision');
    await request.reload();
    if (!result.ok) throw conflict(result.code, result.message, { request: toRequestView(request) });
    return request;
  }

  return [
    {
      method: 'get',
      path: '/api/appointment-requests',
      summary: "Requests (a clinician's own; the whole practice's for admins and managers), oldest first",
      tag: 'Appointment requests',
      auth: 'staff',
      query: listQuery,
      responses: { 200: 'Requests with client, service, waiting time and the possible-duplicate flag' },
      handler: async (_req, res) => {
        const staff = res.locals.staff!;
        const q = res.locals.query as { status?: string; clinicianId?: string };
        const where: Record<string | symbol, unknown> = { practiceId: staff.practiceId };
        if (q.status) where.status = q.status;
        if (!managesPractice(staff)) where.clinicianId = staff.id;
        else if (q.clinicianId) where.clinicianId = q.clinicianId;
        const rows = await AppointmentRequest.findAll({ where, order: [['createdAt', 'ASC']], limit: 500 });
        const [clients, services, clinicians] = await Promise.all([
          Client.findAll({
            where: { id: { [Op.in]: rows.map((r) => r.clientId).filter((x): x is string => x !== null) } },
          }),
          Service.findAll({ where: { practiceId: staff.practiceId } }),
          StaffUser.findAll({ where: { practiceId: staff.practiceId } }),
        ]);
        const now = deps.clock.now().getTime();
        res.json(
          rows.map((r) => {
            const client = clients.find((c) => c.id === r.clientId);
            const person = r.newClient ?? client!;
            const service = services.find((s) => s.id === r.serviceId)!;
            const clinician = clinicians.find((c) => c.id === r.clinicianId)!;
            return {
              ...toRequestView(r),
              client: {
                firstName: person.firstName,
                lastName: person.lastName,
                email: person.email,
                phone: person.phone,
                isNew: r.newClient !== null && r.clientId === null,
              },
              possibleDuplicate: r.possibleDuplicateClientId !== null,
              possibleDuplicateClientId: r.possibleDuplicateClientId,
              service: { id: service.id, name: service.name, durationMinutes: service.durationMinutes },
              clinician: { id: clinician.id, firstName: clinician.firstName, lastName: clinician.lastName },
              waitingMinutes:
                r.status === 'pending'
                  ? Math.max(0, Math.floor((now - r.createdAt.getTime()) / 60_000))
                  : null,
            };
          }),
        );
      },
    },
    {
      method: 'post',
      path: '/api/appointment-requests/:id/approve',
      summary: 'Approve: creates the client (new clients) and the appointment, emails the confirmation',
      tag: 'Appointment requests',
      auth: 'staff',
      params: idParams,
      responses: {
        200: 'Booked',
        403: "Another clinician's request",
        404: 'No such request',
        409: 'REQUEST_NOT_PENDING or SLOT_UNAVAILABLE (request stays pending)',
      },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        const request = await decide(staff, req.params.id as string, { kind: 'approve', actorId: staff.id });
        const appointment = await Appointment.findByPk(request.appointmentId!);
        res.json({
          request: toRequestView(request),
          appointment: {
            id: appointment!.id,
            clientId: appointment!.clientId,
            startsAt: appointment!.startsAt.toISOString(),
            endsAt: appointment!.endsAt.toISOString(),
            status: appointment!.status,
          },
        });
      },
    },
    {
      method: 'post',
      path: '/api/appointment-requests/:id/decline',
      summary: 'Decline, optionally with a note that is emailed to the client',
      tag: 'Appointment requests',
      auth: 'staff',
      params: idParams,
      body: declineBody,
      responses: {
        200: 'Declined',
        403: "Another clinician's request",
        404: 'No such request',
        409: 'REQUEST_NOT_PENDING',
      },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        const note = (req.body as { note?: string }).note?.trim() || null;
        const request = await decide(staff, req.params.id as string, {
          kind: 'decline',
          actorId: staff.id,
          note,
        });
        res.json({ request: toRequestView(request) });
      },
    },
  ];
}
