import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export const staffRoles = ['admin_clinician', 'clinician', 'practice_manager'] as const;
export type StaffRole = (typeof staffRoles)[number];

/** A clinician, admin clinician or practice manager who signs in to the dashboard. */
class StaffUser extends Model<InferAttributes<StaffUser>, InferCreationAttributes<StaffUser>> {
  declare id: CreationOptional<string>;
  declare practiceId: string;
  declare email: string;
  declare firstName: string;
  declare lastName: string;
  declare role: StaffRole;
  declare passwordHash: string;
  declare timeZone: string | null;
  /** false: deactivated (cannot sign in, every session ended); their history stays. */
  declare active: CreationOptional<boolean>;
  /** The number this clinician's clients are told to call; null: the practice's. */
  declare phone: CreationOptional<string | null>;
  declare bio: CreationOptional<string | null>;
  /** https only (validated by the API), shown on the portal's clinician list. */
  declare photoUrl: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}
export type { StaffUser };

/** StaffUser bound to one database: a class of its own per call, so no other database can re-bind it. */
export function defineStaffUser(sequelize: Sequelize): typeof StaffUser {
  class BoundStaffUser extends StaffUser {}
  BoundStaffUser.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      practiceId: { type: DataTypes.UUID, allowNull: false },
      email: { type: DataTypes.TEXT, allowNull: false },
      firstName: { type: DataTypes.TEXT, allowNull: false },
      lastName: { type: DataTypes.TEXT, allowNull: false },
      role: { type: DataTypes.TEXT, allowNull: false },
      passwordHash: { type: DataTypes.TEXT, allowNull: false },
      timeZone: { type: DataTypes.TEXT },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      phone: { type: DataTypes.TEXT },
      bio: { type: DataTypes.TEXT },
      photoUrl: { type: DataTypes.TEXT },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    { sequelize, modelName: 'StaffUser', tableName: 'staff_users', underscored: true },
  );
  return BoundStaffUser;
}
