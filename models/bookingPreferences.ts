import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

/** Defaults for a clinician who has not set preferences yet (stated in the README). */
export const defaultBookingPreferences = {
  onlineBookingEnabled: true,
  initialConsultationServiceId: null,
  startTimeIntervalMinutes: 15,
  minimumNoticeHours: 24,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
} as const;

/** A clinician's online-booking preferences (Settings > Availabilities > Preferences). */
class BookingPreferences extends Model<
  InferAttributes<BookingPreferences>,
  InferCreationAttributes<BookingPreferences>
> {
  declare clinicianId: string;
  declare onlineBookingEnabled: CreationOptional<boolean>;
  declare initialConsultationServiceId: string | null;
  declare startTimeIntervalMinutes: CreationOptional<number>;
  declare minimumNoticeHours: CreationOptional<number>;
  declare bufferBeforeMinutes: CreationOptional<number>;
  declare bufferAfterMinutes: CreationOptional<number>;
  declare updatedAt: CreationOptional<Date>;
}
export type { BookingPreferences };

/** BookingPreferences bound to one database: a class of its own per call, so no other database can re-bind it. */
export function defineBookingPreferences(sequelize: Sequelize): typeof BookingPreferences {
  class BoundBookingPreferences extends BookingPreferences {}
  BoundBookingPreferences.init(
    {
      clinicianId: { type: DataTypes.UUID, primaryKey: true },
      onlineBookingEnabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      initialConsultationServiceId: { type: DataTypes.UUID },
      startTimeIntervalMinutes: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 15 },
      minimumNoticeHours: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 24 },
      bufferBeforeMinutes: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      bufferAfterMinutes: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      updatedAt: DataTypes.DATE,
    },
    {
      sequelize,
      modelName: 'BookingPreferences',
      tableName: 'booking_preferences',
      underscored: true,
      createdAt: false,
    },
  );
  return BoundBookingPreferences;
}
