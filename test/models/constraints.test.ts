import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { useFreshDatabase } from '../support/database';
import { aPractice, aStaffUser, aClient, aService, anAppointment } from '../fixtures';

const at = (iso: string) => new Date(iso);

describe('database constraints', () => {
  const database = useFreshDatabase();

  describe('time holds (invariant 1)', () => {
    it('lets exactly one of 20 concurrent overlapping holds for one clinician commit', async () => {
      const practice = await aPractice(database.db);
      const clinician = await aStaffUser(database.db, practice);
      const attempts = Array.from({ length: 20 }, (_, i) =>
        // Each attempt overlaps every other: all start within the first 20 minutes of a 50-minute span.
        database.db.TimeHold.create({
          clinicianId: clinician.id,
          during: database.db.TimeHold.range(
            at(`2026-12-01T15:${String(i).padStart(2, '0')}:00Z`),
            at('2026-12-01T16:10:00Z'),
          ),
          kind: 'request',
        }),
      );
      const results = await Promise.allSettled(attempts);
      expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
      for (const r of results.filter((r) => r.status === 'rejected')) {
        expect(String((r as PromiseRejectedResult).reason.parent?.constraint)).to.equal(
          'time_holds_no_overlap',
        );
      }
      expect(await database.db.TimeHold.count({ where: { clinicianId: clinician.id } })).to.equal(1);
    });

    it('allows back-to-back holds and overlapping holds of different clinicians', async () => {
      const practice = await aPractice(database.db);
      const [a, b] = [await aStaffUser(database.db, practice), await aStaffUser(database.db, practice)];
      await database.db.TimeHold.create({
        clinicianId: a.id,
        during: database.db.TimeHold.range(at('2026-12-01T15:00:00Z'), at('2026-12-01T16:00:00Z')),
        kind: 'appointment',
      });
      await database.db.TimeHold.create({
        clinicianId: a.id,
        during: database.db.TimeHold.range(at('2026-12-01T16:00:00Z'), at('2026-12-01T17:00:00Z')),
        kind: 'request',
      });
      await database.db.TimeHold.create({
        clinicianId: b.id,
        during: database.db.TimeHold.range(at('2026-12-01T15:30:00Z'), at('2026-12-01T16:30:00Z')),
        kind: 'request',
      });
      expect(await database.db.TimeHold.count()).to.equal(3);
    });

    it('frees the time when a hold is released', async () => {
      const practice = await aPractice(database.db);
      const clinician = await aStaffUser(database.db, practice);
      const range = database.db.TimeHold.range(at('2026-12-01T15:00:00Z'), at('2026-12-01T16:00:00Z'));
      const first = await database.db.TimeHold.create({
        clinicianId: clinician.id,
        during: range,
        kind: 'request',
      });
      await first.destroy();
      await database.db.TimeHold.create({ clinicianId: clinician.id, during: range, kind: 'request' });
      expect(await database.db.TimeHold.count()).to.equal(1);
    });
  });

  describe('appointment requests', () => {
    it('refuses a pending request without a hold, and releasing the hold of a pending request', async () => {
      const practice = await aPractice(database.db);
      const clinician = await aStaffUser(database.db, practice);
      const service = await aService(database.db, practice);
      const client = await aClient(database.db, practice);
      const base = {
        practiceId: practice.id,
        clinicianId: clinician.id,
        serviceId: service.id,
        clientId: client.id,
        newClient: null,
        possibleDuplicateClientId: null,
        message: null,
        clientTimeZone: null,
        startsAt: at('2026-12-01T15:00:00Z'),
        endsAt: at('2026-12-01T15:50:00Z'),
        idempotencyKey: null,
      };
      let error: unknown = null;
      await database.db.AppointmentRequest.create({ ...base, holdId: null }).catch(
        (e: unknown) => (error = e),
      );
      expect(error, 'pending without hold').to.not.equal(null);
      const hold = await database.db.TimeHold.create({
        clinicianId: clinician.id,
        during: database.db.TimeHold.range(base.startsAt, base.endsAt),
        kind: 'request',
      });
      await database.db.AppointmentRequest.create({ ...base, holdId: hold.id });
      error = null;
      await hold.destroy().catch((e: unknown) => (error = e));
      expect(error, 'deleting a pending request hold').to.not.equal(null);
      expect(await database.db.TimeHold.count()).to.equal(1);
    });

    it('makes one request per idempotency key per practice, even when submitted concurrently', async () => {
      const practice = await aPractice(database.db);
      const clinician = await aStaffUser(database.db, practice);
      const service = await aService(database.db, practice);
      const client = await aClient(database.db, practice);
      const key = randomUUID();
      const attempts = Array.from({ length: 5 }, (_, i) =>
        database.db.sequelize.transaction(async (transaction) => {
          const startsAt = at(`2026-12-0${i + 1}T15:00:00Z`);
          const endsAt = at(`2026-12-0${i + 1}T15:50:00Z`);
          const hold = await database.db.TimeHold.create(
            {
              clinicianId: clinician.id,
              during: database.db.TimeHold.range(startsAt, endsAt),
              kind: 'request',
            },
            { transaction },
          );
          await database.db.AppointmentRequest.create(
            {
              practiceId: practice.id,
              clinicianId: clinician.id,
              serviceId: service.id,
              clientId: client.id,
              newClient: null,
              possibleDuplicateClientId: null,
              message: null,
              clientTimeZone: null,
              startsAt,
              endsAt,
              holdId: hold.id,
              idempotencyKey: key,
            },
            { transaction },
          );
        }),
      );
      const results = await Promise.allSettled(attempts);
      expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
      expect(await database.db.AppointmentRequest.count()).to.equal(1);
      expect(await database.db.TimeHold.count(), 'the losers rolled back their holds').to.equal(1);
    });
  });

  describe('appointment statuses and holds (migration 0012)', () => {
    it('keeps the hold of an attended appointment, frees it for every canceled word, and refuses unknown words', async () => {
      const practice = await aPractice(database.db);
      const clinician = await aStaffUser(database.db, practice);
      const service = await aService(database.db, practice);
      const client = await aClient(database.db, practice);
      const appointment = await anAppointment(database.db, {
        practice,
        clinician,
        client,
        service,
        startsAt: at('2026-12-01T15:00:00Z'),
      });
      const holdId = appointment.holdId;
      const refused = async (values: Record<string, unknown>) => {
        let error: unknown = null;
        await database.db.Appointment.update(values, { where: { id: appointment.id } }).catch(
          (e: unknown) => (error = e),
        );
        return error !== null;
      };
      expect(await refused({ status: 'show' }), 'show with its hold').to.equal(false);
      expect(await refused({ status: 'no_show' }), 'no_show with its hold').to.equal(false);
      expect(await refused({ status: 'no_show', holdId: null }), 'no_show without a hold').to.equal(true);
      expect(await refused({ status: 'attended' }), 'an unknown word').to.equal(true);
      expect(await refused({ status: 'clinician_canceled' }), 'canceled still holding').to.equal(true);
      expect(await refused({ status: 'clinician_canceled', holdId: null }), 'clinician_canceled').to.equal(
        false,
      );
      expect(await refused({ status: 'show', holdId }), 'show again').to.equal(false);
    });
  });

  describe('unique keys', () => {
    it('refuses a second practice with the same slug', async () => {
      const practice = await aPractice(database.db);
      let error: unknown = null;
      await aPractice(database.db, { slug: practice.slug }).catch((e: unknown) => (error = e));
      expect(error).to.not.equal(null);
      expect(await database.db.Practice.count()).to.equal(1);
    });

    it('refuses a slug that is not lower-case letters, digits and inner hyphens', async () => {
      for (const slug of ['Upper', '-lead', 'trail-', 'ab', 'with space']) {
        let error: unknown = null;
        await aPractice(database.db, { slug }).catch((e: unknown) => (error = e));
        expect(error, slug).to.not.equal(null);
      }
    });

    it('refuses two clients of one practice with the same email in any case, but not across practices', async () => {
      const [p1, p2] = [await aPractice(database.db), await aPractice(database.db)];
      await aClient(database.db, p1, { email: 'Jo.Doe@Example.test' });
      let error: unknown = null;
      await aClient(database.db, p1, { email: 'jo.doe@example.TEST' }).catch((e: unknown) => (error = e));
      expect(error).to.not.equal(null);
      await aClient(database.db, p2, { email: 'jo.doe@example.test' });
      expect(await database.db.Client.count()).to.equal(2);
    });
  });
});
