import { expect } from 'chai';
import { useApi } from './context';
import { aPractice, aStaffUser, fixturePassword } from '../fixtures';
import type { TestResponse } from '../support/http';

/** The session cookie a Set-Cookie header carries, as the browser would send it back ("name=value"). */
function cookieOf(res: TestResponse): string {
  const set = res.headers.getSetCookie().find((c) => c.startsWith('staff_session='));
  if (!set) throw new Error(`no session cookie in ${JSON.stringify(res.headers.getSetCookie())}`);
  return set.split(';')[0];
}

describe('staff sessions in an HttpOnly cookie, with CSRF protection', () => {
  const ctx = useApi();
  const dashboard = { 'x-requested-with': 'dashboard' };

  async function cookieSignIn(role: 'admin_clinician' | 'clinician' = 'admin_clinician') {
    const practice = await aPractice(ctx.db);
    const user = await aStaffUser(ctx.db, practice, { role });
    const res = await ctx.http.post(
      '/api/auth/session',
      { email: user.email, password: fixturePassword },
      { headers: dashboard },
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return { practice, user, res, cookie: cookieOf(res) };
  }

  it('signs in into an HttpOnly, SameSite cookie and answers no token to the page', async () => {
    const { user, res, cookie } = await cookieSignIn();
    const set = res.headers.getSetCookie().find((c) => c.startsWith('staff_session='))!;
    expect(set).to.match(/HttpOnly/i);
    expect(set).to.match(/SameSite=Lax/i);
    expect(set).to.match(/Path=\//);
    expect(set).to.match(/Max-Age=43200/, "the session's 12 hours");
    // Plain http in tests; Secure is for https and production (below).
    expect(set).to.not.match(/Secure/i);
    expect(res.body).to.not.have.property('token');
    expect(res.body.user.id).to.equal(user.id);
    expect(res.body.idleTimeoutMinutes).to.equal(30);

    const session = await ctx.http.get('/api/auth/session', { headers: { cookie } });
    expect(session.status).to.equal(200);
    expect(session.body.user.id).to.equal(user.id);
    expect(session.body.expiresAt).to.equal(res.body.expiresAt);
    expect((await ctx.http.get('/api/auth/me', { headers: { cookie } })).body.id).to.equal(user.id);
  });

  it('refuses a change sent with the cookie but without the dashboard header, or from another origin: 403, nothing written', async () => {
    const { practice, cookie } = await cookieSignIn();
    const auditBefore = await ctx.db.AuditEntry.count();
    const forged = await ctx.http.patch(
      '/api/practice/client-portal',
      { allowNewClients: false },
      { headers: { cookie } },
    );
    expect(forged.status).to.equal(403);
    expect(forged.body.code).to.equal('CSRF');
    const otherOrigin = await ctx.http.patch(
      '/api/practice/client-portal',
      { allowNewClients: false },
      { headers: { cookie, ...dashboard, origin: 'https://evil.example' } },
    );
    expect(otherOrigin.status).to.equal(403);
    await practice.reload();
    expect(practice.allowNewClients).to.equal(true);
    expect(await ctx.db.AuditEntry.count()).to.equal(auditBefore);

    const own = await ctx.http.patch(
      '/api/practice/client-portal',
      { allowNewClients: false },
      { headers: { cookie, ...dashboard, origin: 'http://portal.test' } },
    );
    expect(own.status).to.equal(200);
    await practice.reload();
    expect(practice.allowNewClients).to.equal(false);
  });

  it('refuses a cookie sign-in that is not sent by the dashboard (login CSRF), opening no session', async () => {
    const practice = await aPractice(ctx.db);
    const user = await aStaffUser(ctx.db, practice);
    const res = await ctx.http.post('/api/auth/session', { email: user.email, password: fixturePassword });
    expect(res.status).to.equal(403);
    expect(res.headers.getSetCookie()).to.deep.equal([]);
    const [rows] = await ctx.db.sequelize.query('SELECT id FROM staff_sessions WHERE user_id = :id', {
      replacements: { id: user.id },
    });
    expect(rows).to.have.length(0);
  });

  it('leaves bearer tokens as they were: no CSRF header needed, the cookie not consulted', async () => {
    const practice = await aPractice(ctx.db);
    const admin = await aStaffUser(ctx.db, practice, { role: 'admin_clinician' });
    const token = await ctx.http.signIn(admin.email, fixturePassword);
    const res = await ctx.http.patch(
      '/api/practice/client-portal',
      { allowNewClients: false },
      { token, headers: { origin: 'https://api-client.example' } },
    );
    expect(res.status).to.equal(200);
    // A bearer header decides alone: a valid cookie next to a bad bearer token does not rescue it.
    const { cookie } = await cookieSignIn();
    const bad = await ctx.http.get('/api/auth/me', { headers: { cookie, authorization: 'Bearer nope' } });
    expect(bad.status).to.equal(401);
  });

  it('signs out: the session is revoked and the cookie cleared', async () => {
    const { cookie } = await cookieSignIn('clinician');
    const withoutHeader = await ctx.http.post('/api/auth/logout', undefined, { headers: { cookie } });
    expect(withoutHeader.status, 'logout is a change too').to.equal(403);
    const out = await ctx.http.post('/api/auth/logout', undefined, { headers: { cookie, ...dashboard } });
    expect(out.status).to.equal(204);
    const cleared = out.headers.getSetCookie().find((c) => c.startsWith('staff_session='))!;
    expect(cleared).to.match(/^staff_session=;/);
    expect(cleared).to.match(/Expires=Thu, 01 Jan 1970/);
    // The old cookie, replayed, no longer opens anything.
    expect((await ctx.http.get('/api/auth/session', { headers: { cookie } })).status).to.equal(401);
  });

  it('keeps the idle timeout for cookie sessions', async () => {
    const { cookie } = await cookieSignIn('clinician');
    ctx.clock.advance(29 * 60_000);
    expect((await ctx.http.get('/api/auth/session', { headers: { cookie } })).status).to.equal(200);
    ctx.clock.advance(31 * 60_000);
    expect((await ctx.http.get('/api/auth/session', { headers: { cookie } })).status).to.equal(401);
  });
});

describe('staff session cookie over https', () => {
  const ctx = useApi({ env: { TRUST_PROXY: 'loopback' } });

  it('is Secure when the request came over https (here through a trusted proxy)', async () => {
    const practice = await aPractice(ctx.db);
    const user = await aStaffUser(ctx.db, practice);
    const res = await ctx.http.post(
      '/api/auth/session',
      { email: user.email, password: fixturePassword },
      { headers: { 'x-requested-with': 'dashboard', 'x-forwarded-proto': 'https' } },
    );
    expect(res.status).to.equal(200);
    expect(cookieOf(res)).to.match(/^staff_session=/);
    expect(res.headers.getSetCookie()[0]).to.match(/; Secure/);
  });
});
