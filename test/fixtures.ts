import { randomUUID } from 'node:crypto';
import {
  type Practice,
  type StaffUser,
  type Service,
  type Client,
  type BookingPreferences,
  type AvailabilityRule,
  type Appointment,
  type CancellationPolicy,
  type StaffRole,
  type Store,
} from '../models';

const unique = () => randomUUID().slice(0, 8);

/** A practice with its portal on; slug unique per call. Every builder writes through the store it is given. */
export function aPractice(
  db: Store,
  overrides: Partial<Practice['_creationAttributes']> = {},
): Promise<Practice> {
  return db.Practice.create({
    name: 'Riverside Therapy',
    slug: `riverside-${unique()}`,
    timeZone: 'America/New_York',
    phone: '+1 555 0199',
    portalEnabled: true,
    allowNewClients: true,
    cancellationPolicy: '24h',
    ...overrides,
  });
}

// A fixed, pre-computed argon2id hash of 'correct horse battery' keeps fixtures fast; login tests hash for real.
export const fixturePassword = 'correct horse battery';
const fixturePasswordHash =
  '$argon2id$v=19$m=19456,t=2,p=1$9LiQUBb50sSFy3rU3k48dQ$WhJTd/qOgmcmAk7v2h0gLYdLw3g85nfaEZzRNTNGVeA';

/** A staff user of the practice; role clinician unless told. */
export function aStaffUser(
  db: Store,
  practice: Practice,
  overrides: Partial<StaffUser['_creationAttributes']> & { role?: StaffRole } = {},
): Promise<StaffUser> {
  const id = unique();
  return db.StaffUser.create({
    practiceId: practice.id,
    email: `staff-${id}@example.test`,
    firstName: 'Sam',
    lastName: `Staff ${id}`,
    role: 'clinician',
    passwordHash: fixturePasswordHash,
    timeZone: null,
    ...overrides,
  });
}

/** A clinician with booking preferences and, unless told otherwise, a weekday 09:00-17:00 availability rule. */
export async function aClinician(
  db: Store,
  practice: Practice,
  opts: {
    preferences?: Partial<BookingPreferences['_creationAttributes']>;
    rules?: Partial<AvailabilityRule['_creationAttributes']>[];
    role?: StaffRole;
  } = {},
): Promise<StaffUser> {
  const user = await aStaffUser(db, practice, { role: opts.role ?? 'clinician' });
  await db.BookingPreferences.create({
    clinicianId: user.id,
    initialConsultationServiceId: null,
    ...opts.preferences,
  });
  for (const rule of opts.rules ?? [{}]) {
    await db.AvailabilityRule.create({
      clinicianId: user.id,
      rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
      startDate: '2026-01-01',
      until: null,
      startTime: '09:00',
      endTime: '17:00',
      timeZone: practice.timeZone,
      ...rule,
    });
  }
  return user;
}

/** A service of the practice, 50 minutes and bookable online unless told. */
export function aService(
  db: Store,
  practice: Practice,
  overrides: Partial<Service['_creationAttributes']> = {},
): Promise<Service> {
  return db.Service.create({
    practiceId: practice.id,
    name: `Therapy session ${unique()}`,
    durationMinutes: 50,
    bookableOnline: true,
    ...overrides,
  });
}

/** An existing client of the practice with a unique email. */
export function aClient(
  db: Store,
  practice: Practice,
  overrides: Partial<Client['_creationAttributes']> = {},
): Promise<Client> {
  const id = unique();
  return db.Client.create({
    practiceId: practice.id,
    firstName: 'Casey',
    lastName: `Client ${id}`,
    email: `client-${id}@example.test`,
    phone: '+1 555 0142',
    timeZone: null,
    ...overrides,
  });
}

/** A scheduled appointment with its time hold, as an approval leaves it; the practice's policy unless told. */
export async function anAppointment(
  db: Store,
  opts: {
    practice: Practice;
    clinician: StaffUser;
    client: Client;
    service: Service;
    startsAt: Date;
    cancellationPolicy?: CancellationPolicy;
  },
): Promise<Appointment> {
  const endsAt = new Date(opts.startsAt.getTime() + opts.service.durationMinutes * 60_000);
  const hold = await db.TimeHold.create({
    clinicianId: opts.clinician.id,
    during: db.TimeHold.range(opts.startsAt, endsAt),
    kind: 'appointment',
  });
  return db.Appointment.create({
    practiceId: opts.practice.id,
    clinicianId: opts.clinician.id,
    serviceId: opts.service.id,
    clientId: opts.client.id,
    requestId: null,
    startsAt: opts.startsAt,
    endsAt,
    cancellationPolicy: opts.cancellationPolicy ?? opts.practice.cancellationPolicy,
    holdId: hold.id,
  });
}

/**
 * A practice whose clinician takes new clients for a 30-minute initial consultation, on a 30-minute grid with 24
 * hours' notice: the setup every request test starts from.
 */
export async function aConsultingClinician(db: Store) {
  const practice = await aPractice(db);
  const consultation = await aService(db, practice, { name: 'Initial consultation', durationMinutes: 30 });
  const clinician = await aClinician(db, practice, {
    preferences: {
      initialConsultationServiceId: consultation.id,
      startTimeIntervalMinutes: 30,
      minimumNoticeHours: 24,
    },
  });
  return { practice, consultation, clinician };
}
