import { expect } from 'chai';
import { useApi } from './context';
import { aPractice, aStaffUser, fixturePassword } from '../fixtures';
import { hashPassword } from '../../lib/passwords';

describe('staff sign-in', () => {
  const ctx = useApi();

  it('signs in with email (any case) and password, and the token opens staff routes', async () => {
    const practice = await aPractice(ctx.db);
    const user = await aStaffUser(ctx.db, practice, {
      email: 'dr.lee@example.test',
      passwordHash: await hashPassword('s3cret-pass'),
    });
    const res = await ctx.http.post('/api/auth/login', {
      email: 'Dr.Lee@Example.test',
      password: 's3cret-pass',
    });
    expect(res.status).to.equal(200);
    expect(res.body.user).to.include({ id: user.id, role: 'clinician' });
    expect(res.body.user).to.not.have.property('passwordHash');
    const me = await ctx.http.get('/api/auth/me', { token: res.body.token });
    expect(me.status).to.equal(200);
    expect(me.body.id).to.equal(user.id);
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const practice = await aPractice(ctx.db);
    const user = await aStaffUser(ctx.db, practice);
    const wrong = await ctx.http.post('/api/auth/login', { email: user.email, password: 'nope' });
    const unknown = await ctx.http.post('/api/auth/login', {
      email: 'nobody@example.test',
      password: 'nope',
    });
    expect(wrong.status).to.equal(401);
    expect(unknown.status).to.equal(401);
    expect(wrong.body.detail).to.equal(unknown.body.detail);
    expect(wrong.headers.get('content-type')).to.match(/application\/problem\+json/);
  });

  it('refuses one address after 5 failures for an account in 15 minutes, even the right password, and lets it in after', async () => {
    const practice = await aPractice(ctx.db);
    const user = await aStaffUser(ctx.db, practice);
    for (let i = 0; i < 5; i++) {
      expect(
        (await ctx.http.post('/api/auth/login', { email: user.email, password: `guess-${i}` })).status,
      ).to.equal(401);
    }
    const locked = await ctx.http.post('/api/auth/login', { email: user.email, password: fixturePassword });
    expect(locked.status).to.equal(429);
    expect(Number(locked.headers.get('retry-after'))).to.be.greaterThan(0);
    ctx.clock.advance(16 * 60_000);
    expect(
      (await ctx.http.post('/api/auth/login', { email: user.email, password: fixturePassword })).status,
    ).to.equal(200);
  });

  it('expires a session after 30 idle minutes and at its absolute lifetime, and revokes it on logout', async () => {
    const practice = await aPractice(ctx.db);
    const user = await aStaffUser(ctx.db, practice);
    const token = await ctx.http.signIn(user.email, fixturePassword);
    ctx.clock.advance(29 * 60_000);
    expect((await ctx.http.get('/api/auth/me', { token })).status, 'used within the idle time').to.equal(200);
    ctx.clock.advance(31 * 60_000);
    expect((await ctx.http.get('/api/auth/me', { token })).status, 'idle too long').to.equal(401);

    const second = await ctx.http.signIn(user.email, fixturePassword);
    for (let i = 0; i < 25; i++) {
      ctx.clock.advance(29 * 60_000);
      await ctx.http.get('/api/auth/me', { token: second });
    }
    expect((await ctx.http.get('/api/auth/me', { token: second })).status, 'past 12 hours').to.equal(401);

    const third = await ctx.http.signIn(user.email, fixturePassword);
    expect((await ctx.http.post('/api/auth/logout', undefined, { token: third })).status).to.equal(204);
    expect((await ctx.http.get('/api/auth/me', { token: third })).status).to.equal(401);
  });

  it('refuses malformed bodies with 400 naming the field and writes nothing', async () => {
    const before = await ctx.db.AuditEntry.count();
    const missing = await ctx.http.post('/api/auth/login', { email: 'a@b.test' });
    expect(missing.status).to.equal(400);
    expect(missing.body.field).to.equal('/password');
    const extra = await ctx.http.post('/api/auth/login', {
      email: 'a@b.test',
      password: 'x',
      role: 'admin_clinician',
    });
    expect(extra.body.field).to.equal('/role');
    const notJson = await ctx.http.request('POST', '/api/auth/login', { rawBody: '{"email":' });
    expect(notJson.status).to.equal(400);
    expect(notJson.body.code).to.equal('INVALID_JSON');
    expect(await ctx.db.AuditEntry.count()).to.equal(before);
  });
});
