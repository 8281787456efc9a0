import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { useApi } from './context';
import { aClient, aClinician, aPractice, aService } from '../fixtures';
import { startCaptureServer, type CaptureServer } from '../support/captureServer';
import { emailVerificationCode } from '../support/verification';
import { httpClient } from '../support/http';
import { MAX_PENDING_PER_EMAIL } from '../../booking/submitRequest';
import { oneTimeCodes } from '../../booking/oneTimeCodes';
import { runApi } from '../../app/runtime';
import { createLogger } from '../../lib/logger';
import { TokenService } from '../../api/auth/tokens';
import { type Practice, type Service, type StaffUser } from '../../models';

// Monday 1 June 2026, 12:00 UTC. Clinicians see clients 09:00-17:00 New York time on weekdays, every 30 minutes.
const NOW = '2026-06-01T12:00:00Z';
const DAY = 86_400_000;
/** The n-th bookable 30-minute start from Wednesday 3 June on (16 a day, weekdays only). */
function slot(n: number): string {
  const weekdays = [3, 4, 5, 8, 9, 10, 11, 12, 15, 16, 17, 18, 19];
  const day = weekdays[Math.floor(n / 16)];
  return new Date(Date.UTC(2026, 5, day, 13, 0) + (n % 16) * 30 * 60_000).toISOString();
}

describe('new clients verify their email before anything is held', function () {
  this.timeout(180_000);
  let capture: CaptureServer;
  before(async () => {
    capture = await startCaptureServer();
  });
  after(async () => {
    await capture.close();
  });
  const ctx = useApi({
    worker: true,
    now: NOW,
    env: () => ({ RESEND_API_KEY: 're_test_key', RESEND_BASE_URL: capture.url }),
  });

  let practice: Practice;
  let consultation: Service;
  let clinicians: StaffUser[];
  beforeEach(async () => {
    capture.reset();
    practice = await aPractice(ctx.db);
    consultation = await aService(ctx.db, practice, { name: 'Initial consultation', durationMinutes: 30 });
    clinicians = [];
    for (let i = 0; i < 2; i++) {
      clinicians.push(
        await aClinician(ctx.db, practice, {
          preferences: {
            initialConsultationServiceId: consultation.id,
            startTimeIntervalMinutes: 30,
            minimumNoticeHours: 24,
          },
        }),
      );
    }
  });

  const person = (email: string) => ({ firstName: 'Robin', lastName: 'Reyes', email, phone: '+1 555 0123' });
  const verify = (email: string, ip?: string) =>
    emailVerificationCode(ctx.http, capture, practice.slug, email, { ip });
  const askCode = (email: string, ip?: string) =>
    ctx.http.post(
      `/portal/${practice.slug}/email-verifications`,
      { email },
      ip ? { headers: { 'x-forwarded-for': ip } } : {},
    );
  const request = (
    body: { email: string; code?: string; n: number; clinician?: StaffUser },
    ip = `198.51.100.${1 + (body.n % 250)}`,
  ) =>
    ctx.http.post(
      `/portal/${practice.slug}/requests`,
      {
        clinicianId: (body.clinician ?? clinicians[0]).id,
        serviceId: consultation.id,
        startsAt: slot(body.n),
        newClient: person(body.email),
        ...(body.code !== undefined ? { emailVerificationCode: body.code } : {}),
      },
      { headers: { 'x-forwarded-for': ip } },
    );
  /** Open initial-consultation slots of a clinician over the next two weeks, as the portal lists them. */
  async function openSlots(clinician: StaffUser): Promise<number> {
    const q = new URLSearchParams({
      clinicianId: clinician.id,
      serviceId: consultation.id,
      from: NOW,
      to: new Date(Date.parse(NOW) + 14 * DAY).toISOString(),
    });
    const res = await ctx.http.get(`/portal/${practice.slug}/availability?${q}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body.slots.length as number;
  }
  /** A code that is not the live one for this address (whatever it is), as a stranger would guess. */
  async function wrongCodeFor(email: string): Promise<string> {
    const [row] = await ctx.db.sequelize.query<{ id: string }>(
      'SELECT id FROM email_verifications WHERE practice_id = :p AND email = :email AND superseded_at IS NULL',
      { replacements: { p: practice.id, email: email.toLowerCase() }, type: QueryTypes.SELECT },
    );
    const real = row ? oneTimeCodes(ctx.stack.config.authSecret!).codeFor('email-verification', row.id) : '';
    return real === '123456' ? '654321' : '123456';
  }

  it('34 requests from 12 invented, never-verified addresses hold nothing: every one 422 EMAIL_NOT_VERIFIED', async () => {
    const before = await openSlots(clinicians[0]);
    expect(before).to.be.greaterThan(100);
    const invented = Array.from(
      { length: 12 },
      (_, i) => `stranger-${i}-${randomUUID().slice(0, 6)}@invented.example`,
    );
    // The stranger even asks for codes for half of them, which they cannot read, and guesses.
    for (const email of invented.slice(0, 6))
      expect((await askCode(email, '203.0.113.9')).status).to.equal(202);
    const answers = [];
    for (let n = 0; n < 34; n++) {
      const email = invented[n % 12];
      const code = n % 3 === 0 ? undefined : await wrongCodeFor(email);
      answers.push(await request({ email, code, n }));
    }
    expect(answers.map((a) => `${a.status} ${a.body.code}`)).to.deep.equal(
      Array(34).fill('422 EMAIL_NOT_VERIFIED'),
    );
    expect(answers[0].body.field).to.equal('/emailVerificationCode');
    expect(await ctx.db.TimeHold.count()).to.equal(0);
    expect(await ctx.db.AppointmentRequest.count()).to.equal(0);
    expect(await openSlots(clinicians[0])).to.equal(before);
  });

  it(`one mailbox, verified under many dot, case and +tag variants, holds at most ${MAX_PENDING_PER_EMAIL} slots`, async () => {
    const variants = [
      'jordan.rivera@gmail.com',
      'JordanRivera@gmail.com',
      'jordan.rivera+a@gmail.com',
      'j.o.r.d.a.n.rivera@googlemail.com',
      'jordanrivera+b@GMAIL.com',
    ];
    const codes: string[] = [];
    // Each from a network of its own: the mailbox, not the address, is what is counted.
    for (const [i, email] of variants.entries()) codes.push(await verify(email, `192.0.2.${10 + i}`));
    const sixth = await askCode('jordan.rivera+c@gmail.com', '192.0.2.99');
    expect([sixth.status, sixth.body.code], 'a sixth code for the mailbox within the hour').to.deep.equal([
      429,
      'RATE_LIMITED',
    ]);
    // Ten requests at once, spread over two clinicians and every verified variant.
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, n) =>
        request({
          email: variants[n % variants.length],
          code: codes[n % variants.length],
          n,
          clinician: clinicians[n % 2],
        }),
      ),
    );
    const statuses = answers.map((a) => `${a.status} ${a.body.code ?? ''}`.trim()).sort();
    expect(statuses).to.deep.equal([
      ...Array(MAX_PENDING_PER_EMAIL).fill('201'),
      ...Array(10 - MAX_PENDING_PER_EMAIL).fill('429 TOO_MANY_PENDING_REQUESTS'),
    ]);
    expect(await ctx.db.TimeHold.count()).to.equal(MAX_PENDING_PER_EMAIL);
    const rows = await ctx.db.AppointmentRequest.findAll();
    expect(rows.map((r) => r.mailbox)).to.deep.equal(
      Array(MAX_PENDING_PER_EMAIL).fill('jordanrivera@gmail.com'),
    );
  });

  it('a code is valid 15 minutes for its first use, then for 2 hours for that address (a retry after a conflict, a second request)', async () => {
    const email = 'ana.lopez@example.test';
    const code = await verify(email);
    expect((await request({ email, code, n: 0 })).status).to.equal(201);
    const conflict = await request({ email: 'Ana.Lopez@Example.test', code, n: 0, clinician: clinicians[0] });
    expect([conflict.status, conflict.body.code], 'the slot is now held').to.deep.equal([
      409,
      'SLOT_UNAVAILABLE',
    ]);
    ctx.clock.advance(90 * 60_000);
    expect((await request({ email, code, n: 1 })).status, 'another slot, 90 minutes later').to.equal(201);
    ctx.clock.advance(31 * 60_000);
    const late = await request({ email, code, n: 2 });
    expect([late.status, late.body.code], 'past 2 hours from its first use').to.deep.equal([
      422,
      'EMAIL_NOT_VERIFIED',
    ]);

    const unused = 'sam.okafor@example.test';
    const stale = await verify(unused);
    ctx.clock.advance(15 * 60_000 + 1_000);
    expect((await request({ email: unused, code: stale, n: 3 })).status, 'unused for 15 minutes').to.equal(
      422,
    );
    const fresh = await verify(unused);
    ctx.clock.advance(14 * 60_000);
    expect((await request({ email: unused, code: fresh, n: 3 })).status, 'within 15 minutes').to.equal(201);
    expect(await ctx.db.TimeHold.count()).to.equal(3);
  });

  it('a code proves one address only, dies after 5 wrong tries, and a newer code replaces it', async () => {
    const email = 'kim.nguyen@example.test';
    const code = await verify(email);
    const other = await request({ email: 'someone.else@example.test', code, n: 0 });
    expect([other.status, other.body.code]).to.deep.equal([422, 'EMAIL_NOT_VERIFIED']);
    const wrong = await wrongCodeFor(email);
    for (let i = 0; i < 5; i++) expect((await request({ email, code: wrong, n: 0 })).status).to.equal(422);
    expect((await request({ email, code, n: 0 })).status, 'the right code after 5 wrong').to.equal(422);
    const second = await verify(email);
    const third = await verify(email);
    expect((await request({ email, code: second, n: 0 })).status, 'a replaced code').to.equal(
      second === third ? 201 : 422,
    );
    expect((await request({ email, code: third, n: 1 })).status, 'the newest code').to.equal(201);
    expect(await ctx.db.TimeHold.count()).to.equal(second === third ? 2 : 1);
  });

  it('answers every address alike, refuses bad input with 400 naming the field, and needs no code from a signed-in client', async () => {
    const client = await aClient(ctx.db, practice);
    const forClient = await askCode(client.email);
    const forStranger = await askCode('nobody-here@example.test');
    expect(forClient.status).to.equal(202);
    expect(forStranger.body).to.deep.equal(forClient.body);
    expect(forClient.body.validForMinutes).to.equal(15);
    for (const [body, field] of [
      [{ email: 'not-an-email' }, '/email'],
      [{}, '/email'],
      [{ email: 'a@example.test', extra: 1 }, '/extra'],
    ] as const) {
      const res = await ctx.http.post(`/portal/${practice.slug}/email-verifications`, body);
      expect([res.status, res.body.field], JSON.stringify(body)).to.deep.equal([400, field]);
    }
    const malformed = await request({ email: 'x@example.test', code: '12345', n: 0 });
    expect([malformed.status, malformed.body.field]).to.deep.equal([400, '/emailVerificationCode']);

    const token = await new TokenService(ctx.stack.config.authSecret!, ctx.clock).sign(
      { typ: 'client', sub: client.id, pid: practice.id },
      new Date(Date.parse(NOW) + 3_600_000),
    );
    const body = { clinicianId: clinicians[0].id, serviceId: consultation.id, startsAt: slot(0) };
    const withCode = await ctx.http.post(
      `/portal/${practice.slug}/requests`,
      { ...body, emailVerificationCode: '123456' },
      { token },
    );
    expect([withCode.status, withCode.body.field]).to.deep.equal([400, '/emailVerificationCode']);
    expect((await ctx.http.post(`/portal/${practice.slug}/requests`, body, { token })).status).to.equal(201);

    await practice.update({ allowNewClients: false });
    const closed = await askCode('new-person@example.test');
    expect([closed.status, closed.body.code]).to.deep.equal([403, 'NEW_CLIENTS_NOT_ACCEPTED']);
  });

  it('limits codes per network address, and answers 503 with nothing sent when Temporal cannot take the email', async () => {
    for (let i = 0; i < 20; i++)
      expect((await askCode(`visitor-${i}@example.test`, '203.0.113.50')).status).to.equal(202);
    const over = await askCode('visitor-20@example.test', '203.0.113.50');
    expect([over.status, over.body.code]).to.deep.equal([429, 'RATE_LIMITED']);
    expect(Number(over.headers.get('retry-after'))).to.be.within(1, 3600);

    const unreachable = new TemporalClient({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    const api = await runApi(
      { ...ctx.stack.config, port: 0 },
      { db: ctx.db, temporal: unreachable, clock: ctx.clock, log: createLogger('silent') },
    );
    try {
      const down = await httpClient(api.url).post(`/portal/${practice.slug}/email-verifications`, {
        email: 'during-outage@example.test',
      });
      expect([down.status, down.body.code]).to.deep.equal([503, 'SERVICE_UNAVAILABLE']);
      const [{ n }] = await ctx.db.sequelize.query<{ n: string }>(
        "SELECT count(*) AS n FROM auth_failures WHERE key LIKE 'email-verification:%'",
        { type: QueryTypes.SELECT },
      );
      expect(Number(n), 'a 503 uses up none of the mailbox limit').to.equal(20);
    } finally {
      for (const stop of api.stops) await stop();
      await unreachable.connection.close();
    }
    const code = await verify('during-outage@example.test');
    expect(
      capture.deliveries().filter((e) => e.to.includes('during-outage@example.test')),
      'only the code asked for once Temporal answered',
    ).to.have.length(1);
    expect((await request({ email: 'during-outage@example.test', code, n: 0 })).status).to.equal(201);
  });
});
