import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { temporal } from '@temporalio/proto';
import { portalEmailWorkflow } from '../../workflows/portalEmail';
import { portalEmailWorkflowId } from '../../temporal/portalEmails';
import { useWorkflowTestbed } from '../support/workflowTestbed';
import { aClient, aPractice } from '../fixtures';

const NOW = '2026-06-01T12:00:00Z';
const EventType = temporal.api.enums.v1.EventType;

/** Milliseconds of a history event's time (Temporal's clock, which the time-skipping server moves). */
const msOf = (event: temporal.api.history.v1.IHistoryEvent) =>
  Number(event.eventTime!.seconds) * 1000 + Math.floor((event.eventTime!.nanos ?? 0) / 1e6);

describe('email steps honour the provider’s Retry-After (time-skipping)', function () {
  this.timeout(120_000);
  const tb = useWorkflowTestbed();

  it('answered 429 with Retry-After: 600, the next attempt comes no earlier than 10 minutes later, and delivers once', async () => {
    const practice = await aPractice(tb.db);
    const client = await aClient(tb.db, practice);
    const [{ id }] = await tb.db.sequelize.query<{ id: string }>(
      `INSERT INTO client_sign_in_codes (client_id, created_at, expires_at)
       VALUES (:clientId, :now, :now::timestamptz + interval '10 minutes') RETURNING id`,
      { replacements: { clientId: client.id, now: NOW }, type: QueryTypes.SELECT },
    );
    tb.capture.failNext(1, 429, { retryAfterSeconds: 600 });
    const worker = await tb.worker(NOW);
    const workflowId = portalEmailWorkflowId(id);
    const outcome = await worker.runUntil(
      tb.env.client.workflow.execute(portalEmailWorkflow, {
        taskQueue: tb.taskQueue,
        workflowId,
        args: [{ kind: 'sign-in-code', id }],
      }),
    );
    expect(outcome).to.equal('sent');
    expect(tb.capture.attempts()).to.equal(2);
    expect(tb.capture.deliveries()).to.have.length(1);

    const { events } = await tb.env.client.workflow.getHandle(workflowId).fetchHistory();
    const scheduled = events!.find((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)!;
    const started = events!.find((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)!;
    // History keeps only the attempt that completed: the second, started after the wait the provider asked for.
    expect(started.activityTaskStartedEventAttributes!.attempt).to.equal(2);
    expect(msOf(started) - msOf(scheduled), 'ms between the first attempt and the retry').to.be.at.least(
      600_000,
    );
  });
});
