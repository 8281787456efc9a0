import { expect } from 'chai';
import { useApi } from './context';
import { aClient, aPractice, aStaffUser, fixturePassword } from '../fixtures';
import type { Practice } from '../../models';

describe('GET /api/audit-log', () => {
  const ctx = useApi();

  /** An audit entry at a chosen time (a real change cannot choose its time: the row takes the database's). */
  async function anEntry(
    practice: Practice,
    entry: {
      actorType?: string;
      actorId: string | null;
      action: string;
      at: string;
      old?: unknown;
      new?: unknown;
    },
  ) {
    await ctx.db.sequelize.query(
      `INSERT INTO audit_log (practice_id, actor_type, actor_id, action, entity, entity_id, old_value, new_value, created_at)
       VALUES (:practiceId, :actorType, :actorId, :action, 'practice', :practiceId, :old, :new, :at)`,
      {
        replacements: {
          practiceId: practice.id,
          actorType: entry.actorType ?? 'staff',
          actorId: entry.actorId,
          action: entry.action,
          old: JSON.stringify(entry.old ?? null),
          new: JSON.stringify(entry.new ?? null),
          at: entry.at,
        },
      },
    );
  }

  it("lists a real change with who, when, before and after, newest first, only the practice's own", async () => {
    const practice = await aPractice(ctx.db);
    const admin = await aStaffUser(ctx.db, practice, {
      role: 'admin_clinician',
      firstName: 'Ada',
      lastName: 'Park',
    });
    const token = await ctx.http.signIn(admin.email, fixturePassword);
    const other = await aPractice(ctx.db);
    const stranger = await aStaffUser(ctx.db, other, { role: 'admin_clinician' });
    await anEntry(other, { actorId: stranger.id, action: 'elsewhere', at: '2026-05-01T00:00:00Z' });
    const client = await aClient(ctx.db, practice, { firstName: 'Jordan', lastName: 'Reyes' });
    await anEntry(practice, {
      actorType: 'client',
      actorId: client.id,
      action: 'request_submitted',
      at: '2026-01-01T00:00:00Z',
    });
    expect(
      (await ctx.http.patch('/api/practice/client-portal', { allowNewClients: false }, { token })).status,
    ).to.equal(200);

    const res = await ctx.http.get('/api/audit-log', { token });
    expect(res.status).to.equal(200);
    expect(res.body.map((e: { action: string }) => e.action)).to.not.include('elsewhere');
    const [change, byClient] = res.body;
    expect(change.actor).to.deep.equal({ type: 'staff', id: admin.id, name: 'Ada Park' });
    expect(change.before).to.deep.include({ allowNewClients: true });
    expect(change.after).to.deep.include({ allowNewClients: false });
    expect(new Date(change.at).toISOString()).to.equal(change.at);
    expect(byClient).to.deep.include({ action: 'request_submitted' });
    expect(change.entityName).to.equal(null);
    expect(byClient.actor).to.deep.equal({ type: 'client', id: client.id, name: 'Jordan Reyes' });
  });

  it('filters by person and by a time range [from, to), and pages with Link', async () => {
    const practice = await aPractice(ctx.db);
    const admin = await aStaffUser(ctx.db, practice, { role: 'practice_manager' });
    const clinician = await aStaffUser(ctx.db, practice);
    const token = await ctx.http.signIn(admin.email, fixturePassword);
    for (let day = 1; day <= 5; day++) {
      await anEntry(practice, { actorId: admin.id, action: `admin-${day}`, at: `2026-03-0${day}T10:00:00Z` });
      await anEntry(practice, {
        actorId: clinician.id,
        action: `clinician-${day}`,
        at: `2026-03-0${day}T11:00:00Z`,
      });
    }
    const mine = await ctx.http.get(
      `/api/audit-log?actorId=${clinician.id}&from=2026-03-02T00:00:00Z&to=2026-03-04T11:00:00Z`,
      { token },
    );
    expect(mine.body.map((e: { action: string }) => e.action)).to.deep.equal(['clinician-3', 'clinician-2']);

    const seen: string[] = [];
    let next: string | null = `/api/audit-log?actorId=${admin.id}&limit=2`;
    while (next) {
      const page = await ctx.http.get(next, { token });
      expect(page.status).to.equal(200);
      seen.push(...page.body.map((e: { action: string }) => e.action));
      next = /<([^>]+)>; rel="next"/.exec(page.headers.get('link') ?? '')?.[1] ?? null;
    }
    expect(seen).to.deep.equal(['admin-5', 'admin-4', 'admin-3', 'admin-2', 'admin-1']);
  });

  it('refuses clinicians (403), bad ranges and foreign cursors (400 naming the field)', async () => {
    const practice = await aPractice(ctx.db);
    const clinician = await aStaffUser(ctx.db, practice);
    const admin = await aStaffUser(ctx.db, practice, { role: 'admin_clinician' });
    const refused = await ctx.http.get('/api/audit-log', {
      token: await ctx.http.signIn(clinician.email, fixturePassword),
    });
    expect(refused.status).to.equal(403);
    const token = await ctx.http.signIn(admin.email, fixturePassword);
    const backwards = await ctx.http.get('/api/audit-log?from=2026-03-05T00:00:00Z&to=2026-03-01T00:00:00Z', {
      token,
    });
    expect(backwards.status).to.equal(400);
    expect(backwards.body.field).to.equal('to');
    const cursor = await ctx.http.get(
      `/api/audit-log?cursor=${Buffer.from('["other","1"]').toString('base64url')}`,
      {
        token,
      },
    );
    expect(cursor.status).to.equal(400);
    expect(cursor.body.field).to.equal('cursor');
    const badDate = await ctx.http.get('/api/audit-log?from=yesterday', { token });
    expect(badDate.status).to.equal(400);
    expect(badDate.body.field).to.equal('from');
  });
});
