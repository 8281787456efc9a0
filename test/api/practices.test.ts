import { expect } from 'chai';
import { useApi } from './context';
import { startCaptureServer, type CaptureServer } from '../support/captureServer';
import { aPractice, aStaffUser } from '../fixtures';
import { slugFromName } from '../../booking/staffOnboarding';

const signup = (email: string, practiceName = 'Harbor Counseling') => ({
  practiceName,
  timeZone: 'America/Chicago',
  admin: { firstName: 'Ada', lastName: 'Lovelace', email },
});

describe('web sign-up (POST /api/practices)', function () {
  this.timeout(120_000);

  describe('with SIGNUP_ENABLED=true', () => {
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
      env: () => ({ SIGNUP_ENABLED: 'true', RESEND_API_KEY: 're_test_key', RESEND_BASE_URL: capture.url }),
    });

    it('202; the practice exists with its portal off and no staff until the emailed link is followed', async () => {
      expect((await ctx.http.get('/api/config')).body).to.deep.equal({ signupEnabled: true });
      const res = await ctx.http.post('/api/practices', signup('ada@harbor.example'));
      expect(res.status).to.equal(202);
      const practice = await ctx.db.Practice.findOne({ where: { slug: 'harbor-counseling' } });
      expect(practice).to.include({
        name: 'Harbor Counseling',
        timeZone: 'America/Chicago',
        portalEnabled: false,
      });
      expect(await ctx.db.StaffUser.count({ where: { practiceId: practice!.id } })).to.equal(0);
      expect((await ctx.http.get('/portal/harbor-counseling')).status).to.equal(404);
      const email = await capture.waitFor((e) => e.to.includes('ada@harbor.example'));
      expect(email.subject).to.equal('Set up Harbor Counseling on online booking');
      const token = /accept-invitation\?token=([A-Za-z0-9_-]+)/.exec(email.text ?? '')![1];
      const accepted = await ctx.http.post('/api/staff/invitations/accept', {
        token,
        password: 'the first admin password',
      });
      expect(accepted.status).to.equal(200);
      expect(accepted.body.user).to.include({ role: 'admin_clinician', practiceId: practice!.id });
    });

    it('the same 202 for an address already on a staff, or already signing up: no second practice', async () => {
      const existing = await aStaffUser(ctx.db, await aPractice(ctx.db, { name: 'Old Practice' }), {
        role: 'admin_clinician',
        firstName: 'Olga',
      });
      const fresh = await ctx.http.post('/api/practices', signup('new@harbor.example', 'Lakeside Therapy'));
      const again = await ctx.http.post(
        '/api/practices',
        signup('NEW@harbor.example', 'Lakeside Therapy Two'),
      );
      const staff = await ctx.http.post('/api/practices', signup(existing.email, 'Hillside Therapy'));
      for (const res of [fresh, again, staff]) {
        expect(res.status).to.equal(202);
        expect(res.body).to.deep.equal(fresh.body);
      }
      expect(
        await ctx.db.Practice.count({
          where: { slug: ['lakeside-therapy', 'lakeside-therapy-two', 'hillside-therapy'] },
        }),
      ).to.equal(1);
      // The owner of the address is told by email, once a day however often the form is sent.
      const notice = await capture.waitFor((e) => e.to.includes(existing.email));
      expect(notice.subject).to.equal('You already have an account with Old Practice');
      expect(notice.text).to.include('no new practice was created');
      expect(
        (await ctx.http.post('/api/practices', signup(existing.email, 'Hillside Again'))).status,
      ).to.equal(202);
      const handle = ctx.stack.temporal.workflow.getHandle(
        `staff-signup-notice-${existing.id}-${ctx.clock.now().toISOString().slice(0, 10)}`,
      );
      expect(await handle.result()).to.equal('sent');
      expect(capture.deliveries().filter((e) => e.to.includes(existing.email))).to.have.length(1);
      await capture.waitFor((e) => e.to.includes('new@harbor.example'));
      expect(capture.deliveries().filter((e) => e.to.includes('new@harbor.example'))).to.have.length(1);
    });

    it('practices named alike get their own slug; bad input is 400 naming the field, nothing written', async () => {
      await aPractice(ctx.db, { slug: 'harbor-counseling' });
      await ctx.http.post('/api/practices', signup('one@harbor.example'));
      await ctx.http.post('/api/practices', signup('two@harbor.example', 'Harbor  Counseling!'));
      const slugs = (await ctx.db.Practice.findAll()).map((p) => p.slug).sort();
      expect(slugs).to.deep.equal(['harbor-counseling', 'harbor-counseling-2', 'harbor-counseling-3']);
      const before = await ctx.db.Practice.count();
      const zone = await ctx.http.post('/api/practices', {
        ...signup('x@harbor.example'),
        timeZone: 'Mars/Olympus',
      });
      expect(zone.status).to.equal(400);
      expect(zone.body.field).to.equal('/timeZone');
      const email = await ctx.http.post('/api/practices', signup('not-an-email'));
      expect(email.body.field).to.equal('/admin/email');
      expect(await ctx.db.Practice.count()).to.equal(before);
    });
  });

  describe('without SIGNUP_ENABLED', () => {
    const ctx = useApi();
    it('answers 404 and creates nothing; the public config says sign-up is off', async () => {
      expect((await ctx.http.get('/api/config')).body).to.deep.equal({ signupEnabled: false });
      const res = await ctx.http.post('/api/practices', signup('ada@harbor.example'));
      expect(res.status).to.equal(404);
      expect(await ctx.db.Practice.count()).to.equal(0);
    });
  });

  it('derives a web address from the name', () => {
    expect(slugFromName('Café Sørensen & Co.')).to.equal('cafe-sorensen-co');
    expect(slugFromName('  Dr. Ng ')).to.equal('dr-ng');
    expect(slugFromName('Ω')).to.equal('practice');
    expect(slugFromName('A')).to.equal('a-practice');
  });
});
