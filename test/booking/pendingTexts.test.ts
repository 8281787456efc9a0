import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { keepPendingText, takePendingText } from '../../booking/pendingTexts';
import { requestCancellation } from '../../booking/requestCancellation';
import { cancelAppointment } from '../../booking/cancelAppointment';
import { useFreshDatabase } from '../support/database';
import { aClient, aClinician, aPractice, aService, anAppointment } from '../fixtures';

const NOW = new Date('2026-06-01T12:00:00Z');
const STARTS = new Date('2026-06-10T14:00:00Z');

describe('pending texts: what a person wrote waits by id for the workflow step that records it (PostgreSQL)', () => {
  const database = useFreshDatabase();
  const kept = async () =>
    (
      await database.db.sequelize.query<{ text: string }>('SELECT text FROM pending_texts ORDER BY text', {
        type: QueryTypes.SELECT,
      })
    ).map((r) => r.text);

  it('is taken once, inside the step transaction; nothing is kept for no text; leftovers go after 30 days', async () => {
    const practice = await aPractice(database.db);
    expect(await keepPendingText(database.db, practice.id, null, NOW)).to.equal(null);
    expect(await keepPendingText(database.db, practice.id, '', NOW)).to.equal(null);
    const id = await keepPendingText(database.db, practice.id, 'Moving to Denver', NOW);
    const rolledBack = await database.db.sequelize
      .transaction(async (transaction) => {
        expect(await takePendingText(database.db, id, transaction)).to.equal('Moving to Denver');
        throw new Error('the step failed');
      })
      .catch((err: Error) => err.message);
    expect(rolledBack).to.equal('the step failed');
    expect(await kept(), 'a failed step leaves it for its retry').to.deep.equal(['Moving to Denver']);
    await database.db.sequelize.transaction(async (transaction) => {
      expect(await takePendingText(database.db, id, transaction)).to.equal('Moving to Denver');
      expect(await takePendingText(database.db, id, transaction), 'a second take').to.equal(null);
    });
    expect(await kept()).to.deep.equal([]);
    await keepPendingText(database.db, practice.id, 'never taken', NOW);
    await keepPendingText(
      database.db,
      practice.id,
      'a month later',
      new Date(NOW.getTime() + 31 * 86_400_000),
    );
    expect(await kept()).to.deep.equal(['a month later']);
  });

  it('a cancel keeps the reason for its workflow, which records it; a refused one leaves nothing behind', async () => {
    const practice = await aPractice(database.db, { cancellationPolicy: '24h' });
    const clinician = await aClinician(database.db, practice);
    const service = await aService(database.db, practice);
    const client = await aClient(database.db, practice);
    const appointment = await anAppointment(database.db, {
      practice,
      clinician,
      client,
      service,
      startsAt: STARTS,
    });
    const input = {
      practiceId: practice.id,
      requestedAt: NOW,
      by: 'client' as const,
      notifyClient: true,
      actorId: client.id,
      reason: 'Moving to Denver',
    };
    // The workflow's cancel step, run as its activity would, on what the workflow was given.
    let started: Record<string, unknown> = {};
    await requestCancellation(database.db, appointment, input, async (start) => {
      started = { ...start };
      const result = await cancelAppointment(database.db, {
        ...start,
        requestedAt: new Date(start.requestedAt),
        now: NOW,
      });
      return { ok: true, ...result };
    });
    expect(started).to.not.have.property('reason');
    expect(started.reasonId).to.be.a('string');
    await appointment.reload();
    expect(appointment.cancelReason).to.equal('Moving to Denver');
    expect(await kept()).to.deep.equal([]);

    const other = await anAppointment(database.db, {
      practice,
      clinician,
      client,
      service,
      startsAt: new Date(STARTS.getTime() + 86_400_000),
    });
    const refused = await requestCancellation(database.db, other, input, async () => ({
      ok: false,
      code: 'DATA_REJECTED',
      message: 'This cancelation could not be recorded.',
    })).catch((err: Error) => err);
    expect(refused).to.be.an('error');
    expect(await kept(), 'a refused cancel').to.deep.equal([]);
    // No answer in time: the workflow is under way and will still need it.
    expect(await requestCancellation(database.db, other, input, async () => null)).to.include({
      done: false,
    });
    expect(await kept()).to.deep.equal(['Moving to Denver']);
  });
});
