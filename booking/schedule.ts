import { Op, type Sequelize, type Transaction } from 'sequelize';
import { QueryTypes } from 'sequelize';
import { AvailabilityRule } from '../models/availabilityRule';
import { TimeOff } from '../models/timeOff';
import { BookingPreferences, defaultBookingPreferences } from '../models/bookingPreferences';
import type { SlotQuery, Interval } from '../scheduling';

const DAY_MS = 86_400_000;

/** Which holds count as busy: listing and submitting respect pending requests too; approving only appointments. */
export type BusyKinds = 'requests-and-appointments' | 'appointments';

/**
 * Everything the slot engine needs for one clinician, service duration and range, read in one place so the
 * availability list, request submission and approval all judge a slot from the same data.
 */
export async function loadSlotQuery(
  db: Sequelize,
  opts: {
    clinicianId: string;
    durationMinutes: number;
    from: Date;
    to: Date;
    now: Date;
    timeZone: string;
    busy?: BusyKinds;
    excludeHoldId?: string;
    transaction?: Transaction;
  },
): Promise<SlotQuery> {
  const { clinicianId, transaction } = opts;
  const prefsRow = await BookingPreferences.findByPk(clinicianId, { transaction });
  const preferences = prefsRow ?? defaultBookingPreferences;
  // Busy intervals just outside the range still push slots inside it away by their buffers.
  const pad =
    (preferences.bufferBeforeMinutes + preferences.bufferAfterMinutes + opts.durationMinutes) * 60_000;
  // One after another: inside a transaction they share one connection.
  const rules = await AvailabilityRule.findAll({ where: { clinicianId }, transaction });
  const timeOff = await TimeOff.findAll({
    where: {
      clinicianId,
      startsAt: { [Op.lt]: new Date(opts.to.getTime() + DAY_MS) },
      endsAt: { [Op.gt]: new Date(opts.from.getTime() - DAY_MS) },
    },
    transaction,
  });
  const holds = await db.query<{ start: Date; end: Date }>(
    `SELECT lower(during) AS start, upper(during) AS "end" FROM time_holds
        WHERE clinician_id = :clinicianId AND during && tstzrange(:from, :to)
          ${opts.busy === 'appointments' ? "AND kind = 'appointment'" : ''}
          ${opts.excludeHoldId ? 'AND id <> :excludeHoldId' : ''}`,
    {
      replacements: {
        clinicianId,
        from: new Date(opts.from.getTime() - pad),
        to: new Date(opts.to.getTime() + pad),
        excludeHoldId: opts.excludeHoldId ?? null,
      },
      type: QueryTypes.SELECT,
      transaction,
    },
  );
  return {
    rules: rules.map((r) => ({
      rrule: r.rrule,
      startDate: r.startDate,
      until: r.until,
      startTime: r.startTime.slice(0, 5),
      endTime: r.endTime.slice(0, 5),
      timeZone: r.timeZone,
    })),
    timeOff: timeOff.map((t): Interval => ({ start: t.startsAt, end: t.endsAt })),
    busy: holds.map((h): Interval => ({ start: new Date(h.start), end: new Date(h.end) })),
    preferences: {
      startTimeIntervalMinutes: preferences.startTimeIntervalMinutes,
      minimumNoticeHours: preferences.minimumNoticeHours,
      bufferBeforeMinutes: preferences.bufferBeforeMinutes,
      bufferAfterMinutes: preferences.bufferAfterMinutes,
    },
    durationMinutes: opts.durationMinutes,
    from: opts.from,
    to: opts.to,
    now: opts.now,
    timeZone: opts.timeZone,
  };
}

/** Serialises every slot decision for one clinician (submit, approve) until the transaction ends. */
export async function lockClinicianSchedule(
  db: Sequelize,
  clinicianId: string,
  transaction: Transaction,
): Promise<void> {
  await db.query('SELECT id FROM staff_users WHERE id = :clinicianId FOR UPDATE', {
    replacements: { clinicianId },
    transaction,
  });
}
