import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

/** A recurring availability window: an RRULE with a local start and end time in a time zone. */
class AvailabilityRule extends Model<
  InferAttributes<AvailabilityRule>,
  InferCreationAttributes<AvailabilityRule>
> {
  declare id: CreationOptional<string>;
  declare clinicianId: string;
  declare rrule: string;
  declare startDate: string;
  declare until: string | null;
  declare startTime: string;
  declare endTime: string;
  declare timeZone: string;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}
export type { AvailabilityRule };

/** AvailabilityRule bound to one database: a class of its own per call, so no other database can re-bind it. */
export function defineAvailabilityRule(sequelize: Sequelize): typeof AvailabilityRule {
  class BoundAvailabilityRule extends AvailabilityRule {}
  BoundAvailabilityRule.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      clinicianId: { type: DataTypes.UUID, allowNull: false },
      rrule: { type: DataTypes.TEXT, allowNull: false },
      startDate: { type: DataTypes.DATEONLY, allowNull: false },
      until: { type: DataTypes.DATEONLY },
      // Kept as 'HH:mm' text at the edges; PostgreSQL stores a time of day.
      startTime: { type: DataTypes.TIME, allowNull: false },
      endTime: { type: DataTypes.TIME, allowNull: false },
      timeZone: { type: DataTypes.TEXT, allowNull: false },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, modelName: 'AvailabilityRule', tableName: 'availability_rules', underscored: true },
  );
  return BoundAvailabilityRule;
}
