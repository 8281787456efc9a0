import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

/** Something a practice offers: a name and a duration, bookable online or not. */
class Service extends Model<InferAttributes<Service>, InferCreationAttributes<Service>> {
  declare id: CreationOptional<string>;
  declare practiceId: string;
  declare name: string;
  declare durationMinutes: number;
  declare bookableOnline: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}
export type { Service };

/** Service bound to one database: a class of its own per call, so no other database can re-bind it. */
export function defineService(sequelize: Sequelize): typeof Service {
  class BoundService extends Service {}
  BoundService.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      practiceId: { type: DataTypes.UUID, allowNull: false },
      name: { type: DataTypes.TEXT, allowNull: false },
      durationMinutes: { type: DataTypes.INTEGER, allowNull: false },
      bookableOnline: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, modelName: 'Service', tableName: 'services', underscored: true },
  );
  return BoundService;
}
