import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { ApplicationFailure, type WorkflowHandle } from '@temporalio/client';
import { submitRequest } from '../../booking/submitRequest';
import { issueEmailVerification } from '../../booking/emailVerification';
import { decideRequest, requestWorkflowId, startRequestWorkflow } from '../../temporal/requests';
import { getStatusQuery } from '../../workflows/appointmentRequest';
import type { Practice, Service, StaffUser } from '../../models';
import { useWorkflowTestbed } from '../support/workflowTestbed';
import { historyCost } from '../support/historyCost';
import { recordedHistories } from './replayHistories';
import { aClinician, aPractice, aService } from '../fixtures';
import { createActivities } from '../../activities';
import { fixedClock } from '../../lib/clock';
import { createLogger } from '../../lib/logger';
import { createOutboxMailer } from '../../emails/mailer';

const NOW = '2026-06-01T12:00:00Z'; // a Monday
const SLOT = new Date('2026-06-10T14:00:00Z'); // Wednesday 10:00 in New York, inside the fixture's hours

/**
 * What one request costs Temporal from submission to "pending with both notices sent", counted on its history
 * (test/support/historyCost.ts), against the histories recorded with the code before LOCAL_STEPS_PATCH.
 */
describe('appointmentRequestWorkflow: the cost of a new request (time-skipping)', function () {
  this.timeout(120_000);
  const tb = useWorkflowTestbed();
  let practice: Practice;
  let clinician: StaffUser;
  let consultation: Service;

  beforeEach(async () => {
    practice = await aPractice(tb.db);
    consultation = await aService(tb.db, practice, { durationMinutes: 30 });
    clinician = await aClinician(tb.db, practice, {
      preferences: {
        initialConsultationServiceId: consultation.id,
        startTimeIntervalMinutes: 30,
        minimumNoticeHours: 24,
      },
    });
  });

  /** A verified new client's request, as the portal submits it; `beforeCommit` runs after the workflow start. */
  async function submit(beforeCommit?: (requestId: string) => Promise<void>) {
    const email = `robin.${Math.random().toString(36).slice(2, 8)}@example.test`;
    const verification = await issueEmailVerification(tb.db, {
      practiceId: practice.id,
      email,
      now: new Date(NOW),
    });
    const { request } = await submitRequest(
      tb.db,
      {
        practice,
        clinicianId: clinician.id,
        serviceId: consultation.id,
        startsAt: SLOT,
        requester: {
          newClient: { firstName: 'Robin', lastName: 'Reyes', email, phone: '+1 555 0123' },
          emailVerificationCode: tb.codes.codeFor('email-verification', verification),
        },
        now: new Date(NOW),
        codes: tb.codes,
      },
      async (input) => {
        await startRequestWorkflow(tb.env.client, tb.taskQueue, input);
        await beforeCommit?.(input.requestId);
      },
    );
    return { request, handle: tb.env.client.workflow.getHandle(requestWorkflowId(request.id)) };
  }

  /** Resolves once a session waits on the clinician row's lock (the first step's FOR KEY SHARE). */
  async function lockWaitedOn() {
    for (;;) {
      const [{ n }] = await tb.db.sequelize.query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FOR KEY SHARE%'",
        { type: QueryTypes.SELECT },
      );
      if (Number(n) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Pending with its notices done: the workflow has started the timer it waits on for a decision. */
  async function waiting(handle: WorkflowHandle) {
    for (;;) {
      const history = await handle.fetchHistory();
      if (history.events?.some((e) => e.timerStartedEventAttributes)) return history;
      await tb.env.sleep('1 second');
    }
  }

  it('reaches pending with both notices sent in 2 workflow tasks and 1 activity task, fewer than before the patch', async function () {
    const worker = await tb.worker(NOW);
    const { request, handle } = await worker.runUntil(async () => {
      const submitted = await submit();
      await waiting(submitted.handle);
      return submitted;
    });
    const cost = historyCost(await handle.fetchHistory());
    expect(cost, JSON.stringify(cost.byType)).to.include({
      workflowTasks: 2,
      activityTasks: 1,
      localActivities: 1,
      timers: 1,
      roundTrips: 3,
    });
    // One status write (with the ids); the others are the SDK's TemporalChangeVersion, one per patch marker.
    expect(cost.byType.UpsertWorkflowSearchAttributes, JSON.stringify(cost.byType)).to.equal(
      1 + cost.byType.MarkerRecorded - cost.localActivities,
    );
    expect(
      tb.capture
        .deliveries()
        .map((e) => e.idempotencyKey)
        .sort(),
    ).to.deep.equal([`request-new/${request.id}`, `request-received/${request.id}`]);

    const before = recordedHistories()
      .filter((h) => h.path === 'request-pending' && !h.patches.includes('request-local-steps'))
      .map((h) => ({ file: h.file, ...historyCost(h.history) }));
    expect(before).to.not.have.length(0);
    for (const old of before) {
      expect(old.workflowTasks, old.file).to.be.at.least(4);
      expect(old.activityTasks, old.file).to.equal(3);
      expect(cost.events, old.file).to.be.below(old.events);
    }
    this.test!.title += ` (now ${cost.events} events, ${cost.roundTrips} round trips; before ${before
      .map((b) => `${b.events} events, ${b.roundTrips} round trips`)
      .join(' / ')})`;
  });

  it('the first step finds a request whose submission commits after it asked, in one attempt: it waits for the clinician lock', async () => {
    const activities = createActivities({
      db: tb.db,
      clock: fixedClock(NOW),
      log: createLogger('silent'),
      mailer: createOutboxMailer({ dir: '/nonexistent-never-written' }),
      publicUrl: 'http://portal.test',
      codes: tb.codes,
    });
    let asked: Promise<{ status: string }> | undefined;
    const { request } = await submit(async (requestId) => {
      asked = activities.confirmRequestRecorded({ requestId, clinicianId: clinician.id });
      // Commits only once the step is seen waiting on the submission's lock.
      await lockWaitedOn();
    });
    expect(await asked).to.deep.equal({ status: 'pending' });
    expect(request.status).to.equal('pending');
  });

  it('the first step knows a request whose submission rolled back was never committed, without a minute of retries', async () => {
    const activities = createActivities({
      db: tb.db,
      clock: fixedClock(NOW),
      log: createLogger('silent'),
      mailer: createOutboxMailer({ dir: '/nonexistent-never-written' }),
      publicUrl: 'http://portal.test',
      codes: tb.codes,
    });
    let asked: Promise<{ status: string }> | undefined;
    const rolledBack = await submit(async (requestId) => {
      asked = activities.confirmRequestRecorded({ requestId, clinicianId: clinician.id });
      await lockWaitedOn();
      throw new Error('the API died before its commit');
    }).catch((err: Error) => err);
    expect(rolledBack).to.be.instanceOf(Error);
    const answer = await asked!.catch((err: ApplicationFailure) => err);
    expect(answer).to.be.instanceOf(ApplicationFailure);
    expect(answer).to.include({ type: 'REQUEST_NOT_RECORDED', nonRetryable: true });
  });

  it('a notice the provider refuses is listed under its own label and not retried; the other is delivered once', async () => {
    const worker = await tb.worker(NOW);
    tb.capture.rejectNext(1);
    const { request, status } = await worker.runUntil(async () => {
      const submitted = await submit();
      await waiting(submitted.handle);
      return { ...submitted, status: await submitted.handle.query(getStatusQuery) };
    });
    expect(status.status).to.equal('pending');
    expect(status.emailFailures).to.have.length(1);
    expect(status.emailFailures[0]).to.match(
      /^(clinician notified|receipt to client): .*refused by the provider: Resend 422/,
    );
    expect(status.failingStep).to.include({ step: 'announceRequest', permanent: true });
    const delivered = status.emailFailures[0].startsWith('clinician notified')
      ? `request-received/${request.id}`
      : `request-new/${request.id}`;
    expect(tb.capture.deliveries().map((e) => e.idempotencyKey)).to.deep.equal([delivered]);
    expect(tb.capture.attempts(), 'one refused attempt, one delivery').to.equal(2);
  });

  it('a temporary failure of one notice retries the step: each email still reaches the client and clinician once', async () => {
    const worker = await tb.worker(NOW);
    tb.capture.failNext(1, 503);
    const { request, status } = await worker.runUntil(async () => {
      const submitted = await submit();
      await waiting(submitted.handle);
      return { ...submitted, status: await submitted.handle.query(getStatusQuery) };
    });
    expect(status.emailFailures).to.deep.equal([]);
    expect(
      tb.capture
        .deliveries()
        .map((e) => e.idempotencyKey)
        .sort(),
    ).to.deep.equal([`request-new/${request.id}`, `request-received/${request.id}`]);
    // The retried step sent both again: the one that had gone out came back as an idempotent replay.
    expect(tb.capture.emails().filter((e) => e.replay)).to.have.length(1);
    expect(await tb.db.Notification.count({ where: { requestId: request.id } })).to.equal(1);
  });

  it('approval runs in the workflow task that received it: no activity task until the confirmation email', async () => {
    const worker = await tb.worker(NOW);
    const { request, handle } = await worker.runUntil(async () => {
      const submitted = await submit();
      await waiting(submitted.handle);
      expect(
        await decideRequest(tb.env.client, submitted.request.id, { kind: 'approve', actorId: clinician.id }),
      ).to.include({ ok: true, status: 'approved' });
      await submitted.handle.result();
      return submitted;
    });
    const history = await handle.fetchHistory();
    const activities = (history.events ?? []).flatMap((e) =>
      e.activityTaskScheduledEventAttributes
        ? [e.activityTaskScheduledEventAttributes.activityType!.name]
        : [],
    );
    expect(activities).to.deep.equal(['announceRequest', 'sendOutcomeToClient']);
    expect(historyCost(history).localActivities, 'confirm and approve').to.equal(2);
    expect(tb.capture.deliveries().map((e) => e.idempotencyKey)).to.include(`request-approved/${request.id}`);
  });
});
