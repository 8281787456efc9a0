import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

/** A clinician's time held by a pending request or a scheduled appointment; the database refuses overlaps. */
class TimeHold extends Model<InferAttributes<TimeHold>, InferCreationAttributes<TimeHold>> {
  declare id: CreationOptional<string>;
  declare clinicianId: string;
  /** [start, end) as Sequelize's range value. */
  declare during: [{ value: Date; inclusive: boolean }, { value: Date; inclusive: boolean }];
  declare kind: 'request' | 'appointment';
  declare createdAt: CreationOptional<Date>;

  /** The half-open range value for [start, end). */
  static range(start: Date, end: Date): TimeHold['during'] {
    return [
      { value: start, inclusive: true },
      { value: end, inclusive: false },
    ];
  }
}
export type { TimeHold };

/** TimeHold bound to one database: a class of its own per call, so no other database can re-bind it. */
export function defineTimeHold(sequelize: Sequelize): typeof TimeHold {
  class BoundTimeHold extends TimeHold {}
  BoundTimeHold.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      clinicianId: { type: DataTypes.UUID, allowNull: false },
      during: { type: DataTypes.RANGE(DataTypes.DATE), allowNull: false },
      kind: { type: DataTypes.TEXT, allowNull: false },
      createdAt: DataTypes.DATE,
    },
    { sequelize, modelName: 'TimeHold', tableName: 'time_holds', underscored: true, updatedAt: false },
  );
  return BoundTimeHold;
}
