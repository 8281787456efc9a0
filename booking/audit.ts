import type { Transaction } from 'sequelize';
import type { Store } from '../models/store';

/** Who made a staff change: the signed-in staff user (api/auth/principal.ts StaffPrincipal has these). */
export interface StaffActor {
  id: string;
  practiceId: string;
}

/** Records a staff user's change in the caller's transaction: nothing changes without its audit entry. */
export function recordStaffChange(
  db: Store,
  transaction: Transaction,
  staff: StaffActor,
  change: { action: string; entity: string; entityId: string; oldValue: unknown; newValue: unknown },
): Promise<void> {
  return db.AuditEntry.record(
    { practiceId: staff.practiceId, actorType: 'staff', actorId: staff.id, ...change },
    transaction,
  );
}

/** The fields of after whose values differ from before, as {old, new} snapshots of just those fields. */
export function changedFields<T extends Record<string, unknown>>(
  before: T,
  after: Partial<T>,
): { oldValue: Partial<T>; newValue: Partial<T> } | null {
  const oldValue: Partial<T> = {};
  const newValue: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (after[key] === undefined || JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    oldValue[key] = before[key];
    newValue[key] = after[key];
  }
  return Object.keys(newValue).length ? { oldValue, newValue } : null;
}

/** values without its undefined entries, so an update touches only the fields given. */
export function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
