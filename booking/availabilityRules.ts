import type { AvailabilityRule } from '../models/availabilityRule';
import type { Store } from '../models/store';
import { recordStaffChange, type StaffActor } from './audit';
import { toRule } from './views';

/** A checked rule as it is stored: 'HH:mm' times, its zone resolved. */
export interface RuleValues {
  rrule: string;
  startDate: string;
  until: string | null;
  startTime: string;
  endTime: string;
  timeZone: string;
}

/** A clinician's recurring availability, oldest first. */
export function rulesOf(db: Store, clinicianId: string): Promise<AvailabilityRule[]> {
  return db.AvailabilityRule.findAll({ where: { clinicianId }, order: [['createdAt', 'ASC']] });
}

/** Adds a rule, with its audit entry. */
export function addRule(db: Store, actor: StaffActor, clinicianId: string, rule: RuleValues) {
  return db.sequelize.transaction(async (transaction) => {
    const row = await db.AvailabilityRule.create({ clinicianId, ...rule }, { transaction });
    await recordStaffChange(db, transaction, actor, {
      action: 'availability_rule.create',
      entity: 'availability_rule',
      entityId: row.id,
      oldValue: null,
      newValue: rule,
    });
    return row;
  });
}

/** Replaces one of the clinician's rules, with its audit entry; null when there is no such rule. */
export function replaceRule(
  db: Store,
  actor: StaffActor,
  where: { id: string; clinicianId: string },
  rule: RuleValues,
): Promise<AvailabilityRule | null> {
  return db.sequelize.transaction(async (transaction) => {
    const row = await db.AvailabilityRule.findOne({ where, transaction, lock: transaction.LOCK.UPDATE });
    if (!row) return null;
    const { id: _id, summary: _s, ...before } = toRule(row);
    await row.update(rule, { transaction });
    await recordStaffChange(db, transaction, actor, {
      action: 'availability_rule.update',
      entity: 'availability_rule',
      entityId: row.id,
      oldValue: before,
      newValue: rule,
    });
    return row;
  });
}

/** Deletes one of the clinician's rules, with its audit entry; false when there is no such rule. */
export function deleteRule(db: Store, actor: StaffActor, where: { id: string; clinicianId: string }) {
  return db.sequelize.transaction(async (transaction) => {
    const row = await db.AvailabilityRule.findOne({ where, transaction });
    if (!row) return false;
    await row.destroy({ transaction });
    await recordStaffChange(db, transaction, actor, {
      action: 'availability_rule.delete',
      entity: 'availability_rule',
      entityId: row.id,
      oldValue: toRule(row),
      newValue: null,
    });
    return true;
  });
}
