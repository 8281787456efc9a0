import { expect } from 'chai';
import { useApi } from './context';
import { startCaptureServer, type CaptureServer } from '../support/captureServer';
import { aPractice, aStaffUser, fixturePassword } from '../fixtures';
import { staffInvitationWorkflowId } from '../../temporal/staffInvitations';

const DAY = 86_400_000;
const newPassword = 'a sturdy new password';

describe('staff invitations API', function () {
  this.timeout(120_000);
  let capture: CaptureServer;
  before(async () => {
    capture = await startCaptureServer();
  });
  after(async () => {
    await capture.close();
  });
  beforeEach(() => capture.reset());
  const ctx = useApi({
    worker: true,
    env: () => ({ RESEND_API_KEY: 're_test_key', RESEND_BASE_URL: capture.url }),
  });

  async function adminOf(role: 'admin_clinician' | 'practice_manager' = 'admin_clinician') {
    const practice = await aPractice(ctx.db, { name: 'Harbor Counseling' });
    const admin = await aStaffUser(ctx.db, practice, { role });
    return { practice, admin, token: await ctx.http.signIn(admin.email, fixturePassword) };
  }

  /** The token of the link the worker emailed to address. */
  async function emailedToken(address: string): Promise<string> {
    const email = await capture.waitFor(
      (e) => e.to.includes(address) && (e.idempotencyKey?.endsWith('/invitation') ?? false),
    );
    const match = /\/app\/accept-invitation\?token=([A-Za-z0-9_-]+)/.exec(email.text ?? '');
    expect(match, 'link in the email').to.not.equal(null);
    return match![1];
  }

  const invitee = (email = `jordan-${Math.random().toString(36).slice(2, 8)}@example.test`) => ({
    email,
    firstName: 'Jordan',
    lastName: 'Rivera',
    role: 'clinician',
  });

  it('invite → 201 and an email whose link, accepted with a password, signs the new clinician in', async () => {
    const { practice, admin, token } = await adminOf();
    const body = invitee();
    const res = await ctx.http.post('/api/staff/invitations', body, { token });
    expect(res.status).to.equal(201);
    expect(res.body).to.include({
      email: body.email,
      firstName: 'Jordan',
      lastName: 'Rivera',
      role: 'clinician',
    });
    expect(res.body).to.not.have.property('tokenHash');
    expect(res.body.expiresAt).to.equal(new Date(ctx.clock.now().getTime() + 7 * DAY).toISOString());
    const link = await emailedToken(body.email);

    const accepted = await ctx.http.post('/api/staff/invitations/accept', {
      token: link,
      password: newPassword,
    });
    expect(accepted.status).to.equal(200);
    expect(Object.keys(accepted.body).sort()).to.deep.equal([
      'expiresAt',
      'idleTimeoutMinutes',
      'token',
      'user',
    ]);
    expect(accepted.body.user).to.include({ email: body.email, role: 'clinician', practiceId: practice.id });
    const me = await ctx.http.get('/api/auth/me', { token: accepted.body.token });
    expect(me.status).to.equal(200);
    expect(me.body.id).to.equal(accepted.body.user.id);
    expect(await ctx.http.signIn(body.email, newPassword)).to.be.a('string');

    const audit = await ctx.db.AuditEntry.findAll({
      where: { practiceId: practice.id },
      order: [['id', 'ASC']],
    });
    expect(audit.map((a) => [a.action, a.actorId])).to.deep.equal([
      ['staff.invitation.create', admin.id],
      ['staff.invitation.accept', accepted.body.user.id],
    ]);
    // The workflow was told and ended: no reminder will follow.
    const handle = ctx.stack.temporal.workflow.getHandle(staffInvitationWorkflowId(res.body.id));
    expect(await handle.result()).to.equal('accepted');
  });

  it('accepting twice → 410 with a sentence; nothing more is written', async () => {
    const { token } = await adminOf();
    const body = invitee();
    await ctx.http.post('/api/staff/invitations', body, { token });
    const link = await emailedToken(body.email);
    expect(
      (await ctx.http.post('/api/staff/invitations/accept', { token: link, password: newPassword })).status,
    ).to.equal(200);
    const again = await ctx.http.post('/api/staff/invitations/accept', {
      token: link,
      password: 'another password!',
    });
    expect(again.status).to.equal(410);
    expect(again.body.code).to.equal('INVITATION_GONE');
    expect(again.body.detail).to.equal(
      'This invitation has already been accepted. Sign in with your email and password instead.',
    );
    expect(await ctx.db.StaffUser.count({ where: { email: body.email } })).to.equal(1);
  });

  it('an expired link (7 days) → 410; a revoked one → 410; an unknown one → 404 naming /token', async () => {
    const { token } = await adminOf();
    const late = invitee();
    await ctx.http.post('/api/staff/invitations', late, { token });
    const lateLink = await emailedToken(late.email);
    const revoked = invitee();
    const created = await ctx.http.post('/api/staff/invitations', revoked, { token });
    const revokedLink = await emailedToken(revoked.email);
    expect((await ctx.http.delete(`/api/staff/invitations/${created.body.id}`, { token })).status).to.equal(
      204,
    );
    const gone = await ctx.http.post('/api/staff/invitations/accept', {
      token: revokedLink,
      password: newPassword,
    });
    expect(gone.status).to.equal(410);
    expect(gone.body.detail).to.match(/withdrawn by the practice/);

    ctx.clock.advance(7 * DAY);
    const expired = await ctx.http.post('/api/staff/invitations/accept', {
      token: lateLink,
      password: newPassword,
    });
    expect(expired.status).to.equal(410);
    expect(expired.body.detail).to.match(/has expired/);
    const unknown = await ctx.http.post('/api/staff/invitations/accept', {
      token: 'no-such-token',
      password: newPassword,
    });
    expect(unknown.status).to.equal(404);
    expect(unknown.body.field).to.equal('/token');
    expect(await ctx.db.StaffUser.count({ where: { email: [late.email, revoked.email] } })).to.equal(0);
  });

  it('a weak password → 400 naming /password; the link still works afterwards', async () => {
    const { token } = await adminOf();
    const body = invitee();
    await ctx.http.post('/api/staff/invitations', body, { token });
    const link = await emailedToken(body.email);
    const weak = await ctx.http.post('/api/staff/invitations/accept', { token: link, password: 'short' });
    expect(weak.status).to.equal(400);
    expect(weak.body).to.include({ code: 'WEAK_PASSWORD', field: '/password' });
    expect(weak.body.detail).to.equal('Choose a password of at least 10 characters.');
    expect(await ctx.db.StaffUser.count({ where: { email: body.email } })).to.equal(0);
    expect(
      (await ctx.http.post('/api/staff/invitations/accept', { token: link, password: newPassword })).status,
    ).to.equal(200);
  });

  it('409 naming /email for an address that has a staff account (any case) or an open invitation; nothing written', async () => {
    const { practice, token } = await adminOf('practice_manager');
    const colleague = await aStaffUser(ctx.db, practice);
    const taken = await ctx.http.post('/api/staff/invitations', invitee(colleague.email.toUpperCase()), {
      token,
    });
    expect(taken.status).to.equal(409);
    expect(taken.body).to.include({ code: 'STAFF_EMAIL_TAKEN', field: '/email' });
    const body = invitee();
    expect((await ctx.http.post('/api/staff/invitations', body, { token })).status).to.equal(201);
    const twice = await ctx.http.post(
      '/api/staff/invitations',
      { ...body, role: 'practice_manager' },
      { token },
    );
    expect(twice.status).to.equal(409);
    expect(twice.body.field).to.equal('/email');
    expect(await ctx.db.StaffInvitation.count({ where: { practiceId: practice.id } })).to.equal(1);
  });

  it('a revoked invitation frees the address, is no longer listed, and its workflow ends revoked', async () => {
    const { admin, token } = await adminOf();
    const body = invitee();
    const created = await ctx.http.post('/api/staff/invitations', body, { token });
    await emailedToken(body.email);
    const listed = await ctx.http.get('/api/staff/invitations', { token });
    expect(listed.body.map((i: { id: string }) => i.id)).to.deep.equal([created.body.id]);
    expect((await ctx.http.delete(`/api/staff/invitations/${created.body.id}`, { token })).status).to.equal(
      204,
    );
    expect((await ctx.http.get('/api/staff/invitations', { token })).body).to.deep.equal([]);
    const handle = ctx.stack.temporal.workflow.getHandle(staffInvitationWorkflowId(created.body.id));
    expect(await handle.result()).to.equal('revoked');
    const entry = await ctx.db.AuditEntry.findOne({ where: { action: 'staff.invitation.revoke' } });
    expect(entry?.actorId).to.equal(admin.id);
    expect((await ctx.http.post('/api/staff/invitations', body, { token })).status).to.equal(201);
  });

  it('clinicians may not invite, list or revoke (403); bad input → 400 naming the field', async () => {
    const { practice, token } = await adminOf();
    const clinician = await aStaffUser(ctx.db, practice, { role: 'clinician' });
    const clinicianToken = await ctx.http.signIn(clinician.email, fixturePassword);
    expect(
      (await ctx.http.post('/api/staff/invitations', invitee(), { token: clinicianToken })).status,
    ).to.equal(403);
    expect((await ctx.http.get('/api/staff/invitations', { token: clinicianToken })).status).to.equal(403);
    const bad = await ctx.http.post('/api/staff/invitations', { ...invitee(), role: 'owner' }, { token });
    expect(bad.status).to.equal(400);
    expect(bad.body.field).to.equal('/role');
    const noEmail = await ctx.http.post(
      '/api/staff/invitations',
      { ...invitee(), email: 'not an email' },
      { token },
    );
    expect(noEmail.body.field).to.equal('/email');
    expect(await ctx.db.StaffInvitation.count()).to.equal(0);
  });
});
