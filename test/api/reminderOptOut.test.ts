import { expect } from 'chai';
import { useApi } from './context';
import { TokenService } from '../../api/auth/tokens';
import { oneTimeCodes, type OneTimeCodes } from '../../booking/oneTimeCodes';
import { reminderOptOutUrl, remindersWanted } from '../../booking/reminderOptOut';
import { aClient, aPractice, aStaffUser, fixturePassword } from '../fixtures';
import type { Client, Practice } from '../../models';

const HOUR = 3_600_000;

describe('reminder opt-out: the signed link stops reminder emails, the portal turns them back on (API, PostgreSQL)', function () {
  this.timeout(120_000);
  const ctx = useApi();

  let practice: Practice;
  let client: Client;
  let codes: OneTimeCodes;
  beforeEach(async () => {
    practice = await aPractice(ctx.db);
    client = await aClient(ctx.db, practice);
    codes = oneTimeCodes(ctx.stack.config.authSecret!);
  });

  /** The path and query of the client's link, as the reminder email carries it. */
  const linkOf = (c: Client, slug = practice.slug) => {
    const url = new URL(
      reminderOptOutUrl(codes, { publicUrl: 'https://book.example', slug, clientId: c.id }),
    );
    return `${url.pathname}${url.search}`;
  };
  const optedOutAt = async (c: Client) => (await ctx.db.Client.findByPk(c.id))!.remindersOptedOutAt;
  const auditRows = () => ctx.db.AuditEntry.count();
  const clientToken = (c: Client, p: Practice = practice) =>
    new TokenService(ctx.stack.config.authSecret!, ctx.clock).sign(
      { typ: 'client', sub: c.id, pid: p.id },
      new Date(ctx.clock.now().getTime() + 2 * HOUR),
    );

  it('the link stops reminders once; a second click answers the same and keeps the first moment; no staff audit row', async () => {
    expect(await remindersWanted(ctx.db, client.id)).to.equal(true);
    const first = await ctx.http.post(linkOf(client));
    expect(first.status, JSON.stringify(first.body)).to.equal(204);
    expect((await optedOutAt(client))?.toISOString()).to.equal(ctx.clock.now().toISOString());
    expect(await remindersWanted(ctx.db, client.id)).to.equal(false);

    const firstMoment = ctx.clock.now().toISOString();
    ctx.clock.advance(HOUR);
    const again = await ctx.http.post(linkOf(client));
    expect(again.status).to.equal(204);
    expect((await optedOutAt(client))?.toISOString()).to.equal(firstMoment);
    expect(await auditRows()).to.equal(0);
  });

  it("a mail client's RFC 8058 one-click POST (form body List-Unsubscribe=One-Click) stops reminders", async () => {
    const res = await ctx.http.request('POST', linkOf(client), {
      rawBody: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(204);
    expect(await remindersWanted(ctx.db, client.id)).to.equal(false);
  });

  it('the link works with the portal turned off too: reminders go out either way', async () => {
    const closed = await aPractice(ctx.db, { portalEnabled: false });
    const theirs = await aClient(ctx.db, closed);
    const res = await ctx.http.post(linkOf(theirs, closed.slug));
    expect(res.status, JSON.stringify(res.body)).to.equal(204);
    expect(await remindersWanted(ctx.db, theirs.id)).to.equal(false);
  });

  it('a GET of the link (a link scanner prefetching it) changes nothing', async () => {
    await ctx.http.get(linkOf(client));
    expect(await optedOutAt(client)).to.equal(null);
  });

  it('a forged, altered or other-purpose token is refused with a sentence naming the token, nothing written', async () => {
    const other = await aClient(ctx.db, practice);
    const forged = [
      'A'.repeat(43),
      codes.linkToken('reminder-opt-out', other.id),
      codes.linkToken('calendar-feed', client.id),
      `${codes.linkToken('reminder-opt-out', client.id)}x`,
    ];
    for (const token of forged) {
      const res = await ctx.http.post(
        `/portal/${practice.slug}/reminders/opt-out?client=${client.id}&token=${encodeURIComponent(token)}`,
      );
      expect(res.status, token).to.equal(400);
      expect(res.body).to.include({ field: 'token', code: 'REMINDER_LINK_INVALID' });
      expect(res.body.detail).to.match(/not valid.*sign in to the client portal/);
    }
    expect(await optedOutAt(client)).to.equal(null);
    expect(await optedOutAt(other)).to.equal(null);
  });

  it("another practice's client, with their own valid token, under this practice's address answers as forged, nothing written", async () => {
    const elsewhere = await aPractice(ctx.db);
    const theirs = await aClient(ctx.db, elsewhere);
    const res = await ctx.http.post(linkOf(theirs, practice.slug));
    expect(res.status).to.equal(400);
    expect(res.body).to.include({ field: 'token', code: 'REMINDER_LINK_INVALID' });
    expect(await optedOutAt(theirs)).to.equal(null);
    // Their own practice's address works, so the refusal above is about the practice, not the token.
    expect((await ctx.http.post(linkOf(theirs, elsewhere.slug))).status).to.equal(204);
  });

  it('a client id that is not a uuid is refused naming client; a missing token naming token', async () => {
    const badId = await ctx.http.post(`/portal/${practice.slug}/reminders/opt-out?client=42&token=abc`);
    expect(badId.status).to.equal(400);
    expect(badId.body.field).to.match(/client/);
    const noToken = await ctx.http.post(`/portal/${practice.slug}/reminders/opt-out?client=${client.id}`);
    expect(noToken.status).to.equal(400);
    expect(noToken.body.field).to.match(/token/);
    expect(await optedOutAt(client)).to.equal(null);
  });

  it('the signed-in client sees the choice and turns reminders back on and off; staff see it read-only; no audit row', async () => {
    await ctx.http.post(linkOf(client));
    const token = await clientToken(client);
    const path = `/portal/${practice.slug}/me/reminders`;
    const seen = await ctx.http.get(path, { token });
    expect(seen.status).to.equal(200);
    expect(seen.body).to.deep.equal({ enabled: false, optedOutAt: ctx.clock.now().toISOString() });

    const on = await ctx.http.put(path, { enabled: true }, { token });
    expect(on.status, JSON.stringify(on.body)).to.equal(200);
    expect(on.body).to.deep.equal({ enabled: true, optedOutAt: null });
    expect(await remindersWanted(ctx.db, client.id)).to.equal(true);

    ctx.clock.advance(HOUR);
    const off = await ctx.http.put(path, { enabled: false }, { token });
    expect(off.body).to.deep.equal({ enabled: false, optedOutAt: ctx.clock.now().toISOString() });
    expect(await auditRows()).to.equal(0);

    const manager = await aStaffUser(ctx.db, practice, { role: 'practice_manager' });
    const staffToken = await ctx.http.signIn(manager.email, fixturePassword);
    const profile = await ctx.http.get(`/api/clients/${client.id}`, { token: staffToken });
    expect(profile.status).to.equal(200);
    expect(profile.body.remindersOptedOutAt).to.equal(ctx.clock.now().toISOString());
    const staffTry = await ctx.http.patch(
      `/api/clients/${client.id}`,
      { remindersOptedOutAt: null },
      { token: staffToken },
    );
    expect(staffTry.status).to.equal(400);
    expect(await remindersWanted(ctx.db, client.id)).to.equal(false);
  });

  it('a bad body is refused naming /enabled; a token of another practice answers 404; nothing written', async () => {
    const token = await clientToken(client);
    const path = `/portal/${practice.slug}/me/reminders`;
    const bad = await ctx.http.put(path, { enabled: 'no' }, { token });
    expect(bad.status).to.equal(400);
    expect(bad.body.field).to.equal('/enabled');

    const elsewhere = await aPractice(ctx.db);
    const theirs = await aClient(ctx.db, elsewhere);
    const cross = await ctx.http.put(
      path,
      { enabled: false },
      { token: await clientToken(theirs, elsewhere) },
    );
    expect(cross.status).to.equal(404);
    expect(await optedOutAt(theirs)).to.equal(null);
    expect(await optedOutAt(client)).to.equal(null);
  });
});
