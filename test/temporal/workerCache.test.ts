import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { QueryTypes } from 'sequelize';
import { submitRequest } from '../../booking/submitRequest';
import { decideRequest, requestWorkflowId, startRequestWorkflow } from '../../temporal/requests';
import { getStatusQuery } from '../../workflows/appointmentRequest';
import { codecDataConverter, generateCodecKey } from '../../temporal/codec';
import { createBookingWorker } from '../../temporal/worker';
import { fixedClock } from '../../lib/clock';
import { createLogger } from '../../lib/logger';
import { createResendMailer } from '../../emails/mailer';
import { oneTimeCodes } from '../../booking/oneTimeCodes';
import { DEFAULT_WORKER_MAX_CACHED_WORKFLOWS, loadConfig } from '../../app/config';
import { runWorker } from '../../app/runtime';
import { useFreshDatabase } from '../support/database';
import { startCaptureServer, type CaptureServer } from '../support/captureServer';
import { sharedDevServer, sharedWorkflowBundle, uniqueTaskQueue } from '../support/temporal';
import { aClient, aClinician, aPractice, aService } from '../fixtures';

const NOW = '2026-06-01T12:00:00Z';
// Six weekday afternoons: more open requests than the cache below holds.
const SLOTS = ['08', '09', '10', '11', '12']
  .flatMap((day) => [`2026-06-${day}T14:00:00Z`, `2026-06-${day}T15:00:00Z`])
  .slice(0, 6)
  .map((s) => new Date(s));
const CACHE = 2;

// The dev server (the real Temporal CLI): sticky queues and evictions as a deployment has them.
describe('a worker with a small workflow cache (dev server)', function () {
  this.timeout(180_000);
  const database = useFreshDatabase();
  const conn: { client?: Connection; native?: NativeConnection; capture?: CaptureServer } = {};
  const codes = oneTimeCodes(randomBytes(32).toString('hex'));
  const keys = [generateCodecKey('cache-2026')];
  before(async () => {
    const server = await sharedDevServer();
    conn.client = await Connection.connect({ address: server.address });
    conn.native = await NativeConnection.connect({ address: server.address });
    conn.capture = await startCaptureServer();
  });
  after(async () => {
    await conn.native?.close();
    await conn.client?.close();
    await conn.capture?.close();
  });

  it('holds no more workflows than it is told, and the evicted ones replay and finish as decided', async () => {
    const taskQueue = uniqueTaskQueue('cache');
    const temporal = new Client({
      connection: conn.client!,
      namespace: 'default',
      dataConverter: codecDataConverter(keys),
    });
    const worker = await createBookingWorker({
      connection: conn.native!,
      namespace: 'default',
      taskQueue,
      codecKeys: keys,
      workflowBundle: await sharedWorkflowBundle(),
      maxCachedWorkflows: CACHE,
      deps: {
        db: database.db,
        clock: fixedClock(NOW),
        log: createLogger('silent'),
        mailer: createResendMailer({
          apiKey: 're_test_key',
          from: 'Booking <booking@practice.test>',
          baseUrl: conn.capture!.url,
        }),
        publicUrl: 'http://portal.test',
        codes,
      },
    });
    const practice = await aPractice(database.db);
    const service = await aService(database.db, practice);
    const clinician = await aClinician(database.db, practice);

    await worker.runUntil(async () => {
      const ids: string[] = [];
      let mostCached = 0;
      for (const startsAt of SLOTS) {
        // A client each: one client may only have a few requests waiting.
        const client = await aClient(database.db, practice);
        const { request } = await submitRequest(
          database.db,
          {
            practice,
            clinicianId: clinician.id,
            serviceId: service.id,
            startsAt,
            requester: { clientId: client.id },
            clientTimeZone: 'UTC',
            now: new Date(NOW),
            codes,
          },
          (input) => startRequestWorkflow(temporal, taskQueue, input),
        );
        const handle = temporal.workflow.getHandle(requestWorkflowId(request.id));
        while ((await handle.query(getStatusQuery)).status !== 'pending') {
          mostCached = Math.max(mostCached, worker.getStatus().numCachedWorkflows);
          await new Promise((r) => setTimeout(r, 50));
        }
        mostCached = Math.max(mostCached, worker.getStatus().numCachedWorkflows);
        ids.push(request.id);
      }
      expect(mostCached, 'workflows in the cache at once').to.be.within(1, CACHE);

      // Every one is decided after the others pushed it out: each decision replays its history first.
      const intended = ids.map((_, i) => (i % 2 === 0 ? 'approved' : 'declined'));
      for (const [i, id] of ids.entries()) {
        const answer = await decideRequest(
          temporal,
          id,
          intended[i] === 'approved'
            ? { kind: 'approve', actorId: clinician.id }
            : { kind: 'decline', actorId: clinician.id },
        );
        expect(answer, id).to.include({ ok: true, status: intended[i] });
        mostCached = Math.max(mostCached, worker.getStatus().numCachedWorkflows);
      }
      const results = await Promise.all(
        ids.map((id) => temporal.workflow.getHandle(requestWorkflowId(id)).result()),
      );
      expect(results.map((r) => r.status)).to.deep.equal(intended);
      expect(mostCached, 'workflows in the cache at once').to.be.at.most(CACHE);

      const rows = await database.db.sequelize.query<{ id: string; status: string; booked: boolean }>(
        `SELECT r.id, r.status, EXISTS (SELECT 1 FROM appointments a WHERE a.request_id = r.id) AS booked
           FROM appointment_requests r WHERE r.id IN (:ids)`,
        { replacements: { ids }, type: QueryTypes.SELECT },
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      expect(ids.map((id) => byId.get(id)?.status)).to.deep.equal(intended);
      expect(ids.map((id) => byId.get(id)?.booked)).to.deep.equal(intended.map((s) => s === 'approved'));
    });
  });

  it('is sized by WORKER_MAX_CACHED_WORKFLOWS when the app starts its worker, and by the chosen default without it', async () => {
    const server = await sharedDevServer();
    const sizes: number[] = [];
    for (const env of [{ WORKER_MAX_CACHED_WORKFLOWS: '7' }, {}]) {
      const config = {
        ...loadConfig({ NODE_ENV: 'test', TEMPORAL_ADDRESS: server.address, ...env }),
        taskQueue: uniqueTaskQueue('cache-config'),
        codecKeys: keys,
        authSecret: randomBytes(32).toString('hex'),
      };
      const { worker, stops } = await runWorker(config, {
        db: database.db,
        clock: fixedClock(NOW),
        log: createLogger('silent'),
        address: server.address,
        workflowBundle: await sharedWorkflowBundle(),
      });
      sizes.push(worker.options.maxCachedWorkflows);
      for (const stop of stops) await stop();
    }
    expect(sizes).to.deep.equal([7, DEFAULT_WORKER_MAX_CACHED_WORKFLOWS]);
  });
});
