import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

/** A blocked interval in a clinician's availability (vacation, a half day). */
export class TimeOff extends Model<InferAttributes<TimeOff>, InferCreationAttributes<TimeOff>> {
  declare id: CreationOptional<string>;
  declare clinicianId: string;
  declare startsAt: Date;
  declare endsAt: Date;
  declare reason: string | null;
  declare createdAt: CreationOptional<Date>;

  static setup(sequelize: Sequelize): void {
    TimeOff.init(
      {
        id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
        clinicianId: { type: DataTypes.UUID, allowNull: false },
        startsAt: { type: DataTypes.DATE, allowNull: false },
        endsAt: { type: DataTypes.DATE, allowNull: false },
        reason: { type: DataTypes.TEXT },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'time_off', underscored: true, updatedAt: false },
    );
  }
}
