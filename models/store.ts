import type { Sequelize } from 'sequelize';
import { definePractice, type Practice } from './practice';
import { defineStaffUser, type StaffUser } from './staffUser';
import { defineService, type Service } from './service';
import { defineBookingPreferences, type BookingPreferences } from './bookingPreferences';
import { defineAvailabilityRule, type AvailabilityRule } from './availabilityRule';
import { defineTimeOff, type TimeOff } from './timeOff';
import { defineClient, type Client } from './client';
import { defineTimeHold, type TimeHold } from './timeHold';
import { defineAppointmentRequest, type AppointmentRequest } from './appointmentRequest';
import { defineAppointment, type Appointment } from './appointment';
import { defineNotification, type Notification } from './notification';
import { defineAuditEntry, type AuditEntry } from './auditEntry';
import { defineStaffInvitation, type StaffInvitation } from './staffInvitation';

/**
 * Every model bound to one database, and that database for transactions and raw queries. A module reaches the
 * data only through the store it was given, so two stores in one process never see each other's rows.
 */
export interface Store {
  readonly sequelize: Sequelize;
  readonly Practice: typeof Practice;
  readonly StaffUser: typeof StaffUser;
  readonly Service: typeof Service;
  readonly BookingPreferences: typeof BookingPreferences;
  readonly AvailabilityRule: typeof AvailabilityRule;
  readonly TimeOff: typeof TimeOff;
  readonly Client: typeof Client;
  readonly TimeHold: typeof TimeHold;
  readonly AppointmentRequest: typeof AppointmentRequest;
  readonly Appointment: typeof Appointment;
  readonly Notification: typeof Notification;
  readonly AuditEntry: typeof AuditEntry;
  readonly StaffInvitation: typeof StaffInvitation;
}

/** Defines every model on sequelize alone; a second store on another instance has classes of its own. */
export function createStore(sequelize: Sequelize): Store {
  return {
    sequelize,
    Practice: definePractice(sequelize),
    StaffUser: defineStaffUser(sequelize),
    Service: defineService(sequelize),
    BookingPreferences: defineBookingPreferences(sequelize),
    AvailabilityRule: defineAvailabilityRule(sequelize),
    TimeOff: defineTimeOff(sequelize),
    Client: defineClient(sequelize),
    TimeHold: defineTimeHold(sequelize),
    AppointmentRequest: defineAppointmentRequest(sequelize),
    Appointment: defineAppointment(sequelize),
    Notification: defineNotification(sequelize),
    AuditEntry: defineAuditEntry(sequelize),
    StaffInvitation: defineStaffInvitation(sequelize),
  };
}
