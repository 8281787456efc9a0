import { DateTime } from 'luxon';
import { hashPassword } from '../lib/passwords';
import type { Store } from './store';

/** The demo accounts, printed at start so a developer can sign in. */
export const demoAccounts = [
  { email: 'admin@demo.test', role: 'admin_clinician', firstName: 'Ada', lastName: 'Admin' },
  { email: 'clinician@demo.test', role: 'clinician', firstName: 'Cal', lastName: 'Clinician' },
  { email: 'manager@demo.test', role: 'practice_manager', firstName: 'Mia', lastName: 'Manager' },
] as const;

/**
 * The demo clients, each seen once by Cal Clinician a week before the first start: a clinician books and finds the
 * clients they see, so without them the calendar's "Book" has nobody to offer. Their emails land in the outbox,
 * so a developer signs in to the portal as them with the emailed code.
 */
export const demoClients = [
  { firstName: 'Jamie', lastName: 'Rivera', email: 'jamie.rivera@demo.test', phone: '+1 555 0101' },
  { firstName: 'Sam', lastName: 'Okafor', email: 'sam.okafor@demo.test', phone: '+1 555 0102' },
] as const;

const SEED_ACTION = 'seed.demo';

/**
 * Seeds the demo practice once per database: a marker in the audit log (not the slug, which an admin may
 * change) records that it ran, so a restart never re-creates what a developer deleted or renamed.
 */
export async function seedDemoPractice(
  db: Store,
  // requestLifetimeHours: REQUEST_LIFETIME_HOURS, the lifetime a practice starts with (it keeps its own after).
  opts: { password: string; today: string; requestLifetimeHours: number },
): Promise<boolean> {
  const passwordHash = await hashPassword(opts.password);
  return db.sequelize.transaction(async (transaction) => {
    // Two processes starting at once must not both seed.
    await db.sequelize.query("SELECT pg_advisory_xact_lock(hashtext('seed.demo'))", { transaction });
    if (await db.AuditEntry.findOne({ where: { action: SEED_ACTION }, transaction })) return false;
    const practice = await db.Practice.create(
      {
        name: 'Demo Practice',
        slug: 'demo',
        timeZone: 'America/New_York',
        phone: '+1 555 0100',
        portalEnabled: true,
        allowNewClients: true,
        cancellationPolicy: '24h',
        requestLifetimeHours: opts.requestLifetimeHours,
      },
      { transaction },
    );
    const [consultation, therapy] = await db.Service.bulkCreate(
      [
        { practiceId: practice.id, name: 'Initial consultation', durationMinutes: 30, bookableOnline: true },
        { practiceId: practice.id, name: 'Individual therapy', durationMinutes: 50, bookableOnline: true },
        { practiceId: practice.id, name: 'Couples therapy', durationMinutes: 80, bookableOnline: true },
        {
          practiceId: practice.id,
          name: 'Psychological assessment',
          durationMinutes: 120,
          bookableOnline: false,
        },
      ],
      { transaction, returning: true },
    );
    const staff: Record<string, string> = {};
    for (const account of demoAccounts) {
      const user = await db.StaffUser.create(
        { ...account, practiceId: practice.id, passwordHash, timeZone: null },
        { transaction },
      );
      staff[account.role] = user.id;
      if (account.role === 'practice_manager') continue;
      await db.BookingPreferences.create(
        {
          clinicianId: user.id,
          initialConsultationServiceId: consultation.id,
          startTimeIntervalMinutes: 30,
          minimumNoticeHours: 24,
          bufferBeforeMinutes: 0,
          bufferAfterMinutes: 10,
        },
        { transaction },
      );
      await db.AvailabilityRule.create(
        {
          clinicianId: user.id,
          rrule:
            account.role === 'clinician' ? 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR' : 'FREQ=WEEKLY;BYDAY=MO,WE,FR',
          startDate: opts.today,
          until: null,
          startTime: account.role === 'clinician' ? '09:00' : '10:00',
          endTime: account.role === 'clinician' ? '17:00' : '16:00',
          timeZone: practice.timeZone,
        },
        { transaction },
      );
    }
    for (const [i, person] of demoClients.entries()) {
      const client = await db.Client.create(
        { ...person, practiceId: practice.id, portalSignIn: true },
        { transaction },
      );
      const startsAt = DateTime.fromISO(opts.today, { zone: practice.timeZone })
        .minus({ days: 7 })
        .set({ hour: 10 + i })
        .toJSDate();
      const endsAt = new Date(startsAt.getTime() + therapy.durationMinutes * 60_000);
      const hold = await db.TimeHold.create(
        { clinicianId: staff.clinician, during: db.TimeHold.range(startsAt, endsAt), kind: 'appointment' },
        { transaction },
      );
      await db.Appointment.create(
        {
          practiceId: practice.id,
          clinicianId: staff.clinician,
          serviceId: therapy.id,
          clientId: client.id,
          requestId: null,
          startsAt,
          endsAt,
          cancellationPolicy: practice.cancellationPolicy,
          holdId: hold.id,
          status: 'show',
        },
        { transaction },
      );
    }
    await db.AuditEntry.record(
      {
        practiceId: practice.id,
        actorType: 'system',
        actorId: null,
        action: SEED_ACTION,
        entity: 'practice',
        entityId: practice.id,
        oldValue: null,
        newValue: { slug: practice.slug, services: [consultation.name, therapy.name] },
      },
      transaction,
    );
    return true;
  });
}
