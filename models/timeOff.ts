import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

/** A blocked interval in a clinician's availability (vacation, a half day). */
class TimeOff extends Model<InferAttributes<TimeOff>, InferCreationAttributes<TimeOff>> {
  declare id: CreationOptional<string>;
  declare clinicianId: string;
  declare startsAt: Date;
  declare endsAt: Date;
  declare reason: string | null;
  declare createdAt: CreationOptional<Date>;
}
export type { TimeOff };

/** TimeOff bound to one database: a class of its own per call, so no other database can re-bind it. */
export function defineTimeOff(sequelize: Sequelize): typeof TimeOff {
  class BoundTimeOff extends TimeOff {}
  BoundTimeOff.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      clinicianId: { type: DataTypes.UUID, allowNull: false },
      startsAt: { type: DataTypes.DATE, allowNull: false },
      endsAt: { type: DataTypes.DATE, allowNull: false },
      reason: { type: DataTypes.TEXT },
      createdAt: DataTypes.DATE,
    },
    { sequelize, modelName: 'TimeOff', tableName: 'time_off', underscored: true, updatedAt: false },
  );
  return BoundTimeOff;
}
