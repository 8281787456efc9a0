import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { useApi } from './context';
import { aClient, aPractice } from '../fixtures';
import { startCaptureServer, type CaptureServer, type CapturedEmail } from '../support/captureServer';
import type { Client, Practice } from '../../models';
import { oneTimeCodes } from '../../booking/oneTimeCodes';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { runApi } from '../../app/runtime';
import { createLogger } from '../../lib/logger';
import { httpClient } from '../support/http';

describe('portal sign-in for existing clients', () => {
  let capture: CaptureServer;
  before(async () => {
    capture = await startCaptureServer();
  });
  after(async () => {
    await capture.close();
  });
  beforeEach(() => capture.reset());
  // Codes are emailed by the worker (workflows/portalEmail.ts), so it runs here too.
  const ctx = useApi({
    worker: true,
    env: () => ({ RESEND_API_KEY: 're_test_key', RESEND_BASE_URL: capture.url }),
  });

  const requestCode = (slug: string, email: string, ip?: string) =>
    ctx.http.post(`/portal/${slug}/auth/code`, { email }, ip ? { headers: { 'x-forwarded-for': ip } } : {});
  const verify = (slug: string, email: string, code: string) =>
    ctx.http.post(`/portal/${slug}/auth/verify`, { email, code });

  /** Emails delivered to address, once at least n have arrived (codes go out after the 202). */
  async function deliveriesTo(address: string, n: number): Promise<CapturedEmail[]> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = capture.deliveries().filter((e) => e.to.includes(address));
      if (found.length >= n) return found;
      if (Date.now() > deadline) throw new Error(`expected ${n} emails to ${address}, got ${found.length}`);
      await sleep(20);
    }
  }

  function codeIn(email: CapturedEmail): string {
    const match = /^\s*(\d{6})\s*$/m.exec(email.text ?? '');
    if (!match) throw new Error(`no 6-digit code in: ${email.text}`);
    return match[1];
  }

  /** Requests a code for the client and returns the one that arrives by email. */
  async function codeFor(practice: Practice, client: Client): Promise<string> {
    const before = capture.deliveries().filter((e) => e.to.includes(client.email)).length;
    expect((await requestCode(practice.slug, client.email)).status).to.equal(202);
    const emails = await deliveriesTo(client.email, before + 1);
    return codeIn(emails[emails.length - 1]);
  }

  /**
   * Proves a request sent nothing: a later request for another client of the practice is delivered, and
   * nothing else has arrived by then.
   */
  async function settle(practice: Practice): Promise<void> {
    const sentinel = await aClient(ctx.db, practice);
    await codeFor(practice, sentinel);
    await sleep(100);
  }

  async function signIn(practice: Practice, client: Client): Promise<string> {
    const res = await verify(practice.slug, client.email, await codeFor(practice, client));
    expect(res.status).to.equal(200);
    return res.body.token as string;
  }

  const wrongCodeFor = (code: string) => (code === '000000' ? '111111' : '000000');

  it('emails a 6-digit code to a known client (address in any case) and answers 202', async () => {
    const practice = await aPractice(ctx.db, { name: 'Harbor Counseling' });
    const client = await aClient(ctx.db, practice, { email: 'jordan.rivera@example.test' });
    const res = await requestCode(practice.slug, 'Jordan.Rivera@Example.TEST');
    expect(res.status).to.equal(202);
    const [email] = await deliveriesTo('jordan.rivera@example.test', 1);
    expect(email.to).to.deep.equal([client.email]);
    expect(email.subject).to.contain('Harbor Counseling');
    const code = codeIn(email);
    expect(code).to.match(/^\d{6}$/);
    expect(email.subject).to.not.contain(code);
    expect(email.idempotencyKey).to.match(/^sign-in-code\/[0-9a-f-]{36}$/);
  });

  it('still delivers the code, once, when the provider fails for a while after the 202', async () => {
    const practice = await aPractice(ctx.db);
    const client = await aClient(ctx.db, practice);
    // Three 503s: the old in-process sender tried three times and dropped the code.
    capture.failNext(3, 503);
    expect((await requestCode(practice.slug, client.email)).status).to.equal(202);
    const [email] = await deliveriesTo(client.email, 1);
    expect(capture.attempts()).to.equal(4);
    const code = codeIn(email);
    await settle(practice);
    expect(capture.deliveries().filter((e) => e.to.includes(client.email))).to.have.length(1);
    expect((await verify(practice.slug, client.email, code)).status).to.equal(200);
  });

  it('answers an unknown address (or a client of another practice) identically and sends nothing', async () => {
    const practice = await aPractice(ctx.db);
    const other = await aPractice(ctx.db);
    const known = await aClient(ctx.db, practice);
    const elsewhere = await aClient(ctx.db, other, { email: 'only-at-other@example.test' });
    const knownRes = await requestCode(practice.slug, known.email);
    const unknownRes = await requestCode(practice.slug, 'nobody@example.test');
    const elsewhereRes = await requestCode(practice.slug, elsewhere.email);
    for (const res of [unknownRes, elsewhereRes]) {
      expect(res.status).to.equal(202);
      expect(res.body).to.deep.equal(knownRes.body);
      expect(res.headers.get('content-type')).to.equal(knownRes.headers.get('content-type'));
    }
    await deliveriesTo(known.email, 1);
    await settle(practice);
    expect(capture.deliveries().filter((e) => e.to.includes('nobody@example.test'))).to.have.length(0);
    expect(capture.deliveries().filter((e) => e.to.includes(elsewhere.email))).to.have.length(0);
    expect(capture.deliveries()).to.have.length(2);
  });

  it('exchanges the emailed code for a 2-hour client token that opens GET /portal/:slug/me', async () => {
    const practice = await aPractice(ctx.db);
    const client = await aClient(ctx.db, practice, { firstName: 'Robin', lastName: 'Okafor' });
    const code = await codeFor(practice, client);
    const res = await verify(practice.slug, client.email.toUpperCase(), code);
    expect(res.status).to.equal(200);
    expect(res.body.client).to.deep.equal({
      id: client.id,
      firstName: 'Robin',
      lastName: 'Okafor',
      email: client.email,
    });
    expect(res.body.expiresAt).to.equal('2026-06-01T14:00:00.000Z');
    expect((await ctx.http.get(`/portal/${practice.slug}/me`)).status, 'without a token').to.equal(401);
    const me = await ctx.http.get(`/portal/${practice.slug}/me`, { token: res.body.token });
    expect(me.status).to.equal(200);
    expect(me.body).to.include({
      id: client.id,
      firstName: 'Robin',
      lastName: 'Okafor',
      email: client.email,
    });
    ctx.clock.advance(2 * 3_600_000 + 60_000);
    expect(
      (await ctx.http.get(`/portal/${practice.slug}/me`, { token: res.body.token })).status,
      'after 2 hours',
    ).to.equal(401);
  });

  it('accepts a code once only', async () => {
    const practice = await aPractice(ctx.db);
    const client = await aClient(ctx.db, practice);
    const code = await codeFor(practice, client);
    expect((await verify(practice.slug, client.email, code)).status).to.equal(200);
    const again = await verify(practice.slug, client.email, code);
    expect(again.status).to.equal(401);
    expect(again.body.code).to.equal('INVALID_CODE');
  });

  it('counts wrong codes and kills the code after 5, even for the right code; unknown addresses get the same 401', async () => {
    const practice = await aPractice(ctx.db);
    const fourWrong = await aClient(ctx.db, practice);
    const code1 = await codeFor(practice, fourWrong);
    for (let i = 0; i < 4; i++) {
      expect((await verify(practice.slug, fourWrong.email, wrongCodeFor(code1))).status).to.equal(401);
    }
    expect((await verify(practice.slug, fourWrong.email, code1)).status, 'right code after 4 wrong').to.equal(
      200,
    );

    const fiveWrong = await aClient(ctx.db, practice);
    const code2 = await codeFor(practice, fiveWrong);
    let wrong;
    for (let i = 0; i < 5; i++) {
      wrong = await verify(practice.slug, fiveWrong.email, wrongCodeFor(code2));
      expect(wrong.status).to.equal(401);
      expect(wrong.body.code).to.equal('INVALID_CODE');
    }
    const dead = await verify(practice.slug, fiveWrong.email, code2);
    expect(dead.status, 'right code after 5 wrong').to.equal(401);
    expect(dead.body.code).to.equal('INVALID_CODE');

    const unknown = await verify(practice.slug, 'nobody@example.test', code2);
    expect(unknown.status).to.equal(401);
    expect(unknown.body).to.deep.equal(wrong!.body);
  });

  it('expires a code after 10 minutes', async () => {
    const practice = await aPractice(ctx.db);
    const client = await aClient(ctx.db, practice);
    const stale = await codeFor(practice, client);
    ctx.clock.advance(10 * 60_000 + 1000);
    const expired = await verify(practice.slug, client.email, stale);
    expect(expired.status).to.equal(401);
    expect(expired.body.code).to.equal('INVALID_CODE');

    const fresh = await codeFor(practice, client);
    ctx.clock.advance(9 * 60_000);
    expect((await verify(practice.slug, client.email, fresh)).status, 'within 10 minutes').to.equal(200);
  });

  it('lets a new code supersede an older unused one', async () => {
    const practice = await aPractice(ctx.db);
    const client = await aClient(ctx.db, practice);
    const first = await codeFor(practice, client);
    const second = await codeFor(practice, client);
    expect((await verify(practice.slug, client.email, first)).status, 'older code').to.equal(401);
    expect((await verify(practice.slug, client.email, second)).status, 'newer code').to.equal(200);
  });

  it('sends at most 5 codes per address and practice in an hour, then answers 429 alike for clients and strangers', async () => {
    const practice = await aPractice(ctx.db);
    const client = await aClient(ctx.db, practice);
    for (let i = 1; i <= 5; i++) await codeFor(practice, client);
    const stranger = 'nobody@example.test';
    for (let i = 1; i <= 5; i++) expect((await requestCode(practice.slug, stranger)).status).to.equal(202);
    const sixth = await requestCode(practice.slug, client.email);
    const strangersSixth = await requestCode(practice.slug, stranger);
    // A 202 promises a code on its way; past the limit none is, so the answer says so, the same for anyone.
    expect(sixth.status).to.equal(429);
    expect(sixth.body.code).to.equal('RATE_LIMITED');
    expect(Number(sixth.headers.get('retry-after'))).to.be.within(1, 3600);
    expect(strangersSixth.status).to.equal(429);
    expect(strangersSixth.body).to.deep.equal(sixth.body);
    expect(strangersSixth.headers.get('retry-after')).to.equal(sixth.headers.get('retry-after'));
    await settle(practice);
    expect(capture.deliveries().filter((e) => e.to.includes(client.email))).to.have.length(5);

    ctx.clock.advance(61 * 60_000);
    await codeFor(practice, client);
  });

  it('sends at most 30 codes per network address in an hour', async () => {
    const practice = await aPractice(ctx.db);
    const client = await aClient(ctx.db, practice);
    for (let i = 0; i < 30; i++) {
      expect((await requestCode(practice.slug, `stranger-${i}@example.test`, '203.0.113.7')).status).to.equal(
        202,
      );
    }
    const busy = await requestCode(practice.slug, client.email, '203.0.113.7');
    expect([busy.status, busy.body.code]).to.deep.equal([429, 'RATE_LIMITED']);
    await settle(practice);
    expect(
      capture.deliveries().filter((e) => e.to.includes(client.email)),
      'from the busy address',
    ).to.have.length(0);
    expect((await requestCode(practice.slug, client.email, '198.51.100.4')).status).to.equal(202);
    await deliveriesTo(client.email, 1);
  });

  it("answers 404 to a token of practice A on practice B's portal", async () => {
    const practiceA = await aPractice(ctx.db);
    const practiceB = await aPractice(ctx.db);
    const client = await aClient(ctx.db, practiceA, { lastName: 'Vasquez-Lind' });
    const token = await signIn(practiceA, client);
    const res = await ctx.http.get(`/portal/${practiceB.slug}/me`, { token });
    expect(res.status).to.equal(404);
    expect(res.body.code).to.equal('NOT_FOUND');
    expect(JSON.stringify(res.body)).to.not.contain('Vasquez-Lind');
    expect((await ctx.http.get(`/portal/${practiceA.slug}/me`, { token })).status).to.equal(200);
  });

  it('answers 404 on every sign-in route when the portal is off', async () => {
    const practice = await aPractice(ctx.db);
    const client = await aClient(ctx.db, practice);
    const token = await signIn(practice, client);
    const code = await codeFor(practice, client);
    await practice.update({ portalEnabled: false });
    expect((await requestCode(practice.slug, client.email)).status).to.equal(404);
    expect((await verify(practice.slug, client.email, code)).status).to.equal(404);
    expect((await ctx.http.get(`/portal/${practice.slug}/me`, { token })).status).to.equal(404);
  });

  it('stores nothing from which a code could be read: the code is derived from the row id with AUTH_SECRET', async () => {
    const practice = await aPractice(ctx.db);
    const first = await aClient(ctx.db, practice);
    const second = await aClient(ctx.db, practice);
    const codes = [await codeFor(practice, first), await codeFor(practice, second)];
    expect((await requestCode(practice.slug, 'nobody@example.test')).status).to.equal(202);
    const rows = await ctx.db.sequelize.query<Record<string, unknown>>(
      'SELECT * FROM client_sign_in_codes ORDER BY created_at, client_id',
      { type: QueryTypes.SELECT },
    );
    expect(rows).to.have.length(3);
    expect(
      rows.map((r) => r.client_id),
      'a stranger gets a row without a client',
    ).to.have.members([first.id, second.id, null]);
    for (const row of rows) {
      for (const value of Object.values(row)) {
        for (const code of codes) expect(String(value)).to.not.contain(code);
      }
    }
    const oneTime = oneTimeCodes(ctx.stack.config.authSecret!);
    const known = rows.filter((r) => r.client_id !== null);
    expect(known.map((r) => oneTime.codeFor('sign-in-code', r.id as string))).to.have.members(codes);
  });

  it('refuses malformed input with 400 naming the field, and sends nothing', async () => {
    const practice = await aPractice(ctx.db);
    const client = await aClient(ctx.db, practice);
    const cases: [string, Record<string, unknown>, string][] = [
      ['code', { email: 'not-an-email' }, '/email'],
      ['code', { email: client.email, remember: true }, '/remember'],
      ['verify', { email: client.email, code: '12345' }, '/code'],
      ['verify', { email: client.email, code: '1234567' }, '/code'],
      ['verify', { email: client.email, code: '12345a' }, '/code'],
      ['verify', { email: client.email, code: 123456 }, '/code'],
      ['verify', { email: 'nope', code: '123456' }, '/email'],
      ['verify', { email: client.email }, '/code'],
    ];
    for (const [route, body, field] of cases) {
      const res = await ctx.http.post(`/portal/${practice.slug}/auth/${route}`, body);
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.body.field, JSON.stringify(body)).to.equal(field);
    }
    await settle(practice);
    expect(capture.deliveries().filter((e) => e.to.includes(client.email))).to.have.length(0);
    const [{ n }] = await ctx.db.sequelize.query<{ n: string }>(
      "SELECT count(*) AS n FROM auth_failures WHERE key LIKE 'sign-in-code:%'",
      {
        type: QueryTypes.SELECT,
      },
    );
    expect(Number(n), 'only the settling request was counted').to.equal(1);
  });

  it('signs out: the token is refused with 401 at once on every client route, other devices stay signed in', async () => {
    const practice = await aPractice(ctx.db);
    const client = await aClient(ctx.db, practice);
    const token = await signIn(practice, client);
    const otherDevice = await signIn(practice, client);
    expect((await ctx.http.get(`/portal/${practice.slug}/me`, { token })).status).to.equal(200);
    const out = await ctx.http.post(`/portal/${practice.slug}/auth/logout`, undefined, { token });
    expect(out.status, JSON.stringify(out.body)).to.equal(204);
    expect((await ctx.http.get(`/portal/${practice.slug}/me`, { token })).status).to.equal(401);
    expect((await ctx.http.get(`/portal/${practice.slug}/me/requests`, { token })).status).to.equal(401);
    expect(
      (await ctx.http.post(`/portal/${practice.slug}/requests`, {}, { token })).status,
      'a route where the token is optional refuses it too',
    ).to.equal(401);
    expect(
      (await ctx.http.post(`/portal/${practice.slug}/auth/logout`, undefined, { token })).status,
    ).to.equal(401);
    expect((await ctx.http.post(`/portal/${practice.slug}/auth/logout`)).status, 'no token').to.equal(401);
    expect((await ctx.http.get(`/portal/${practice.slug}/me`, { token: otherDevice })).status).to.equal(200);
    // The token would have expired anyway after 2 hours; a sign-out after that prunes the row.
    ctx.clock.advance(2 * 3_600_000 + 60_000);
    const later = await signIn(practice, client);
    expect(
      (await ctx.http.post(`/portal/${practice.slug}/auth/logout`, undefined, { token: later })).status,
    ).to.equal(204);
    const [{ n }] = await ctx.db.sequelize.query<{ n: string }>(
      'SELECT count(*) AS n FROM revoked_client_tokens',
      {
        type: QueryTypes.SELECT,
      },
    );
    expect(Number(n)).to.equal(1);
  });

  it('answers 503 and sends nothing when the email cannot be handed to Temporal, alike for clients and strangers', async () => {
    const practice = await aPractice(ctx.db);
    const client = await aClient(ctx.db, practice);
    // The same API and database, with a Temporal client that can reach no server.
    const unreachable = new TemporalClient({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    const api = await runApi(
      { ...ctx.stack.config, port: 0 },
      { db: ctx.db, temporal: unreachable, clock: ctx.clock, log: createLogger('silent') },
    );
    try {
      const down = httpClient(api.url);
      const known = await down.post(`/portal/${practice.slug}/auth/code`, { email: client.email });
      const unknown = await down.post(`/portal/${practice.slug}/auth/code`, { email: 'nobody@example.test' });
      expect(known.status).to.equal(503);
      expect(known.headers.get('retry-after')).to.match(/^\d+$/);
      expect(unknown.status).to.equal(503);
      expect(unknown.body).to.deep.equal(known.body);
      const [{ n }] = await ctx.db.sequelize.query<{ n: string }>(
        "SELECT count(*) AS n FROM auth_failures WHERE key LIKE 'sign-in-code%'",
        { type: QueryTypes.SELECT },
      );
      expect(Number(n), 'a 503 uses up none of the limits').to.equal(0);
    } finally {
      for (const stop of api.stops) await stop();
      await unreachable.connection.close();
    }
    await settle(practice);
    expect(capture.deliveries().filter((e) => e.to.includes(client.email))).to.have.length(0);
    // Once Temporal answers, the same request is a 202 and the code arrives.
    await codeFor(practice, client);
  });
});
