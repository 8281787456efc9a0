import { changedFields, definedOnly, recordStaffChange, type StaffActor } from './audit';
import type { StaffUser } from '../models/staffUser';
import type { Store } from '../models/store';

/** What a staff user's profile page changes; null clears a field (the practice's phone and zone then apply). */
export interface StaffProfileChanges {
  firstName?: string;
  lastName?: string;
  timeZone?: string | null;
  phone?: string | null;
  bio?: string | null;
  photoUrl?: string | null;
}

/** The number a clinician's clients are told to call: the clinician's own when set, else the practice's. */
export function contactPhone(
  clinician: { phone?: string | null } | null | undefined,
  practice: { phone: string | null },
): string | null {
  return clinician?.phone ?? practice.phone;
}

/**
 * Changes a staff user's profile and records who changed which fields from what to what, in one transaction.
 * Null when the user is not in the actor's practice (the caller answers 404); an unchanged profile writes nothing.
 */
export async function updateStaffProfile(
  db: Store,
  actor: StaffActor,
  userId: string,
  changes: StaffProfileChanges,
): Promise<StaffUser | null> {
  return db.sequelize.transaction(async (transaction) => {
    const user = await db.StaffUser.findOne({
      where: { id: userId, practiceId: actor.practiceId },
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    if (!user) return null;
    const before = {
      firstName: user.firstName,
      lastName: user.lastName,
      timeZone: user.timeZone,
      phone: user.phone ?? null,
      bio: user.bio ?? null,
      photoUrl: user.photoUrl ?? null,
    };
    const diff = changedFields(before, definedOnly({ ...changes }));
    if (!diff) return user;
    await user.update(diff.newValue, { transaction });
    await recordStaffChange(db, transaction, actor, {
      action: 'staff.profile.update',
      entity: 'staff_user',
      entityId: user.id,
      oldValue: diff.oldValue,
      newValue: diff.newValue,
    });
    return user;
  });
}
