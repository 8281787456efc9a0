import { expect } from 'chai';
import { Client, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import proto from '@temporalio/proto';
import { QueryTypes } from 'sequelize';
import { submitRequest } from '../../booking/submitRequest';
import { issueEmailVerification } from '../../booking/emailVerification';
import { decideRequest, requestWorkflowId, startRequestWorkflow } from '../../temporal/requests';
import { cancelAndWait, cancellationWorkflowId } from '../../temporal/cancellations';
import { requestCancellation } from '../../booking/requestCancellation';
import { portalEmailWorkflowId } from '../../temporal/portalEmails';
import { getStatusQuery } from '../../workflows/appointmentRequest';
import { AesGcmCodec, ENCRYPTED_ENCODING } from '../../temporal/codec';
import { useWorkflowTestbed } from '../support/workflowTestbed';
import { testCodecKeys } from '../support/codecKeys';
import { aClient, aClinician, anAppointment, aPractice, aService } from '../fixtures';
import { keepPendingText } from '../../booking/pendingTexts';

const NOW = '2026-06-01T12:00:00Z';
const SLOT = new Date('2026-06-10T14:00:00Z');
const History = proto.temporal.api.history.v1.History;

/**
 * Every payload in a history (inputs, update arguments, results, encoded failure attributes), wherever it sits;
 * search attributes and patch markers aside: the server indexes the first and the SDK core writes the second (a
 * patch id), so they stay plain and hold ids, status words and patch names only; so does the core's record of a local
 * activity call (below).
 */
function payloadsIn(value: unknown, out: Payload[] = [], at = ''): Payload[] {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return out;
  const v = value as Record<string, unknown>;
  if (v.metadata && typeof v.metadata === 'object' && 'data' in v)
    out.push(Object.assign(v as Payload, { at }));
  // A local activity's marker: its `data` is the SDK core's own record of the call (sequence number, attempt,
  // activity type, times), written in the clear like a patch marker; its `result` goes through the codec.
  const localActivityMarker = v.markerName === 'core_local_activity';
  for (const [key, child] of Object.entries(v))
    if (key !== 'searchAttributes' && key !== 'patch-data')
      payloadsIn(
        localActivityMarker && key === 'details' ? { ...(child as object), data: undefined } : child,
        out,
        `${at}.${key}`,
      );
  return out;
}

/** Failures anywhere in a history, with the message and stack Temporal stores in the clear unless encoded. */
function failuresIn(value: unknown, out: { message?: string | null; stackTrace?: string | null }[] = []) {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return out;
  const v = value as Record<string, unknown>;
  if ('failure' in v && v.failure && typeof v.failure === 'object') out.push(v.failure as never);
  for (const child of Object.values(v)) failuresIn(child, out);
  return out;
}

describe('personal data in Temporal history: ciphertext without the codec, readable with it', function () {
  this.timeout(180_000);
  const tb = useWorkflowTestbed();
  const codec = new AesGcmCodec(testCodecKeys);
  const person = {
    firstName: 'Marisol',
    lastName: 'Quenneville',
    email: 'marisol.quenneville@example.test',
    phone: '+1 555 0199 4321',
  };
  const message = 'I have panic attacks since the divorce';
  const note = 'Dr. Okafor suggests the Tuesday group instead';
  const reason = 'hospitalised for my eating disorder';
  const personal = [person.firstName, person.lastName, person.email, person.phone, message, note, reason];

  /** The history as anyone with the Temporal UI or CLI reads it: a client without the codec. */
  async function rawHistory(workflowId: string) {
    const plain = new Client({ connection: tb.env.connection, namespace: tb.env.namespace ?? 'default' });
    const history = await plain.workflow.getHandle(workflowId).fetchHistory();
    return { history, bytes: Buffer.from(History.encode(history).finish()), plain };
  }

  /** What the codec makes of every payload of the history, as text. */
  async function decodedText(history: unknown): Promise<string> {
    const payloads = payloadsIn(history);
    const decoded = await codec.decode(payloads);
    return decoded.map((p) => JSON.stringify(defaultPayloadConverter.fromPayload(p))).join('\n');
  }

  let failures = 0;

  /** onlyInPayloads: values the history holds nowhere but in payloads, so only the codec finds them. */
  async function expectPrivate(handle: WorkflowHandle, onlyInPayloads: string[]) {
    const { history, bytes, plain } = await rawHistory(handle.workflowId);
    const text = [bytes.toString('utf8'), bytes.toString('latin1'), bytes.toString('utf16le')].join('\n');
    for (const secret of [...personal, ...onlyInPayloads])
      expect(text.toLowerCase(), `"${secret}" in ${handle.workflowId}'s raw history`).to.not.include(
        secret.toLowerCase(),
      );
    const payloads = payloadsIn(history);
    expect(payloads.length).to.be.greaterThan(0);
    for (const p of payloads)
      expect(
        Buffer.from(p.metadata!.encoding!).toString(),
        `${(p as { at?: string }).at} encrypted`,
      ).to.equal(ENCRYPTED_ENCODING);
    failures = failuresIn(history).length;
    for (const f of failuresIn(history)) {
      expect(f.message ?? '', 'failure message moved into the encrypted attributes').to.be.oneOf([
        '',
        'Encoded failure',
      ]);
      expect(f.stackTrace ?? '').to.equal('');
    }
    // Without the codec, not even the result reads.
    let plainResult: unknown = null;
    try {
      plainResult = await plain.workflow.getHandle(handle.workflowId).result();
    } catch (err) {
      plainResult = err;
    }
    expect(plainResult).to.be.an('error');
    const decoded = await decodedText(history);
    for (const value of onlyInPayloads) expect(decoded, `"${value}" with the codec`).to.include(value);
    for (const secret of personal) expect(decoded, `"${secret}" not even encrypted`).to.not.include(secret);
    return decoded;
  }

  async function aRequest() {
    const practice = await aPractice(tb.db);
    const consultation = await aService(tb.db, practice, { durationMinutes: 30 });
    const clinician = await aClinician(tb.db, practice, {
      preferences: {
        initialConsultationServiceId: consultation.id,
        startTimeIntervalMinutes: 30,
        minimumNoticeHours: 24,
      },
    });
    const verification = await issueEmailVerification(tb.db, {
      practiceId: practice.id,
      email: person.email,
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
          newClient: person,
          emailVerificationCode: tb.codes.codeFor('email-verification', verification),
        },
        message,
        clientTimeZone: 'America/Chicago',
        now: new Date(NOW),
        codes: tb.codes,
      },
      (input) => startRequestWorkflow(tb.env.client, tb.taskQueue, input),
    );
    const handle = tb.env.client.workflow.getHandle(requestWorkflowId(request.id));
    while ((await handle.query(getStatusQuery)).status !== 'pending') await tb.env.sleep('1 second');
    return { request, clinician, handle, verification };
  }

  it('appointmentRequestWorkflow, declined with a note and its outcome email refused: no name, email, phone, message or note', async () => {
    const worker = await tb.worker(NOW);
    await worker.runUntil(async () => {
      const r = await aRequest();
      // The outcome email is refused: the failure (and its message) lands in history.
      tb.capture.rejectNext(1);
      expect(
        await decideRequest(tb.env.client, r.request.id, {
          kind: 'decline',
          actorId: r.clinician.id,
          noteId: await keepPendingText(tb.db, r.clinician.practiceId, note, new Date(NOW)),
        }),
      ).to.include({ ok: true, status: 'declined' });
      await r.handle.result();
      const decoded = await expectPrivate(r.handle, [new Date(NOW).toISOString()]);
      expect(decoded).to.include('"declined"');
      expect(
        failures,
        'the refused email left a failure in history, its message encrypted',
      ).to.be.greaterThan(0);
      expect(decoded, 'which the codec reads').to.match(/EMAIL_REJECTED|rejected|422/i);
    });
    const row = await tb.db.AppointmentRequest.findByPk((await tb.db.AppointmentRequest.findOne())!.id);
    expect(row!.get('declineNote' as never) ?? note, 'the note itself is kept in the database').to.equal(
      note,
    );
  });

  it('cancellationWorkflow with a reason: no name, email, phone or reason', async () => {
    const practice = await aPractice(tb.db, { cancellationPolicy: '24h' });
    const service = await aService(tb.db, practice);
    const clinician = await aClinician(tb.db, practice);
    const client = await aClient(tb.db, practice, person);
    const appointment = await anAppointment(tb.db, { practice, clinician, client, service, startsAt: SLOT });
    const worker = await tb.worker(NOW);
    await worker.runUntil(async () => {
      // As the API cancels: the booking function keeps the reason and starts the workflow with its id.
      const answer = await requestCancellation(
        tb.db,
        appointment,
        {
          practiceId: practice.id,
          requestedAt: new Date(NOW),
          by: 'client',
          notifyClient: true,
          actorId: client.id,
          reason,
        },
        (input) => cancelAndWait(tb.env.client, tb.taskQueue, input),
      );
      expect(answer).to.deep.include({ done: true });
      const handle = tb.env.client.workflow.getHandle(cancellationWorkflowId(appointment.id));
      await handle.result();
      await expectPrivate(handle, [new Date(NOW).toISOString()]);
    });
    await appointment.reload();
    expect(appointment.cancelReason, 'the reason itself is recorded where it belongs').to.equal(reason);
    const [{ count }] = await tb.db.sequelize.query<{ count: string }>('SELECT count(*) FROM pending_texts', {
      type: QueryTypes.SELECT,
    });
    expect(Number(count), 'and kept nowhere else').to.equal(0);
  });

  it('portalEmailWorkflow and diagnosticsWorkflow: payloads encrypted, the address never in them', async () => {
    const practice = await aPractice(tb.db);
    const client = await aClient(tb.db, practice, person);
    const worker = await tb.worker(NOW);
    await worker.runUntil(async () => {
      const [row] = await tb.db.sequelize.query<{ id: string }>(
        `INSERT INTO client_sign_in_codes (client_id, created_at, expires_at)
         VALUES (:clientId, :now, :now::timestamptz + interval '10 minutes') RETURNING id`,
        { replacements: { clientId: client.id, now: new Date().toISOString() }, type: QueryTypes.SELECT },
      );
      const portal = await tb.env.client.workflow.start('portalEmailWorkflow', {
        taskQueue: tb.taskQueue,
        workflowId: portalEmailWorkflowId(row.id),
        args: [{ kind: 'sign-in-code', id: row.id }],
      });
      await portal.result();
      await expectPrivate(portal, ['sign-in-code']);
      const diagnostics = await tb.env.client.workflow.start('diagnosticsWorkflow', {
        taskQueue: tb.taskQueue,
        workflowId: `diagnostics-${tb.taskQueue}`,
      });
      await diagnostics.result();
      await expectPrivate(diagnostics, ['databaseTime']);
    });
  });
});
