import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import { problemFromTemporalUnavailable } from '../../api/errors';
import { connectClient } from '../../temporal/connection';
import { TemporalUnavailableError, withTemporal } from '../../temporal/errors';
import { decideRequest, requestWorkflowId, startRequestWorkflow } from '../../temporal/requests';
import { sharedDevServer, uniqueTaskQueue } from '../support/temporal';
import { testCodecKeys } from '../support/codecKeys';

describe('temporal/errors: what the API says when Temporal does not answer in time (dev server)', function () {
  this.timeout(60_000);
  let client: Client;
  before(async () => {
    const server = await sharedDevServer();
    client = await connectClient(server.address, 'default', testCodecKeys);
  });
  after(async () => {
    await client?.connection.close();
  });

  /** A request workflow no worker will ever run: an update sent to it can only run out of time. */
  async function unattendedRequest(): Promise<string> {
    const requestId = randomUUID();
    await startRequestWorkflow(client, uniqueTaskQueue('unattended'), {
      requestId,
      practiceId: randomUUID(),
      clinicianId: randomUUID(),
      startsAt: '2026-06-10T14:00:00.000Z',
      requestedAt: '2026-06-01T12:00:00.000Z',
      lifetimeHours: 168,
    });
    return requestId;
  }

  it('a decision whose update outlived its wait: 503 saying it may have been recorded, never "Nothing was recorded"', async () => {
    const requestId = await unattendedRequest();
    const decide = () => decideRequest(client, requestId, { kind: 'approve', actorId: randomUUID() }, 1_500);
    const raw = await decide().then(
      () => null,
      (err: unknown) => err,
    );
    expect(raw, 'the real SDK error the API meets').to.be.instanceOf(
      WorkflowUpdateRPCTimeoutOrCancelledError,
    );

    const answer = await withTemporal(decide, 'decision').then(
      () => null,
      (err: unknown) => err,
    );
    expect(answer).to.be.instanceOf(TemporalUnavailableError);
    const problem = problemFromTemporalUnavailable(answer as TemporalUnavailableError);
    expect(problem.status).to.equal(503);
    expect(problem.headers['Retry-After']).to.equal('5');
    expect(problem.detail).to.not.match(/nothing was recorded/i);
    expect(problem.detail).to.match(/may still have been recorded/);
    expect(problem.detail).to.match(/Reload the request/);
    await client.workflow.getHandle(requestWorkflowId(requestId)).terminate('test done');
  });

  it('a submission that could not reach Temporal was rolled back: it still says nothing was recorded', async () => {
    const requestId = await unattendedRequest();
    const answer = await withTemporal(() =>
      decideRequest(client, requestId, { kind: 'decline', actorId: randomUUID() }, 1_500),
    ).then(
      () => null,
      (err: unknown) => err,
    );
    expect(answer).to.be.instanceOf(TemporalUnavailableError);
    const problem = problemFromTemporalUnavailable(answer as TemporalUnavailableError);
    expect(problem.status).to.equal(503);
    expect(problem.detail).to.match(/Nothing was recorded/);
    await client.workflow.getHandle(requestWorkflowId(requestId)).terminate('test done');
  });
});
