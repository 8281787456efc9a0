import { expect } from 'chai';
import { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { submitRequest } from '../../booking/submitRequest';
import { decideRequest, requestWorkflowId, startRequestWorkflow } from '../../temporal/requests';
import { getStatusQuery } from '../../workflows/appointmentRequest';
import { codecDataConverter, generateCodecKey, KEY_ID_METADATA, type CodecKey } from '../../temporal/codec';
import { createBookingWorker } from '../../temporal/worker';
import { fixedClock } from '../../lib/clock';
import { createLogger } from '../../lib/logger';
import { createResendMailer } from '../../emails/mailer';
import { randomBytes } from 'node:crypto';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { oneTimeCodes } from '../../booking/oneTimeCodes';
import { useFreshDatabase } from '../support/database';
import { startCaptureServer, type CaptureServer } from '../support/captureServer';
import { sharedDevServer, sharedWorkflowBundle, uniqueTaskQueue } from '../support/temporal';
import { aClient, aClinician, aPractice, aService } from '../fixtures';

const NOW = '2026-06-01T12:00:00Z';
const SLOTS = ['2026-06-10T14:00:00Z', '2026-06-10T15:00:00Z', '2026-06-11T14:00:00Z'].map(
  (s) => new Date(s),
);

/** The key ids of a history's payloads, in order (search attributes and patch markers stay plain). */
function keyIds(value: unknown, out: string[] = []): string[] {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return out;
  const v = value as Record<string, unknown>;
  const id = (v as Payload).metadata?.[KEY_ID_METADATA];
  if (id) out.push(Buffer.from(id).toString());
  for (const [key, child] of Object.entries(v))
    if (key !== 'searchAttributes' && key !== 'patch-data') keyIds(child, out);
  return out;
}

// The dev server (the real Temporal CLI): workers stop and start as a deployment's would, sticky queues and all.
describe('rotating the payload keys with workflows open (dev server)', function () {
  this.timeout(180_000);
  const database = useFreshDatabase();
  const conn: { client?: Connection; native?: NativeConnection; capture?: CaptureServer } = {};
  const tb = {
    get db() {
      return database.db;
    },
    get capture() {
      return conn.capture!;
    },
    taskQueue: uniqueTaskQueue('rotation'),
    codes: oneTimeCodes(randomBytes(32).toString('hex')),
  };
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
  const A = generateCodecKey('a-2026');
  const B = generateCodecKey('b-2026');

  /** The app's client and worker factories' pieces, with the keys a deployment would be configured with. */
  const clientWith = (keys: CodecKey[]) =>
    new Client({
      connection: conn.client!,
      namespace: 'default',
      dataConverter: codecDataConverter(keys),
    });
  const workerWith = async (keys: CodecKey[]) =>
    createBookingWorker({
      connection: conn.native!,
      namespace: 'default',
      taskQueue: tb.taskQueue,
      codecKeys: keys,
      workflowBundle: await sharedWorkflowBundle(),
      deps: {
        db: tb.db,
        clock: fixedClock(NOW),
        log: createLogger('silent'),
        mailer: createResendMailer({
          apiKey: 're_test_key',
          from: 'Booking <booking@practice.test>',
          baseUrl: tb.capture.url,
        }),
        publicUrl: 'http://portal.test',
        codes: tb.codes,
      },
    });

  it('keys A, then B,A (open workflows finish), then B alone for new ones; A alone cannot read what B wrote', async () => {
    const practice = await aPractice(tb.db);
    const service = await aService(tb.db, practice);
    const clinician = await aClinician(tb.db, practice);
    const client = await aClient(tb.db, practice);
    const open = async (temporal: Client, startsAt: Date) => {
      const { request } = await submitRequest(
        tb.db,
        {
          practice,
          clinicianId: clinician.id,
          serviceId: service.id,
          startsAt,
          requester: { clientId: client.id },
          clientTimeZone: 'America/Chicago',
          now: new Date(NOW),
          codes: tb.codes,
        },
        (input) => startRequestWorkflow(temporal, tb.taskQueue, input),
      );
      const handle = temporal.workflow.getHandle(requestWorkflowId(request.id));
      while ((await handle.query(getStatusQuery)).status !== 'pending')
        await new Promise((r) => setTimeout(r, 50));
      return request.id;
    };

    // Deployed with key A: two requests wait for the clinician.
    const withA = clientWith([A]);
    const [first, second] = await (
      await workerWith([A])
    ).runUntil(async () => [await open(withA, SLOTS[0]), await open(withA, SLOTS[1])]);

    // Restarted with B,A: the open workflows (inputs under A) take decisions under B and finish.
    const withBA = clientWith([B, A]);
    await (
      await workerWith([B, A])
    ).runUntil(async () => {
      expect(await decideRequest(withBA, first, { kind: 'approve', actorId: clinician.id })).to.include({
        ok: true,
        status: 'approved',
      });
      expect(await decideRequest(withBA, second, { kind: 'decline', actorId: clinician.id })).to.include({
        ok: true,
        status: 'declined',
      });
      expect(await withBA.workflow.getHandle(requestWorkflowId(first)).result()).to.include({
        status: 'approved',
      });
      expect(await withBA.workflow.getHandle(requestWorkflowId(second)).result()).to.include({
        status: 'declined',
      });
    });
    const ids = keyIds(await withBA.workflow.getHandle(requestWorkflowId(first)).fetchHistory());
    expect(ids[0], 'started under A').to.equal('a-2026');
    expect(ids.at(-1), 'finished under B').to.equal('b-2026');

    // Once nothing open is under A: B alone, and a new request runs start to end.
    const withB = clientWith([B]);
    await (
      await workerWith([B])
    ).runUntil(async () => {
      const third = await open(withB, SLOTS[2]);
      expect(await decideRequest(withB, third, { kind: 'approve', actorId: clinician.id })).to.include({
        ok: true,
      });
      expect(await withB.workflow.getHandle(requestWorkflowId(third)).result()).to.include({
        status: 'approved',
      });
      const history = await withB.workflow.getHandle(requestWorkflowId(third)).fetchHistory();
      expect(new Set(keyIds(history))).to.deep.equal(new Set(['b-2026']));
      // A process still on A alone cannot read it, and says which key it lacks.
      let refused: unknown = null;
      await clientWith([A])
        .workflow.getHandle(requestWorkflowId(third))
        .result()
        .catch((err: unknown) => (refused = err));
      expect(String((refused as Error)?.message ?? refused)).to.include('b-2026');
    });
  });
});
