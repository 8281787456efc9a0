import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

/**
 * A client of a practice; the email is how they sign in to the portal, unique per practice (any case) among the
 * clients who sign in with it (portalSignIn).
 */
class Client extends Model<InferAttributes<Client>, InferCreationAttributes<Client>> {
  declare id: CreationOptional<string>;
  declare practiceId: string;
  declare firstName: string;
  declare lastName: string;
  declare email: string;
  declare phone: string | null;
  declare timeZone: string | null;
  /** Set while archived: the history stays, but the client cannot sign in to the portal or request. */
  declare archivedAt: CreationOptional<Date | null>;
  /** Whether the email signs this client in: false for a second client sharing another client's address. */
  declare portalSignIn: CreationOptional<boolean>;
  /** Set while the client wants no reminder emails: their own choice, made by link or in the portal. */
  declare remindersOptedOutAt: CreationOptional<Date | null>;
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
      archivedAt: { type: DataTypes.DATE },
      portalSignIn: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      remindersOptedOutAt: { type: DataTypes.DATE },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, modelName: 'Client', tableName: 'clients', underscored: true },
  );
  return BoundClient;
}
