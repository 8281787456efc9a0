import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { CancellationPolicy } from './practice';

export const appointmentStatuses = [
  'scheduled',
  'show',
  'no_show',
  'canceled',
  'late_canceled',
  'clinician_canceled',
] as const;
export type AppointmentStatus = (typeof appointmentStatuses)[number];
/** Whether the client came: marked once the appointment has started. Both keep the appointment's hold. */
export const attendanceStatuses = ['show', 'no_show'] as const;
export type AttendanceStatus = (typeof attendanceStatuses)[number];
/** The ways an appointment ends canceled; only these free its time. */
export const canceledStatuses = ['canceled', 'late_canceled', 'clinician_canceled'] as const;
export type CanceledStatus = (typeof canceledStatuses)[number];
export const isCanceled = (status: AppointmentStatus): status is CanceledStatus =>
  (canceledStatuses as readonly string[]).includes(status);

/** A calendar entry; keeps the cancelation policy in force when it was booked. */
class Appointment extends Model<InferAttributes<Appointment>, InferCreationAttributes<Appointment>> {
  declare id: CreationOptional<string>;
  declare practiceId: string;
  declare clinicianId: string;
  declare serviceId: string;
  declare clientId: string;
  declare requestId: string | null;
  declare startsAt: Date;
  declare endsAt: Date;
  declare status: CreationOptional<AppointmentStatus>;
  declare cancellationPolicy: CancellationPolicy;
  declare holdId: string | null;
  declare cancelRequestedAt: CreationOptional<Date | null>;
  declare canceledAt: CreationOptional<Date | null>;
  declare canceledBy: CreationOptional<'client' | 'staff' | null>;
  declare cancelReason: CreationOptional<string | null>;
  /** The SEQUENCE of the client's latest calendar invite for this appointment (0: the first). */
  declare inviteSequence: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}
export type { Appointment };

/** Appointment bound to one database: a class of its own per call, so no other database can re-bind it. */
export function defineAppointment(sequelize: Sequelize): typeof Appointment {
  class BoundAppointment extends Appointment {}
  BoundAppointment.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      practiceId: { type: DataTypes.UUID, allowNull: false },
      clinicianId: { type: DataTypes.UUID, allowNull: false },
      serviceId: { type: DataTypes.UUID, allowNull: false },
      clientId: { type: DataTypes.UUID, allowNull: false },
      requestId: { type: DataTypes.UUID },
      startsAt: { type: DataTypes.DATE, allowNull: false },
      endsAt: { type: DataTypes.DATE, allowNull: false },
      status: { type: DataTypes.TEXT, allowNull: false, defaultValue: 'scheduled' },
      cancellationPolicy: { type: DataTypes.TEXT, allowNull: false },
      holdId: { type: DataTypes.UUID },
      cancelRequestedAt: { type: DataTypes.DATE },
      canceledAt: { type: DataTypes.DATE },
      canceledBy: { type: DataTypes.TEXT },
      cancelReason: { type: DataTypes.TEXT },
      inviteSequence: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, modelName: 'Appointment', tableName: 'appointments', underscored: true },
  );
  return BoundAppointment;
}
