import { Op } from 'sequelize';
import type { Store } from '../models/store';
import type { TimeOff } from '../models/timeOff';
import { recordStaffChange, type StaffActor } from './audit';
import { toTimeOff } from './views';

/** A clinician's time off by start, only what overlaps [from, to) when given. */
export function timeOffOf(db: Store, clinicianId: string, range: { from?: Date; to?: Date } = {}) {
  const where: Record<string | symbol, unknown> = { clinicianId };
  if (range.to) where.startsAt = { [Op.lt]: range.to };
  if (range.from) where.endsAt = { [Op.gt]: range.from };
  return db.TimeOff.findAll({ where, order: [['startsAt', 'ASC']] });
}

/** Blocks an interval, with its audit entry. */
export function addTimeOff(
  db: Store,
  actor: StaffActor,
  entry: { clinicianId: string; startsAt: Date; endsAt: Date; reason: string | null },
): Promise<TimeOff> {
  return db.sequelize.transaction(async (transaction) => {
    const row = await db.TimeOff.create(entry, { transaction });
    await recordStaffChange(db, transaction, actor, {
      action: 'time_off.create',
      entity: 'time_off',
      entityId: row.id,
      oldValue: null,
      newValue: toTimeOff(row),
    });
    return row;
  });
}

/** Removes one of the clinician's time off entries, with its audit entry; false when there is no such entry. */
export function removeTimeOff(db: Store, actor: StaffActor, where: { id: string; clinicianId: string }) {
  return db.sequelize.transaction(async (transaction) => {
    const row = await db.TimeOff.findOne({ where, transaction });
    if (!row) return false;
    await row.destroy({ transaction });
    await recordStaffChange(db, transaction, actor, {
      action: 'time_off.delete',
      entity: 'time_off',
      entityId: row.id,
      oldValue: toTimeOff(row),
      newValue: null,
    });
    return true;
  });
}
