import { expect } from 'chai';
import { useApi } from './context';
import { aPractice, aStaffUser, fixturePassword } from '../fixtures';

describe("the practice's details (Settings > Practice)", () => {
  const ctx = useApi();

  async function signedIn(role: 'admin_clinician' | 'practice_manager' | 'clinician') {
    const practice = await aPractice(ctx.db, { name: 'Harbor Counseling', timeZone: 'America/New_York' });
    const user = await aStaffUser(ctx.db, practice, { role });
    return { practice, user, token: await ctx.http.signIn(user.email, fixturePassword) };
  }
  const auditOf = (practiceId: string) =>
    ctx.db.AuditEntry.findAll({ where: { practiceId, action: 'practice.update' } });

  it('every staff member reads the details; a manager changes them, the portal shows them, and the change is audited', async () => {
    const { practice, token } = await signedIn('practice_manager');
    const read = await ctx.http.get('/api/practice', { token });
    expect(read.status).to.equal(200);
    expect(read.body).to.deep.equal({
      id: practice.id,
      name: 'Harbor Counseling',
      slug: practice.slug,
      timeZone: 'America/New_York',
      phone: practice.phone,
      requestLifetimeHours: practice.requestLifetimeHours,
    });

    const changed = await ctx.http.patch(
      '/api/practice',
      { name: '  Harbor Counseling Group ', phone: '+1 (555) 010-0199', requestLifetimeHours: 72 },
      { token },
    );
    expect(changed.status).to.equal(200);
    expect(changed.body).to.include({
      name: 'Harbor Counseling Group',
      phone: '+1 (555) 010-0199',
      requestLifetimeHours: 72,
    });
    const portal = await ctx.http.get(`/portal/${practice.slug}`);
    expect(portal.body).to.include({ name: 'Harbor Counseling Group', phone: '+1 (555) 010-0199' });
    const [entry] = await auditOf(practice.id);
    expect(entry.oldValue).to.deep.equal({
      name: 'Harbor Counseling',
      phone: practice.phone,
      requestLifetimeHours: practice.requestLifetimeHours,
    });
    expect(entry.newValue).to.deep.equal({
      name: 'Harbor Counseling Group',
      phone: '+1 (555) 010-0199',
      requestLifetimeHours: 72,
    });

    // Nothing changed, nothing recorded; an empty phone clears it.
    await ctx.http.patch('/api/practice', { name: 'Harbor Counseling Group' }, { token });
    expect(await auditOf(practice.id)).to.have.length(1);
    expect((await ctx.http.patch('/api/practice', { phone: ' ' }, { token })).status).to.equal(400);
    expect((await ctx.http.patch('/api/practice', { phone: null }, { token })).body.phone).to.equal(null);
  });

  it('bad input is 400 naming the field and changes nothing', async () => {
    const { practice, token } = await signedIn('admin_clinician');
    const cases: [unknown, string][] = [
      [{ timeZone: 'Mars/Olympus' }, '/timeZone'],
      [{ phone: 'call me maybe' }, '/phone'],
      [{ name: '   ' }, '/name'],
      [{ requestLifetimeHours: 0 }, '/requestLifetimeHours'],
      [{ requestLifetimeHours: 24 * 91 }, '/requestLifetimeHours'],
      [{ slug: 'elsewhere' }, '/slug'],
    ];
    for (const [body, field] of cases) {
      const res = await ctx.http.patch('/api/practice', body, { token });
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.body.field, JSON.stringify(body)).to.equal(field);
    }
    await practice.reload();
    expect(practice.timeZone).to.equal('America/New_York');
    expect(practice.name).to.equal('Harbor Counseling');
    expect(await auditOf(practice.id)).to.have.length(0);
  });

  it('a clinician reads but cannot change the details (403, nothing written)', async () => {
    const { practice, token } = await signedIn('clinician');
    expect((await ctx.http.get('/api/practice', { token })).status).to.equal(200);
    const res = await ctx.http.patch('/api/practice', { name: 'Mine now' }, { token });
    expect(res.status).to.equal(403);
    await practice.reload();
    expect(practice.name).to.equal('Harbor Counseling');
  });
});
