import { DateTime } from 'luxon';
import type { Appointment } from '../models/appointment';
import type { AppointmentRequest } from '../models/appointmentRequest';
import type { AvailabilityRule } from '../models/availabilityRule';
import type { Client } from '../models/client';
import type { Notification } from '../models/notification';
import type { Practice } from '../models/practice';
import type { Service } from '../models/service';
import type { StaffUser } from '../models/staffUser';
import type { StaffInvitation } from '../models/staffInvitation';
import type { TimeOff } from '../models/timeOff';
import { cancelationOptions, type CancelResult } from './cancelAppointment';
import { summarizeRule } from '../scheduling';
import { hasStarted } from './rules/started';
import { phoneOnlyMessage } from './rules/cancelation';
import { mayRequestReschedule, rescheduleByPhoneMessage } from './rules/reschedule';
import type { AuditLogRow } from './auditLog';
import type { CalendarFeed } from './calendarFeed';
import type { ReminderChoice } from './reminderOptOut';

// Every model → JSON mapping the API answers with (and the audit log records), so a field is named once.

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const localIso = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toISO()!;

/** The public shape of a staff user. */
export function toStaffUser(u: StaffUser) {
  return {
    id: u.id,
    practiceId: u.practiceId,
    email: u.email,
    firstName: u.firstName,
    lastName: u.lastName,
    role: u.role,
    timeZone: u.timeZone,
  };
}

/** The public shape of a service. */
/** The practice's own details (Settings > Practice). */
export function toPracticeProfile(p: Practice) {
  return {
    id: p.id,
    name: p.name,
    slug: p.slug,
    timeZone: p.timeZone,
    phone: p.phone,
    requestLifetimeHours: p.requestLifetimeHours,
  };
}

export function toService(s: Service) {
  return { id: s.id, name: s.name, durationMinutes: s.durationMinutes, bookableOnline: s.bookableOnline };
}

const hhmm = (t: string) => t.slice(0, 5);

/** A recurring availability rule with its times as 'HH:mm' and a human summary. */
export function toRule(r: AvailabilityRule) {
  const input = {
    rrule: r.rrule,
    startDate: r.startDate,
    until: r.until,
    startTime: hhmm(r.startTime),
    endTime: hhmm(r.endTime),
    timeZone: r.timeZone,
  };
  return { id: r.id, ...input, summary: summarizeRule(input) };
}

/** A blocked interval. */
export function toTimeOff(t: TimeOff) {
  return { id: t.id, startsAt: t.startsAt.toISOString(), endsAt: t.endsAt.toISOString(), reason: t.reason };
}

/** A cancelation's answer: the appointment's status and when it was asked and done. */
export function toCancelResult(r: CancelResult) {
  return {
    appointmentId: r.appointmentId,
    status: r.status,
    cancelRequestedAt: r.requestedAt,
    canceledAt: r.canceledAt,
  };
}

/** An appointment in the client's portal list, its start also in the listing zone. */
export function toPortalAppointment(
  a: Appointment,
  related: { clinician?: StaffUser; service?: Service },
  zone: string,
) {
  return {
    id: a.id,
    status: a.status,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    startsAtLocal: localIso(a.startsAt, zone),
    clinician: {
      id: a.clinicianId,
      firstName: related.clinician?.firstName ?? '',
      lastName: related.clinician?.lastName ?? '',
    },
    service: { id: a.serviceId, name: related.service?.name ?? '' },
    cancellationPolicy: a.cancellationPolicy,
    canceledAt: iso(a.canceledAt),
  };
}

/** An upcoming appointment in the portal list, with what canceling it now would mean. */
export function toUpcomingPortalAppointment(
  a: Appointment,
  related: { clinician?: StaffUser; service?: Service },
  opts: { zone: string; now: Date; practicePhone: string | null },
) {
  const options = cancelationOptions(a, opts.now);
  const movable = mayRequestReschedule(options);
  const until = options.freeCancelationUntil;
  return {
    ...toPortalAppointment(a, related, opts.zone),
    canCancelOnline: options.canCancelOnline,
    freeCancelationUntil: iso(until),
    freeCancelationUntilLocal: until ? localIso(until, opts.zone) : null,
    cancelNowAs: options.cancelNowAs,
    // Also when only moving it online is closed (past the free-cancelation cutoff): the number to call instead.
    practicePhone: options.byPhoneOnly || !movable ? opts.practicePhone : null,
    cancelByPhoneMessage: options.byPhoneOnly ? phoneOnlyMessage(opts.practicePhone) : null,
    canRequestReschedule: movable,
    rescheduleByPhoneMessage: movable ? null : rescheduleByPhoneMessage(opts.practicePhone, options),
  };
}

/**
 * An appointment in the practice's calendar. `started` is judged by the server's clock at `now`, the same rule the
 * attendance route applies, so the dashboard never offers Show / No Show the API would refuse (or hides it) when
 * the browser's clock is off.
 */
export function toCalendarEntry(a: Appointment, related: { client?: Client; service?: Service }, now: Date) {
  return {
    id: a.id,
    status: a.status,
    clinicianId: a.clinicianId,
    client: {
      id: a.clientId,
      firstName: related.client?.firstName ?? '',
      lastName: related.client?.lastName ?? '',
    },
    service: { id: a.serviceId, name: related.service?.name ?? '' },
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    cancellationPolicy: a.cancellationPolicy,
    cancelRequestedAt: iso(a.cancelRequestedAt),
    canceledAt: iso(a.canceledAt),
    canceledBy: a.canceledBy,
    cancelReason: a.cancelReason,
    started: hasStarted(a, now),
  };
}

/** A client as the dashboard shows it (and the audit log records it). */
export function toClient(c: Client) {
  return {
    id: c.id,
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    phone: c.phone,
    archived: c.archivedAt !== null && c.archivedAt !== undefined,
    archivedAt: iso(c.archivedAt ?? null),
    /** False for a client who shares the address another client signs in to the portal with. */
    portalSignIn: c.portalSignIn !== false,
    createdAt: iso(c.createdAt ?? null),
    /** The client's own choice (reminder link or portal); staff see it, only the client changes it. */
    remindersOptedOutAt: iso(c.remindersOptedOutAt ?? null),
  };
}

type ClientRelated = { staff: Map<string, StaffUser>; services: Map<string, Service> };
const personOf = (staff: Map<string, StaffUser>, id: string) => {
  const s = staff.get(id);
  return { id, firstName: s?.firstName ?? '', lastName: s?.lastName ?? '' };
};

/** An appointment on a client's profile: when, with whom, what, and how it ended. */
export function toClientAppointment(a: Appointment, related: ClientRelated) {
  return {
    id: a.id,
    status: a.status,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    clinician: personOf(related.staff, a.clinicianId),
    service: { id: a.serviceId, name: related.services.get(a.serviceId)?.name ?? '' },
    canceledAt: iso(a.canceledAt),
  };
}

/** A request on a client's profile. */
export function toClientRequest(r: AppointmentRequest, related: ClientRelated) {
  return {
    id: r.id,
    status: r.status,
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
    clinician: personOf(related.staff, r.clinicianId),
    service: { id: r.serviceId, name: related.services.get(r.serviceId)?.name ?? '' },
    createdAt: r.createdAt.toISOString(),
    appointmentId: r.appointmentId ?? null,
  };
}

/** A staff member as the practice's staff list shows them (no password hash, no sessions). */
export function toStaffMember(u: StaffUser) {
  return {
    id: u.id,
    email: u.email,
    firstName: u.firstName,
    lastName: u.lastName,
    role: u.role,
    active: u.active,
  };
}

/** An invitation as the staff page lists it (never its token or hash). */
export function toStaffInvitation(i: StaffInvitation) {
  return {
    id: i.id,
    email: i.email,
    firstName: i.firstName,
    lastName: i.lastName,
    role: i.role,
    invitedBy: i.invitedBy,
    createdAt: i.createdAt.toISOString(),
    expiresAt: i.expiresAt.toISOString(),
    remindedAt: iso(i.remindedAt ?? null),
  };
}

/** An audit entry as the audit log page shows it: who (by name), when, what, and the values before and after. */
export function toAuditLogEntry(row: AuditLogRow) {
  const name = [row.actor_first_name, row.actor_last_name].filter(Boolean).join(' ');
  return {
    id: row.id,
    at: new Date(row.created_at).toISOString(),
    actor: {
      type: row.actor_type,
      id: row.actor_id,
      // A system change has no person; a removed person's entries keep their id.
      name: row.actor_type === 'system' ? 'The system' : name || null,
    },
    action: row.action,
    entity: row.entity,
    entityId: row.entity_id,
    entityName: row.entity_name,
    before: row.old_value ?? null,
    after: row.new_value ?? null,
  };
}

/** A staff user's profile: what they are called, where they are, and what the portal shows of them. */
export function toStaffProfile(u: StaffUser) {
  return {
    ...toStaffUser(u),
    phone: u.phone ?? null,
    bio: u.bio ?? null,
    photoUrl: u.photoUrl ?? null,
  };
}

/** A clinician's calendar feed: its https and webcal addresses (both open the same feed), or nulls when it is off. */
export function toCalendarFeed(feed: CalendarFeed | null, urlOf: (token: string) => string) {
  if (!feed) return { enabled: false, url: null, webcalUrl: null, createdAt: null };
  const url = urlOf(feed.token);
  return {
    enabled: true,
    url,
    webcalUrl: url.replace(/^https?:/, 'webcal:'),
    createdAt: feed.createdAt.toISOString(),
  };
}

/** A bell item, naming the client of its request or appointment (a new client by the name they gave). */
export function toNotificationItem(
  n: Notification,
  related: {
    request?: AppointmentRequest;
    appointment?: Appointment;
    client: { firstName: string; lastName: string } | null;
  },
) {
  const status = related.request?.status ?? null;
  const startsAt = related.request?.startsAt ?? related.appointment?.startsAt ?? null;
  return {
    id: n.id,
    kind: n.kind,
    requestId: n.requestId,
    appointmentId: n.appointmentId,
    startsAt: iso(startsAt),
    requestStatus: status,
    decided: status !== null && status !== 'pending',
    client: related.client
      ? { firstName: related.client.firstName, lastName: related.client.lastName }
      : null,
    read: n.readAt !== null,
    createdAt: n.createdAt.toISOString(),
  };
}

/**
 * A pending request's held time on the staff calendar: who asked (the name staff already see on the request), what
 * and when; the message and contact details stay on the request itself.
 */
export function toCalendarHold(r: AppointmentRequest, related: { client?: Client; service?: Service }) {
  const person = related.client ?? r.newClient;
  return {
    requestId: r.id,
    kind: r.kind ?? 'booking',
    appointmentId: r.appointmentId ?? null,
    clinicianId: r.clinicianId,
    client: { firstName: person?.firstName ?? '', lastName: person?.lastName ?? '', isNew: !r.clientId },
    service: { id: r.serviceId, name: related.service?.name ?? '' },
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
  };
}

/** Time off on the staff calendar: a blocked interval of one clinician. */
export function toCalendarTimeOff(t: TimeOff) {
  return { ...toTimeOff(t), clinicianId: t.clinicianId };
}

/** An availability window on the staff calendar: when clients may ask for this clinician online. */
export function toCalendarWindow(w: { clinicianId: string; date: string; start: Date; end: Date }) {
  return {
    clinicianId: w.clinicianId,
    date: w.date,
    startsAt: w.start.toISOString(),
    endsAt: w.end.toISOString(),
  };
}

/** Settings › Practice › Reminders: on or off, and the hours before the start each reminder goes (earliest first). */
export function toReminderSettings(p: Practice) {
  return { enabled: p.remindersEnabled, offsetsHours: p.reminderOffsetsHours };
}

/** A client's reminder choice as their portal shows it. */
export function toReminderChoice(c: ReminderChoice) {
  return { enabled: c.enabled, optedOutAt: iso(c.optedOutAt) };
}
