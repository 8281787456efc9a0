import type { Transaction } from 'sequelize';
import { defaultBookingPreferences } from '../models/bookingPreferences';
import type { Store } from '../models/store';
import { changedFields, recordStaffChange, type StaffActor } from './audit';

/** A clinician's online-booking preferences as plain values. */
export type PreferenceValues = {
  onlineBookingEnabled: boolean;
  initialConsultationServiceId: string | null;
  startTimeIntervalMinutes: number;
  minimumNoticeHours: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
};

/** A clinician's booking preferences, the README's defaults when none are saved. */
export async function preferencesOf(
  db: Store,
  clinicianId: string,
  transaction?: Transaction,
): Promise<PreferenceValues> {
  const p = await db.BookingPreferences.findByPk(clinicianId, { transaction });
  if (!p) return { ...defaultBookingPreferences };
  return {
    onlineBookingEnabled: p.onlineBookingEnabled,
    initialConsultationServiceId: p.initialConsultationServiceId,
    startTimeIntervalMinutes: p.startTimeIntervalMinutes,
    minimumNoticeHours: p.minimumNoticeHours,
    bufferBeforeMinutes: p.bufferBeforeMinutes,
    bufferAfterMinutes: p.bufferAfterMinutes,
  };
}

/** Saves the preferences given over the current ones, with the changed fields in the audit log; returns them. */
export function savePreferences(
  db: Store,
  actor: StaffActor,
  clinicianId: string,
  values: Partial<PreferenceValues>,
): Promise<PreferenceValues> {
  return db.sequelize.transaction(async (transaction) => {
    const before = await preferencesOf(db, clinicianId, transaction);
    const next = { ...before, ...values };
    const diff = changedFields(before, next);
    if (!diff) return before;
    await db.BookingPreferences.upsert({ clinicianId, ...next }, { transaction });
    await recordStaffChange(db, transaction, actor, {
      action: 'booking_preferences.update',
      entity: 'clinician',
      entityId: clinicianId,
      ...diff,
    });
    return next;
  });
}
