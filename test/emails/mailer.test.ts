import { expect } from 'chai';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createOutboxMailer,
  createResendMailer,
  EmailRejectedError,
  EmailTemporaryError,
  maskEmail,
  type MailLogger,
  type OutgoingEmail,
} from '../../emails/mailer';
import { startCaptureServer, type CaptureServer } from '../support/captureServer';

const from = 'Riverside Counseling <no-reply@riverside.test>';
const apiKey = 're_test_secret_key';

function anEmail(overrides: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return {
    to: 'jordan.lee@example.com',
    subject: 'Confirmed: your appointment on Tue, Nov 3, 7:00 AM PST',
    html: '<p>Your appointment is booked.</p>',
    text: 'Your appointment is booked.',
    idempotencyKey: 'appointment-request-r1/approved',
    ...overrides,
  };
}

/** Records every log call as one JSON string, to check what would reach the log files. */
function recordingLogger(): MailLogger & { lines: { level: string; line: string }[] } {
  const lines: { level: string; line: string }[] = [];
  const at =
    (level: string) =>
    (...args: unknown[]) =>
      void lines.push({ level, line: JSON.stringify(args) });
  return { lines, info: at('info'), warn: at('warn'), debug: at('debug') } as unknown as MailLogger & {
    lines: typeof lines;
  };
}

async function expectRejection<E extends Error>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => E,
): Promise<E> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(type);
    return err as E;
  }
  throw new Error(`expected ${type.name}`);
}

describe('emails/mailer createResendMailer (real SDK against the capture server)', () => {
  let server: CaptureServer;

  before(async () => {
    server = await startCaptureServer();
  });
  afterEach(() => server.reset());
  after(() => server.close());

  const mailer = () => createResendMailer({ apiKey, from, baseUrl: server.url });

  it('delivers the email with its idempotency key and attachment', async () => {
    const ics = 'BEGIN:VCALENDAR\r\nSUMMARY:Séance\r\nEND:VCALENDAR\r\n';
    const { id } = await mailer().send(
      anEmail({
        attachments: [{ filename: 'invite.ics', content: ics, contentType: 'text/calendar; method=REQUEST' }],
      }),
    );

    const [delivered] = server.deliveries();
    expect(delivered.id).to.equal(id);
    expect(delivered.idempotencyKey).to.equal('appointment-request-r1/approved');
    expect(delivered.from).to.equal(from);
    expect(delivered.to).to.deep.equal(['jordan.lee@example.com']);
    expect(delivered.subject).to.equal('Confirmed: your appointment on Tue, Nov 3, 7:00 AM PST');
    expect(delivered.html).to.equal('<p>Your appointment is booked.</p>');
    expect(delivered.text).to.equal('Your appointment is booked.');
    expect(delivered.userAgent).to.match(/^resend-node:/);
    expect(delivered.attachments).to.have.length(1);
    expect(delivered.attachments[0]).to.include({
      filename: 'invite.ics',
      contentType: 'text/calendar; method=REQUEST',
      utf8: ics,
    });
  });

  it('sends one email when the same key is sent twice (a retried activity)', async () => {
    const first = await mailer().send(anEmail());
    const second = await mailer().send(anEmail());
    expect(second.id).to.equal(first.id);
    expect(server.emails()).to.have.length(2);
    expect(server.deliveries()).to.have.length(1);
  });

  it('maps 429 to EmailTemporaryError with the Retry-After, and the retry delivers once', async () => {
    server.failNext(1, 429);
    const err = await expectRejection(mailer().send(anEmail()), EmailTemporaryError);
    expect(err.statusCode).to.equal(429);
    expect(err.code).to.equal('rate_limit_exceeded');
    expect(err.retryAfterSeconds).to.equal(1);
    expect(server.deliveries()).to.have.length(0);

    await mailer().send(anEmail());
    expect(server.deliveries()).to.have.length(1);
  });

  it('maps 500 and 503 to EmailTemporaryError', async () => {
    server.failNext(1, 500);
    server.failNext(1, 503);
    expect((await expectRejection(mailer().send(anEmail()), EmailTemporaryError)).statusCode).to.equal(500);
    expect((await expectRejection(mailer().send(anEmail()), EmailTemporaryError)).statusCode).to.equal(503);
  });

  it('maps a dropped connection to EmailTemporaryError', async () => {
    server.failNext(1, 'network');
    const err = await expectRejection(mailer().send(anEmail()), EmailTemporaryError);
    expect(err.statusCode).to.equal(null);
  });

  it('maps 422 to EmailRejectedError and delivers nothing', async () => {
    server.rejectNext(1);
    const err = await expectRejection(mailer().send(anEmail()), EmailRejectedError);
    expect(err.statusCode).to.equal(422);
    expect(err.code).to.equal('validation_error');
    expect(server.deliveries()).to.have.length(0);
    expect(server.attempts()).to.equal(1);
  });

  it('rejects a key reused for a different email (409), never sending the second one', async () => {
    await mailer().send(anEmail());
    const err = await expectRejection(
      mailer().send(anEmail({ subject: 'Something else' })),
      EmailRejectedError,
    );
    expect(err.statusCode).to.equal(409);
    expect(server.deliveries()).to.have.length(1);
  });

  it('uses its own baseUrl whatever RESEND_BASE_URL says, and the env var only when none is given', async () => {
    const saved = process.env.RESEND_BASE_URL;
    const other = await startCaptureServer();
    try {
      process.env.RESEND_BASE_URL = other.url;
      await createResendMailer({ apiKey, from, baseUrl: `${server.url}/` }).send(
        anEmail({ idempotencyKey: 'a' }),
      );
      // The SDK reads RESEND_BASE_URL when the client is constructed, not at import.
      await createResendMailer({ apiKey, from }).send(anEmail({ idempotencyKey: 'b' }));
      expect(server.deliveries().map((e) => e.idempotencyKey)).to.deep.equal(['a']);
      expect(other.deliveries().map((e) => e.idempotencyKey)).to.deep.equal(['b']);
    } finally {
      if (saved === undefined) delete process.env.RESEND_BASE_URL;
      else process.env.RESEND_BASE_URL = saved;
      await other.close();
    }
  });

  it('never logs the full address or the API key', async () => {
    const log = recordingLogger();
    const logged = createResendMailer({ apiKey, from, baseUrl: server.url, log });
    await logged.send(anEmail());
    server.failNext(1, 500);
    await expectRejection(logged.send(anEmail({ idempotencyKey: 'other' })), EmailTemporaryError);

    expect(log.lines.map((l) => l.level)).to.deep.equal(['info', 'warn']);
    for (const { line } of log.lines) {
      expect(line).not.to.include('jordan.lee@example.com');
      expect(line).not.to.include(apiKey);
      expect(line).to.include(maskEmail('jordan.lee@example.com'));
    }
  });
});

describe('emails/mailer createOutboxMailer', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'outbox-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes the email as json, html and its attachments', async () => {
    const mailer = createOutboxMailer({ dir });
    const { id } = await mailer.send(
      anEmail({
        attachments: [
          { filename: 'invite.ics', content: 'BEGIN:VCALENDAR\r\n', contentType: 'text/calendar' },
        ],
      }),
    );

    const files = (await readdir(dir)).sort();
    expect(files).to.have.length(3);
    const json = files.find((f) => f.endsWith('.json'))!;
    expect(json).to.match(/^appointment-request-r1_approved-[0-9a-f]{12}\.json$/);
    const record = JSON.parse(await readFile(path.join(dir, json), 'utf8')) as Record<string, unknown>;
    expect(record).to.include({
      id,
      to: 'jordan.lee@example.com',
      idempotencyKey: 'appointment-request-r1/approved',
    });
    expect(
      await readFile(
        path.join(
          dir,
          files.find((f) => f.endsWith('.html'))!,
        ),
        'utf8',
      ),
    ).to.equal('<p>Your appointment is booked.</p>');
    expect(
      await readFile(
        path.join(
          dir,
          files.find((f) => f.endsWith('.invite.ics'))!,
        ),
        'utf8',
      ),
    ).to.equal('BEGIN:VCALENDAR\r\n');
  });

  it('writes nothing for a key it has already sent and returns the first id', async () => {
    const mailer = createOutboxMailer({ dir });
    const first = await mailer.send(anEmail());
    const before = await readdir(dir);
    const second = await createOutboxMailer({ dir }).send(
      anEmail({ subject: 'changed', html: '<p>changed</p>' }),
    );

    expect(second.id).to.equal(first.id);
    expect(await readdir(dir)).to.deep.equal(before);
    const html = await readFile(
      path.join(
        dir,
        before.find((f) => f.endsWith('.html'))!,
      ),
      'utf8',
    );
    expect(html).to.equal('<p>Your appointment is booked.</p>');
  });

  it('agrees on one id when the same key is sent concurrently', async () => {
    const mailer = createOutboxMailer({ dir });
    const ids = await Promise.all([1, 2, 3, 4].map(() => mailer.send(anEmail())));
    expect(new Set(ids.map((r) => r.id)).size).to.equal(1);
    expect((await readdir(dir)).filter((f) => f.endsWith('.json'))).to.have.length(1);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).to.have.length(0);
  });

  it('keeps different keys apart', async () => {
    const mailer = createOutboxMailer({ dir });
    const a = await mailer.send(anEmail({ idempotencyKey: 'x/1' }));
    const b = await mailer.send(anEmail({ idempotencyKey: 'x_1' }));
    expect(a.id).not.to.equal(b.id);
    expect((await readdir(dir)).filter((f) => f.endsWith('.json'))).to.have.length(2);
  });
});
