import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export const requestStatuses = ['pending', 'approved', 'declined', 'expired', 'withdrawn'] as const;
export type RequestStatus = (typeof requestStatuses)[number];
/** What a request asks for: a new appointment, or another time for an existing one. */
export type RequestKind = 'booking' | 'reschedule';

/** What a new client gave on the portal; becomes a client on approval. */
export interface NewClientDetails {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
}

/** A client's request for a slot, pending until the clinician decides, the client withdraws or it expires. */
class AppointmentRequest extends Model<
  InferAttributes<AppointmentRequest>,
  InferCreationAttributes<AppointmentRequest>
> {
  declare id: CreationOptional<string>;
  declare practiceId: string;
  declare clinicianId: string;
  declare serviceId: string;
  declare clientId: string | null;
  declare newClient: NewClientDetails | null;
  declare possibleDuplicateClientId: string | null;
  declare message: string | null;
  declare clientTimeZone: string | null;
  declare startsAt: Date;
  declare endsAt: Date;
  declare status: CreationOptional<RequestStatus>;
  declare holdId: string | null;
  declare declineNote: CreationOptional<string | null>;
  declare appointmentId: CreationOptional<string | null>;
  /** A booking, or a reschedule of appointmentId (models/migrations/0015-reschedule-requests.ts). */
  declare kind: CreationOptional<RequestKind>;
  declare decidedBy: CreationOptional<string | null>;
  declare decidedAt: CreationOptional<Date | null>;
  declare idempotencyKey: string | null;
  /** SHA-256 of what the keyed submission asked for; a replay with another body is refused. */
  declare idempotencyBodyHash: CreationOptional<string | null>;
  /** booking/mailbox.ts mailboxOf() of the requester's address: what the pending cap counts. */
  declare mailbox: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}
export type { AppointmentRequest };

/** AppointmentRequest bound to one database: a class of its own per call, so no other database can re-bind it. */
export function defineAppointmentRequest(sequelize: Sequelize): typeof AppointmentRequest {
  class BoundAppointmentRequest extends AppointmentRequest {}
  BoundAppointmentRequest.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      practiceId: { type: DataTypes.UUID, allowNull: false },
      clinicianId: { type: DataTypes.UUID, allowNull: false },
      serviceId: { type: DataTypes.UUID, allowNull: false },
      clientId: { type: DataTypes.UUID },
      newClient: { type: DataTypes.JSONB },
      possibleDuplicateClientId: { type: DataTypes.UUID },
      message: { type: DataTypes.TEXT },
      clientTimeZone: { type: DataTypes.TEXT },
      startsAt: { type: DataTypes.DATE, allowNull: false },
      endsAt: { type: DataTypes.DATE, allowNull: false },
      status: { type: DataTypes.TEXT, allowNull: false, defaultValue: 'pending' },
      holdId: { type: DataTypes.UUID },
      declineNote: { type: DataTypes.TEXT },
      appointmentId: { type: DataTypes.UUID },
      kind: { type: DataTypes.TEXT, allowNull: false, defaultValue: 'booking' },
      decidedBy: { type: DataTypes.UUID },
      decidedAt: { type: DataTypes.DATE },
      idempotencyKey: { type: DataTypes.TEXT },
      idempotencyBodyHash: { type: DataTypes.TEXT },
      mailbox: { type: DataTypes.TEXT },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, modelName: 'AppointmentRequest', tableName: 'appointment_requests', underscored: true },
  );
  return BoundAppointmentRequest;
}
