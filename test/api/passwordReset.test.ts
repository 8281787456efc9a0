import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { useApi } from './context';
import { startCaptureServer, type CaptureServer } from '../support/captureServer';
import { aPractice, aStaffUser, fixturePassword } from '../fixtures';
import { passwordResetEmailWorkflowId } from '../../temporal/passwordResetEmails';
import { linkTokenHash } from '../../booking/oneTimeCodes';

const NEW_PASSWORD = 'a brand new passphrase';

describe('staff password reset by emailed link', function () {
  this.timeout(120_000);
  let capture: CaptureServer;
  before(async () => {
    capture = await startCaptureServer();
  });
  after(async () => {
    await capture?.close();
  });
  beforeEach(() => capture.reset());
  const ctx = useApi({
    worker: true,
    env: () => ({ RESEND_API_KEY: 're_test_key', RESEND_BASE_URL: capture.url }),
  });

  const resetRows = () =>
    ctx.db.sequelize.query<{ id: string; user_id: string | null; token_hash: string }>(
      'SELECT id, user_id, token_hash FROM staff_password_resets ORDER BY created_at, user_id NULLS LAST',
      { type: QueryTypes.SELECT },
    );

  /** The token of the reset link emailed to address (the newest such email). */
  async function linkTokenFor(address: string, after?: string): Promise<string> {
    const email = await capture.waitFor(
      (e) => e.to.includes(address) && e.subject.startsWith('Reset your') && e.idempotencyKey !== after,
      30_000,
    );
    const url = /https?:\/\/\S+\/app\/reset-password\?token=([A-Za-z0-9_%-]+)/.exec(email.text ?? '');
    expect(url, email.text).to.not.equal(null);
    return decodeURIComponent(url?.[1] ?? '');
  }

  it('emails a link that sets a new password once, ends every session, and is audited', async () => {
    const practice = await aPractice(ctx.db, { name: 'Harbor Counseling' });
    const user = await aStaffUser(ctx.db, practice, { firstName: 'Maya' });
    const session = await ctx.http.signIn(user.email, fixturePassword);
    const other = await ctx.http.signIn(user.email, fixturePassword);

    const asked = await ctx.http.post('/api/auth/password-reset', { email: user.email.toUpperCase() });
    expect(asked.status).to.equal(202);
    const token = await linkTokenFor(user.email);
    const email = capture.deliveries().find((e) => e.to.includes(user.email))!;
    expect(email.subject).to.equal('Reset your Harbor Counseling password');
    expect(email.text).to.include('http://portal.test/app/reset-password?token=');
    // Only the hash is stored: the table does not give the link away.
    const [row] = await resetRows();
    expect(row.user_id).to.equal(user.id);
    expect(row.token_hash).to.equal(linkTokenHash(token));
    expect(JSON.stringify(await resetRows())).to.not.include(token);

    const done = await ctx.http.post('/api/auth/password-reset/confirm', { token, password: NEW_PASSWORD });
    expect(done.status).to.equal(204);
    for (const t of [session, other])
      expect((await ctx.http.get('/api/auth/me', { token: t })).status, 'old sessions end').to.equal(401);
    expect(
      (await ctx.http.post('/api/auth/login', { email: user.email, password: fixturePassword })).status,
    ).to.equal(401);
    expect(
      (await ctx.http.post('/api/auth/login', { email: user.email, password: NEW_PASSWORD })).status,
    ).to.equal(200);
    const audit = await ctx.db.AuditEntry.findAll({ where: { action: 'staff.password.reset' } });
    expect(audit).to.have.length(1);
    expect(audit[0]).to.include({ actorId: user.id, entityId: user.id, practiceId: practice.id });
    expect(JSON.stringify(audit[0].newValue)).to.not.match(/argon2/);

    const again = await ctx.http.post('/api/auth/password-reset/confirm', {
      token,
      password: 'yet another one',
    });
    expect(again.status).to.equal(410);
    expect(again.body.code).to.equal('LINK_USED');
    expect(again.body.detail).to.equal(
      'This link has already been used, or a newer one was sent. Ask for a new one if you still need it.',
    );
    expect(
      (await ctx.http.post('/api/auth/login', { email: user.email, password: NEW_PASSWORD })).status,
    ).to.equal(200);
  });

  it('answers an unknown address exactly like a known one, by the same path: a row, a workflow, only no email', async () => {
    const practice = await aPractice(ctx.db);
    const user = await aStaffUser(ctx.db, practice);
    const known = await ctx.http.post('/api/auth/password-reset', { email: user.email });
    const unknown = await ctx.http.post('/api/auth/password-reset', { email: 'nobody@example.test' });
    expect(unknown.status).to.equal(known.status).and.equal(202);
    expect(unknown.body).to.deep.equal(known.body);
    expect(unknown.headers.get('content-length')).to.equal(known.headers.get('content-length'));

    // The same work before either answer: one row each (the unknown one with nobody behind it and no address
    // kept) and one started workflow each; the unknown one's finds nobody and sends nothing.
    const rows = await resetRows();
    expect(rows.map((r) => r.user_id)).to.deep.equal([user.id, null]);
    const results = await Promise.all(
      rows.map((r) => ctx.stack.temporal.workflow.getHandle(passwordResetEmailWorkflowId(r.id)).result()),
    );
    expect(results).to.deep.equal(['sent', 'skipped']);
    expect(JSON.stringify(rows)).to.not.include('nobody');
    expect(capture.deliveries().map((e) => e.to)).to.deep.equal([[user.email]]);
  });

  it('refuses a link after one hour with 410 and a sentence, changing nothing', async () => {
    const practice = await aPractice(ctx.db);
    const user = await aStaffUser(ctx.db, practice);
    const session = await ctx.http.signIn(user.email, fixturePassword);
    await ctx.http.post('/api/auth/password-reset', { email: user.email });
    const token = await linkTokenFor(user.email);
    ctx.clock.advance(60 * 60_000 + 1);
    // The session is kept alive by use, so only the link's age is under test.
    const res = await ctx.http.post('/api/auth/password-reset/confirm', { token, password: NEW_PASSWORD });
    expect(res.status).to.equal(410);
    expect(res.body.code).to.equal('LINK_EXPIRED');
    expect(res.body.detail).to.equal(
      'This link has expired: reset links work for one hour. Ask for a new one.',
    );
    const auditBefore = await ctx.db.AuditEntry.count();
    expect(auditBefore).to.equal(0);
    expect(
      (await ctx.http.post('/api/auth/login', { email: user.email, password: fixturePassword })).status,
    ).to.equal(200);
    const [{ revoked }] = await ctx.db.sequelize.query<{ revoked: string }>(
      'SELECT count(*) AS revoked FROM staff_sessions WHERE user_id = :id AND revoked_at IS NOT NULL',
      { replacements: { id: user.id }, type: QueryTypes.SELECT },
    );
    expect(Number(revoked)).to.equal(0);
    expect(session).to.be.a('string');
  });

  it('lets only the newest link work, and refuses a made-up token', async () => {
    const practice = await aPractice(ctx.db);
    const user = await aStaffUser(ctx.db, practice);
    await ctx.http.post('/api/auth/password-reset', { email: user.email });
    const first = await linkTokenFor(user.email);
    const firstKey = capture.deliveries()[0].idempotencyKey;
    await ctx.http.post('/api/auth/password-reset', { email: user.email });
    const second = await linkTokenFor(user.email, firstKey);
    expect(second).to.not.equal(first);
    const old = await ctx.http.post('/api/auth/password-reset/confirm', {
      token: first,
      password: NEW_PASSWORD,
    });
    expect(old.status).to.equal(410);
    expect(old.body.code).to.equal('LINK_USED');
    const madeUp = await ctx.http.post('/api/auth/password-reset/confirm', {
      token: 'made-up-token',
      password: NEW_PASSWORD,
    });
    expect(madeUp.status).to.equal(410);
    expect(madeUp.body.detail).to.match(/not valid/);
    expect(
      (await ctx.http.post('/api/auth/password-reset/confirm', { token: second, password: NEW_PASSWORD }))
        .status,
    ).to.equal(204);
  });

  it('limits links per address to 3 an hour (the same 429 for unknown addresses), writing nothing when refused', async () => {
    const practice = await aPractice(ctx.db);
    const user = await aStaffUser(ctx.db, practice);
    for (const email of [user.email, 'nobody@example.test']) {
      for (let i = 0; i < 3; i++)
        expect((await ctx.http.post('/api/auth/password-reset', { email })).status).to.equal(202);
      const refused = await ctx.http.post('/api/auth/password-reset', { email });
      expect(refused.status).to.equal(429);
      expect(Number(refused.headers.get('retry-after'))).to.be.greaterThan(0);
    }
    expect(await resetRows()).to.have.length(6);
    ctx.clock.advance(61 * 60_000);
    expect((await ctx.http.post('/api/auth/password-reset', { email: user.email })).status).to.equal(202);
  });

  it('refuses bad input with 400 naming the field, writing nothing', async () => {
    const practice = await aPractice(ctx.db);
    const user = await aStaffUser(ctx.db, practice);
    const bad = await ctx.http.post('/api/auth/password-reset', { email: 'not an email' });
    expect(bad.status).to.equal(400);
    expect(bad.body.field).to.equal('/email');
    await ctx.http.post('/api/auth/password-reset', { email: user.email });
    const token = await linkTokenFor(user.email);
    const short = await ctx.http.post('/api/auth/password-reset/confirm', { token, password: 'short' });
    expect(short.status).to.equal(400);
    expect(short.body.field).to.equal('/password');
    expect(await resetRows()).to.have.length(1);
    // The link still works: a refused password spent nothing.
    expect(
      (await ctx.http.post('/api/auth/password-reset/confirm', { token, password: NEW_PASSWORD })).status,
    ).to.equal(204);
  });
});
