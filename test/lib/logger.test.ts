import { expect } from 'chai';
import { createLogger } from '../../lib/logger';
import { temporalLogSink } from '../../app/runtime';

import { aClient, aPractice } from '../fixtures';
import { useFreshDatabase } from '../support/database';

/** A logger at debug whose JSON lines are kept, as a log pipeline receives them. */
function captured() {
  const lines: string[] = [];
  const log = createLogger('debug', 'test', { write: (line: string) => void lines.push(line) });
  return { log, lines, last: () => JSON.parse(lines.at(-1)!) as Record<string, unknown> };
}

describe('logger: errors are logged by type, message and code, never with personal data', () => {
  const database = useFreshDatabase();

  it('a database error (unique violation) logged as err or error keeps its type and SQLSTATE, not the statement or the row', async () => {
    const practice = await aPractice(database.db);
    const existing = await aClient(database.db, practice, {
      email: 'casey.whitfield@example.org',
      lastName: 'Whitfield',
    });
    const thrown = await database.db.Client.create({
      practiceId: practice.id,
      firstName: 'Casey',
      lastName: 'Whitfield',
      email: existing.email,
      phone: '+1 555 0100',
    }).catch((err: unknown) => err as Error);
    expect(thrown).to.be.instanceOf(Error);
    const { log, lines, last } = captured();
    for (const key of ['err', 'error']) {
      log.warn({ [key]: thrown }, 'step failed');
      expect(last()[key]).to.deep.include({ type: 'SequelizeUniqueConstraintError', code: '23505' });
      expect((last()[key] as { message: string }).message)
        .to.be.a('string')
        .with.length.above(0);
    }
    const text = lines.join('\n');
    for (const secret of ['casey.whitfield', 'Whitfield', '555 0100', 'INSERT', 'already exists'])
      expect(text, secret).to.not.include(secret);
  });

  it('a data exception (22P05, NUL in JSONB) keeps its code; the refused value is left out of the message', async () => {
    const thrown = await database.db.sequelize
      .query('SELECT $1::jsonb', { bind: [JSON.stringify({ reason: 'Divorce hearing \u0000' })] })
      .catch((err: unknown) => err as Error);
    const { log, lines, last } = captured();
    log.error({ err: thrown }, 'step failed');
    expect(last().err).to.deep.include({ type: 'SequelizeDatabaseError', code: '22P05' });
    expect(lines.join('\n')).to.not.match(/Divorce|SELECT|\$1/);
  });

  it('the Temporal SDK line for a failed attempt carries the error, not {}; codes are not blanked', () => {
    const { log, lines, last } = captured();
    const sink = temporalLogSink(log);
    const failure = Object.assign(new Error('Resend 500 internal_server_error: to c***@example.org failed'), {
      name: 'EmailTemporaryError',
      code: 'internal_server_error',
    });
    sink({
      level: 'WARN',
      message: 'Activity failed',
      meta: { error: failure, activityType: 'sendRequestReceived' },
    });
    expect(last()).to.include({ level: 20, msg: 'Activity failed', sdk: true });
    expect(last().error).to.deep.include({
      type: 'EmailTemporaryError',
      message: 'Resend 500 internal_server_error: to c***@example.org failed',
      code: 'internal_server_error',
    });
    sink({
      level: 'WARN',
      message: 'Workflow task failed',
      meta: { error: new Error('casey@example.org went wrong') },
    });
    expect(last()).to.include({ level: 40 });
    expect((last().error as { message: string }).message).to.equal('c***@example.org went wrong');
    log.info({ body: { code: '482913' }, outcome: { code: 'SLOT_UNAVAILABLE' } }, 'sign-in');
    expect(last()).to.deep.include({ body: { code: '[redacted]' }, outcome: { code: 'SLOT_UNAVAILABLE' } });
    expect(lines.join('\n')).to.not.include('casey@');
  });

  it("PostgreSQL's detail, where and hint, the statement and its parameters stay out, under any key", async () => {
    // A check that quotes the row in DETAIL and runs inside PL/pgSQL, so the error carries `where` as well.
    const thrown = await database.db.sequelize
      .query(
        `DO $$ BEGIN RAISE EXCEPTION 'check failed' USING ERRCODE = '23514',
           DETAIL = 'Failing row contains (Jordan Quartermaine, panic attacks since the divorce)',
           HINT = 'jordan.q@example.org'; END $$`,
      )
      .catch((err: unknown) => err as Error);
    const withParameters = await database.db.sequelize
      .query('SELECT 1 / (length($1) - length($1))', { bind: ['Jordan Quartermaine'] })
      .catch((err: unknown) => err as Error);
    expect((thrown as { parent?: { where?: string; detail?: string } }).parent?.detail).to.include('Jordan');
    expect((thrown as { parent?: { where?: string } }).parent?.where).to.include('PL/pgSQL');
    const { log, lines, last } = captured();
    log.error({ err: thrown }, 'as err');
    expect(last().err).to.deep.include({ code: '23514', message: 'check failed' });
    log.error({ cause: thrown, failure: withParameters }, 'under other keys');
    expect(last().cause).to.deep.include({ code: '23514' });
    expect(last().failure).to.deep.include({ code: '22012' });
    log.warn({ step: { failure: thrown, attempt: 2 } }, 'one object down');
    expect(last().step).to.deep.include({ attempt: 2 });
    // A driver error copied into a plain object by a library.
    const copied = { ...(thrown as unknown as { parent: object }).parent, message: 'check failed' };
    log.warn({ dbError: copied }, 'a plain copy');
    log.warn({ values: withParameters }, 'any name');
    const text = lines.join('\n');
    for (const secret of [
      'Jordan',
      'Quartermaine',
      'divorce',
      'jordan.q',
      'PL/pgSQL',
      'RAISE',
      'SELECT',
      'length(',
      '"parameters"',
      '"sql"',
      '"detail"',
      '"where"',
    ])
      expect(text, secret).to.not.include(secret);
  });
});
