import { Op, type WhereOptions } from 'sequelize';
import type { AppointmentRequest } from '../models/appointmentRequest';
import type { AvailabilityRule } from '../models/availabilityRule';
import type { Store } from '../models/store';
import type { TimeOff } from '../models/timeOff';
import { occurrenceWindows, type AvailabilityWindow } from '../scheduling';
import { calendarAppointments } from './appointments';
import { cliniciansOf } from './clinicians';
import { toRule } from './views';

/** What a calendar asks for besides appointments. */
export interface CalendarParts {
  holds?: boolean;
  timeOff?: boolean;
  availability?: boolean;
}

/** One clinician's availability window, expanded from a weekly rule by the slot engine's own expansion. */
export interface ClinicianWindow extends AvailabilityWindow {
  clinicianId: string;
}

const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));

/** Pending requests holding time in [from, to): what the clinician still has to decide. */
async function pendingHolds(db: Store, where: WhereOptions<AppointmentRequest>) {
  const rows = await db.AppointmentRequest.findAll({
    where: { ...where, status: 'pending', holdId: { [Op.ne]: null } },
    order: [
      ['startsAt', 'ASC'],
      ['id', 'ASC'],
    ],
  });
  const clientIds = [...new Set(rows.flatMap((r) => (r.clientId ? [r.clientId] : [])))];
  const serviceIds = [...new Set(rows.map((r) => r.serviceId))];
  const [clients, services] = await Promise.all([
    db.Client.findAll({ where: { id: clientIds } }),
    db.Service.findAll({ where: { id: serviceIds } }),
  ]);
  return { rows, clients: byId(clients), services: byId(services) };
}

/**
 * Rules whose zone cannot be expanded would have been refused when saved; one that slipped through shows no
 * windows rather than hiding the rest of the calendar.
 */
function windowsOf(rule: AvailabilityRule, from: Date, to: Date): ClinicianWindow[] {
  try {
    // PostgreSQL answers a time of day as 'HH:mm:ss'; the rule language speaks 'HH:mm'.
    return occurrenceWindows(toRule(rule), from, to).map((w) => ({ ...w, clinicianId: rule.clinicianId }));
  } catch (err) {
    if (err instanceof RangeError) return [];
    throw err;
  }
}

/**
 * A calendar of [from, to): appointments, and on request the pending holds, time off and availability windows,
 * all of one clinician when given, else of every clinician of the practice. The caller has authorized the
 * clinician; everything here stays inside the practice.
 */
export async function practiceCalendar(
  db: Store,
  opts: { practiceId: string; from: Date; to: Date; clinicianId?: string; parts: CalendarParts },
) {
  const { practiceId, from, to, clinicianId, parts } = opts;
  const clinicianIds = clinicianId ? [clinicianId] : (await cliniciansOf(db, practiceId)).map((c) => c.id);
  const overlapping = { startsAt: { [Op.lt]: to }, endsAt: { [Op.gt]: from } };
  const [appointments, holds, timeOff, rules] = await Promise.all([
    calendarAppointments(db, { practiceId, from, to, clinicianId }),
    parts.holds
      ? pendingHolds(db, { practiceId, clinicianId: clinicianIds, ...overlapping })
      : Promise.resolve(undefined),
    parts.timeOff
      ? db.TimeOff.findAll({
          where: { clinicianId: clinicianIds, ...overlapping },
          order: [
            ['startsAt', 'ASC'],
            ['id', 'ASC'],
          ],
        })
      : Promise.resolve(undefined as TimeOff[] | undefined),
    parts.availability
      ? db.AvailabilityRule.findAll({
          where: { clinicianId: clinicianIds },
          order: [
            ['createdAt', 'ASC'],
            ['id', 'ASC'],
          ],
        })
      : Promise.resolve(undefined as AvailabilityRule[] | undefined),
  ]);
  const availability = rules
    ?.flatMap((rule) => windowsOf(rule, from, to))
    .sort((a, b) => a.start.getTime() - b.start.getTime() || a.clinicianId.localeCompare(b.clinicianId));
  return { appointments, holds, timeOff, availability };
}
