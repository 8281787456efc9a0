import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

/** A client of a practice; the email (unique per practice, any case) is how they sign in to the portal. */
class Client extends Model<InferAttributes<Client>, InferCreationAttributes<Client>> {
  declare id: CreationOptional<string>;
  declare practiceId: string;
  declare firstName: string;
  declare lastName: string;
  declare email: string;
  declare phone: string | null;
  declare timeZone: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}
export type { Client };

/** Client bound to one database: a class of its own per call, so no other database can re-bind it. */
export function defineClient(sequelize: Sequelize): typeof Client {
  class BoundClient extends Client {}
  BoundClient.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      practiceId: { type: DataTypes.UUID, allowNull: false },
      firstName: { type: DataTypes.TEXT, allowNull: false },
      lastName: { type: DataTypes.TEXT, allowNull: false },
      email: { type: DataTypes.TEXT, allowNull: false },
      phone: { type: DataTypes.TEXT },
      timeZone: { type: DataTypes.TEXT },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, modelName: 'Client', tableName: 'clients', underscored: true },
  );
  return BoundClient;
}
