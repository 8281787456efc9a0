import { expect } from 'chai';
import {
  cancelAppointment,
  cancelationOptions,
  type CancelAppointmentInput,
} from '../../booking/cancelAppointment';
import { BookingError } from '../../booking/errors';
import {
  type Appointment,
  type CancellationPolicy,
  type Client,
  type Practice,
  type Service,
  type StaffUser,
} from '../../models';
import { useFreshDatabase } from '../support/database';
import { aClient, aClinician, aPractice, aService, anAppointment } from '../fixtures';

const HOUR = 3_600_000;
const STARTS = new Date('2026-06-10T14:00:00Z');
const NOW = new Date('2026-06-01T12:00:00Z');
const at = (ms: number) => new Date(STARTS.getTime() + ms);

describe('cancelAppointment (PostgreSQL)', () => {
  const database = useFreshDatabase();
  let practice: Practice;
  let clinician: StaffUser;
  let service: Service;
  let client: Client;

  beforeEach(async () => {
    practice = await aPractice(database.db, { cancellationPolicy: '24h' });
    clinician = await aClinician(database.db, practice);
    service = await aService(database.db, practice);
    client = await aClient(database.db, practice);
  });

  /** A scheduled appointment holding its time, booked under `policy`. */
  const booked = (policy: CancellationPolicy = '24h', startsAt = STARTS) =>
    anAppointment(database.db, {
      practice,
      clinician,
      client,
      service,
      startsAt,
      cancellationPolicy: policy,
    });

  const cancel = (appointment: Appointment, input: Partial<CancelAppointmentInput> & { requestedAt: Date }) =>
    cancelAppointment(database.db, { appointmentId: appointment.id, by: 'client', now: NOW, ...input });

  async function refusal(run: () => Promise<unknown>): Promise<BookingError> {
    try {
      await run();
    } catch (err) {
      if (err instanceof BookingError) return err;
      throw err;
    }
    throw new Error('expected a BookingError');
  }

  for (const [policy, hours] of [
    ['24h', 24],
    ['48h', 48],
    ['72h', 72],
  ] as const) {
    const cutoff = -hours * HOUR;
    for (const [label, offset, expected] of [
      ['1 s before the cutoff', -1000, 'canceled'],
      ['exactly at the cutoff', 0, 'canceled'],
      ['1 s after the cutoff', 1000, 'late_canceled'],
    ] as const) {
      it(`${policy}: asked ${label} is ${expected}; the time is free at once`, async () => {
        const appointment = await booked(policy);
        const holdId = appointment.holdId!;
        const requestedAt = at(cutoff + offset);
        // Processed much later than asked: only the moment asked counts.
        const now = at(-60_000);
        const result = await cancel(appointment, { requestedAt, now });
        expect(result).to.deep.equal({
          appointmentId: appointment.id,
          status: expected,
          canceledBy: 'client',
          requestedAt: requestedAt.toISOString(),
          canceledAt: now.toISOString(),
          changed: true,
        });
        await appointment.reload();
        expect(appointment).to.include({ status: expected, holdId: null, canceledBy: 'client' });
        expect(appointment.cancelRequestedAt!.toISOString()).to.equal(requestedAt.toISOString());
        expect(appointment.canceledAt!.toISOString()).to.equal(now.toISOString());
        expect(await database.db.TimeHold.findByPk(holdId)).to.equal(null);
      });
    }
  }

  it('the freed time can be held again (the exclusion constraint no longer sees it)', async () => {
    const appointment = await booked('24h');
    const hold = () =>
      database.db.TimeHold.create({
        clinicianId: clinician.id,
        during: database.db.TimeHold.range(STARTS, at(30 * 60_000)),
        kind: 'request',
      });
    let blocked = false;
    await hold().catch(() => {
      blocked = true;
    });
    expect(blocked, 'held while scheduled').to.equal(true);
    await cancel(appointment, { requestedAt: at(-48 * HOUR) });
    expect((await hold()).id).to.be.a('string');
  });

  it('phone_call: a client is refused with CANCEL_BY_PHONE_ONLY and nothing changes', async () => {
    const appointment = await booked('phone_call');
    const err = await refusal(() => cancel(appointment, { requestedAt: at(-100 * HOUR) }));
    expect(err.code).to.equal('CANCEL_BY_PHONE_ONLY');
    await appointment.reload();
    expect(appointment).to.include({ status: 'scheduled', canceledAt: null, cancelRequestedAt: null });
    expect(await database.db.TimeHold.findByPk(appointment.holdId!)).to.not.equal(null);
    expect(await database.db.AuditEntry.count()).to.equal(0);
  });

  it("phone_call: the cancelation step tells the client the practice's number, as the API's precheck does", async () => {
    const appointment = await booked('phone_call');
    const err = await refusal(() => cancel(appointment, { requestedAt: at(-100 * HOUR) }));
    expect(err.message).to.equal(
      "This appointment can't be canceled online; to cancel, please call +1 555 0199.",
    );
    expect(err.extra).to.deep.equal({ phone: '+1 555 0199' });
  });

  it('phone_call: the practice can still cancel, with the status it chooses', async () => {
    const appointment = await booked('phone_call');
    const result = await cancel(appointment, {
      by: 'staff',
      status: 'late_canceled',
      reason: 'Called in sick at 8am',
      actorId: clinician.id,
      requestedAt: at(-2 * HOUR),
    });
    expect(result).to.include({ status: 'late_canceled', canceledBy: 'staff' });
    await appointment.reload();
    expect(appointment.cancelReason).to.equal('Called in sick at 8am');
    const audit = await database.db.AuditEntry.findOne({ where: { entityId: appointment.id } });
    expect(audit).to.include({ action: 'appointment.cancel', actorType: 'staff', actorId: clinician.id });
  });

  it('a policy changed on the practice after booking does not apply: the booked one does', async () => {
    const appointment = await booked('72h');
    await practice.update({ cancellationPolicy: '24h' });
    // 48 hours ahead: free under the practice's new 24h policy, late under the booked 72h one.
    const result = await cancel(appointment, { requestedAt: at(-48 * HOUR) });
    expect(result.status).to.equal('late_canceled');
  });

  it('cancelling twice answers with the first result and changes nothing', async () => {
    const appointment = await booked('24h');
    const first = await cancel(appointment, { requestedAt: at(-30 * HOUR) });
    const second = await cancel(appointment, { requestedAt: at(-HOUR), now: at(-HOUR) });
    expect(second).to.deep.equal({ ...first, changed: false });
    const staffTry = await cancel(appointment, {
      by: 'staff',
      status: 'late_canceled',
      requestedAt: at(-HOUR),
    });
    expect(staffTry).to.deep.equal({ ...first, changed: false });
    expect((await database.db.Appointment.findByPk(appointment.id))!.status).to.equal('canceled');
    expect(await database.db.AuditEntry.count()).to.equal(1);
  });

  it('an appointment that has started, or does not exist, is refused', async () => {
    const appointment = await booked('24h');
    expect((await refusal(() => cancel(appointment, { requestedAt: STARTS }))).code).to.equal(
      'APPOINTMENT_NOT_CANCELABLE',
    );
    expect(
      (
        await refusal(() =>
          cancelAppointment(database.db, {
            appointmentId: '00000000-0000-4000-8000-000000000000',
            by: 'client',
            requestedAt: NOW,
            now: NOW,
          }),
        )
      ).code,
    ).to.equal('APPOINTMENT_NOT_FOUND');
    expect((await database.db.Appointment.findByPk(appointment.id))!.status).to.equal('scheduled');
  });
});

describe('cancelationOptions (what canceling would mean now)', () => {
  const scheduled = (policy: CancellationPolicy) => ({
    status: 'scheduled' as const,
    startsAt: STARTS,
    cancellationPolicy: policy,
  });

  it('before the cutoff: cancelable online, free until the cutoff', () => {
    expect(cancelationOptions(scheduled('48h'), at(-49 * HOUR))).to.deep.equal({
      canCancelOnline: true,
      freeCancelationUntil: at(-48 * HOUR),
      cancelNowAs: 'canceled',
      byPhoneOnly: false,
    });
  });

  it('after the cutoff: still cancelable online, as a late cancelation', () => {
    expect(cancelationOptions(scheduled('24h'), at(-HOUR))).to.include({
      canCancelOnline: true,
      cancelNowAs: 'late_canceled',
    });
  });

  it('phone_call: by phone only', () => {
    expect(cancelationOptions(scheduled('phone_call'), NOW)).to.deep.equal({
      canCancelOnline: false,
      freeCancelationUntil: null,
      cancelNowAs: null,
      byPhoneOnly: true,
    });
  });

  it('started or already canceled: nothing to offer', () => {
    for (const options of [
      cancelationOptions(scheduled('24h'), STARTS),
      cancelationOptions({ ...scheduled('24h'), status: 'canceled' }, NOW),
      cancelationOptions({ ...scheduled('phone_call'), status: 'late_canceled' }, NOW),
    ]) {
      expect(options).to.deep.equal({
        canCancelOnline: false,
        freeCancelationUntil: null,
        cancelNowAs: null,
        byPhoneOnly: false,
      });
    }
  });
});
