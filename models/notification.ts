import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

/** A bell item for a staff user. */
class Notification extends Model<InferAttributes<Notification>, InferCreationAttributes<Notification>> {
  declare id: CreationOptional<string>;
  declare userId: string;
  declare kind: string;
  declare requestId: string | null;
  declare appointmentId: string | null;
  /** Makes a retried activity add the item once. */
  declare dedupeKey: string;
  declare readAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
}
export type { Notification };

/** Notification bound to one database: a class of its own per call, so no other database can re-bind it. */
export function defineNotification(sequelize: Sequelize): typeof Notification {
  class BoundNotification extends Notification {}
  BoundNotification.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      userId: { type: DataTypes.UUID, allowNull: false },
      kind: { type: DataTypes.TEXT, allowNull: false },
      requestId: { type: DataTypes.UUID },
      appointmentId: { type: DataTypes.UUID },
      dedupeKey: { type: DataTypes.TEXT, allowNull: false },
      readAt: { type: DataTypes.DATE },
      createdAt: DataTypes.DATE,
    },
    { sequelize, modelName: 'Notification', tableName: 'notifications', underscored: true, updatedAt: false },
  );
  return BoundNotification;
}
