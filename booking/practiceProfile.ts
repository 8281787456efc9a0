import type { Practice } from '../models/practice';
import type { Store } from '../models/store';
import { changedFields, definedOnly, recordStaffChange, type StaffActor } from './audit';
import { toPracticeProfile } from './views';

export type PracticeProfile = Pick<Practice, 'name' | 'timeZone' | 'phone' | 'requestLifetimeHours'>;

/** Changes the practice's details and records what changed, in one transaction; no change writes nothing. */
export async function updatePracticeProfile(
  db: Store,
  staff: StaffActor,
  changes: Partial<PracticeProfile>,
): Promise<Practice> {
  return db.sequelize.transaction(async (transaction) => {
    const practice = await db.Practice.findByPk(staff.practiceId, {
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    // A live staff session always belongs to a practice that exists.
    if (!practice) throw new Error(`practice ${staff.practiceId} of a signed-in user is missing`);
    const diff = changedFields(toPracticeProfile(practice), changes);
    if (!diff) return practice;
    await practice.update(definedOnly(diff.newValue), { transaction });
    await recordStaffChange(db, transaction, staff, {
      action: 'practice.update',
      entity: 'practice',
      entityId: practice.id,
      ...diff,
    });
    return practice;
  });
}
