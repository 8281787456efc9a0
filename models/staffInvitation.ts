import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { StaffRole } from './staffUser';

/** An emailed invitation to join a practice's staff with a role; open until accepted, revoked or expired. */
class StaffInvitation extends Model<
  InferAttributes<StaffInvitation>,
  InferCreationAttributes<StaffInvitation>
> {
  declare id: CreationOptional<string>;
  declare practiceId: string;
  declare email: string;
  declare firstName: string;
  declare lastName: string;
  declare role: StaffRole;
  /** sha256 of the link's token; the token itself is never stored. */
  declare tokenHash: string;
  declare invitedBy: string | null;
  declare createdAt: Date;
  declare expiresAt: Date;
  declare remindedAt: CreationOptional<Date | null>;
  declare acceptedAt: CreationOptional<Date | null>;
  declare acceptedUserId: CreationOptional<string | null>;
  declare revokedAt: CreationOptional<Date | null>;
  declare expiredAt: CreationOptional<Date | null>;
}
export type { StaffInvitation };

/** StaffInvitation bound to one database: a class of its own per call, so no other database can re-bind it. */
export function defineStaffInvitation(sequelize: Sequelize): typeof StaffInvitation {
  class BoundStaffInvitation extends StaffInvitation {}
  BoundStaffInvitation.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      practiceId: { type: DataTypes.UUID, allowNull: false },
      email: { type: DataTypes.TEXT, allowNull: false },
      firstName: { type: DataTypes.TEXT, allowNull: false },
      lastName: { type: DataTypes.TEXT, allowNull: false },
      role: { type: DataTypes.TEXT, allowNull: false },
      tokenHash: { type: DataTypes.TEXT, allowNull: false },
      invitedBy: { type: DataTypes.UUID },
      createdAt: { type: DataTypes.DATE, allowNull: false },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      remindedAt: { type: DataTypes.DATE },
      acceptedAt: { type: DataTypes.DATE },
      acceptedUserId: { type: DataTypes.UUID },
      revokedAt: { type: DataTypes.DATE },
      expiredAt: { type: DataTypes.DATE },
    },
    // Times come from the injected clock, never from Sequelize's.
    {
      sequelize,
      modelName: 'StaffInvitation',
      tableName: 'staff_invitations',
      underscored: true,
      timestamps: false,
    },
  );
  return BoundStaffInvitation;
}
