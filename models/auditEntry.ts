import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
  type Transaction,
} from 'sequelize';

/** Who changed what, when, from which value to which. */
class AuditEntry extends Model<InferAttributes<AuditEntry>, InferCreationAttributes<AuditEntry>> {
  declare id: CreationOptional<number>;
  declare practiceId: string | null;
  declare actorType: 'staff' | 'client' | 'system';
  declare actorId: string | null;
  declare action: string;
  declare entity: string;
  declare entityId: string | null;
  declare oldValue: unknown;
  declare newValue: unknown;
  declare createdAt: CreationOptional<Date>;

  /** Writes one audit entry inside the caller's transaction, so the change and its record commit together. */
  static async record(
    entry: Omit<InferCreationAttributes<AuditEntry>, 'id' | 'createdAt'>,
    transaction: Transaction,
  ): Promise<void> {
    await this.create(entry, { transaction });
  }
}
export type { AuditEntry };

/** AuditEntry bound to one database: a class of its own per call, so no other database can re-bind it. */
export function defineAuditEntry(sequelize: Sequelize): typeof AuditEntry {
  class BoundAuditEntry extends AuditEntry {}
  BoundAuditEntry.init(
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      practiceId: { type: DataTypes.UUID },
      actorType: { type: DataTypes.TEXT, allowNull: false },
      actorId: { type: DataTypes.UUID },
      action: { type: DataTypes.TEXT, allowNull: false },
      entity: { type: DataTypes.TEXT, allowNull: false },
      entityId: { type: DataTypes.TEXT },
      oldValue: { type: DataTypes.JSONB },
      newValue: { type: DataTypes.JSONB },
      createdAt: DataTypes.DATE,
    },
    { sequelize, modelName: 'AuditEntry', tableName: 'audit_log', underscored: true, updatedAt: false },
  );
  return BoundAuditEntry;
}
