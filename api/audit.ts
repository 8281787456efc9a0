import type { Transaction } from 'sequelize';

import type { StaffPrincipal } from './auth/principal';
import type { Store } from '../models/store';

/** Records a staff user's change in the caller's transaction: nothing changes without its audit entry. */
export function auditStaffChange(
  db: Store,
  transaction: Transaction,
  staff: StaffPrincipal,
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
