import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export const cancellationPolicies = ['phone_call', '24h', '48h', '72h'] as const;
export type CancellationPolicy = (typeof cancellationPolicies)[number];

/** A practice and its client-portal settings. */
class Practice extends Model<InferAttributes<Practice>, InferCreationAttributes<Practice>> {
  declare id: CreationOptional<string>;
  declare name: string;
  declare slug: string;
  declare timeZone: string;
  declare phone: string | null;
  declare portalEnabled: CreationOptional<boolean>;
  declare allowNewClients: CreationOptional<boolean>;
  declare cancellationPolicy: CreationOptional<CancellationPolicy>;
  declare requestLifetimeHours: CreationOptional<number>;
  /** Appointment reminders (migration 0016): on or off, and the hours before the start they go out. */
  declare remindersEnabled: CreationOptional<boolean>;
  declare reminderOffsetsHours: CreationOptional<number[]>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}
export type { Practice };

/** Practice bound to one database: a class of its own per call, so no other database can re-bind it. */
export function definePractice(sequelize: Sequelize): typeof Practice {
  class BoundPractice extends Practice {}
  BoundPractice.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      name: { type: DataTypes.TEXT, allowNull: false },
      slug: { type: DataTypes.TEXT, allowNull: false },
      timeZone: { type: DataTypes.TEXT, allowNull: false },
      phone: { type: DataTypes.TEXT },
      portalEnabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      allowNewClients: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      cancellationPolicy: { type: DataTypes.TEXT, allowNull: false, defaultValue: '24h' },
      requestLifetimeHours: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 168 },
      remindersEnabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      reminderOffsetsHours: {
        type: DataTypes.ARRAY(DataTypes.INTEGER),
        allowNull: false,
        defaultValue: [48, 2],
      },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, modelName: 'Practice', tableName: 'practices', underscored: true },
  );
  return BoundPractice;
}
