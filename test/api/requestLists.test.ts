import { expect } from 'chai';
import { useApi } from './context';
import { TokenService } from '../../api/auth/tokens';
import { aClient, aClinician, aPractice, aService, aStaffUser, fixturePassword } from '../fixtures';
import {
  type AppointmentRequest,
  type Client,
  type Practice,
  type RequestStatus,
  type Service,
  type StaffUser,
} from '../../models';
import type { TestResponse } from '../support/http';

const HOUR = 3_600_000;
// The clock is Monday 1 June 2026, 12:00 UTC; requests were made in the days before, for slots after it.
const NOW = new Date('2026-06-01T12:00:00Z');
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

describe('request lists a page at a time (API, PostgreSQL)', function () {
  this.timeout(120_000);
  const ctx = useApi();

  let practice: Practice;
  let clinician: StaffUser;
  let service: Service;
  let client: Client;
  let token: string;
  beforeEach(async () => {
    practice = await aPractice(ctx.db, { requestLifetimeHours: 72 });
    service = await aService(ctx.db, practice, { name: 'Individual therapy', durationMinutes: 50 });
    clinician = await aClinician(ctx.db, practice);
    client = await aClient(ctx.db, practice);
    const manager = await aStaffUser(ctx.db, practice, { role: 'practice_manager' });
    token = await ctx.http.signIn(manager.email, fixturePassword);
  });

  let slotNo = 0;
  /** A request as submission (and a decision) leave it; pending ones hold their slot, as the table demands. */
  async function aRequest(o: {
    createdAt: Date;
    startsAt?: Date;
    status?: RequestStatus;
    of?: Client;
  }): Promise<AppointmentRequest> {
    slotNo += 1;
    const startsAt = o.startsAt ?? at(NOW, (100 + slotNo) * HOUR);
    const endsAt = at(startsAt, 50 * 60_000);
    const status = o.status ?? 'pending';
    const hold =
      status === 'pending'
        ? await ctx.db.TimeHold.create({
            clinicianId: clinician.id,
            during: ctx.db.TimeHold.range(startsAt, endsAt),
            kind: 'request',
          })
        : null;
    return ctx.db.AppointmentRequest.create({
      practiceId: practice.id,
      clinicianId: clinician.id,
      serviceId: service.id,
      clientId: (o.of ?? client).id,
      newClient: null,
      possibleDuplicateClientId: null,
      message: null,
      clientTimeZone: null,
      startsAt,
      endsAt,
      status,
      holdId: hold?.id ?? null,
      idempotencyKey: null,
      createdAt: o.createdAt,
    });
  }

  /** The next page's address from `Link: <…>; rel="next"`, or null on the last page. */
  const nextOf = (res: TestResponse) => {
    const link = res.headers.get('link');
    if (!link) return null;
    const m = /^<([^>]+)>; rel="next"$/.exec(link);
    expect(m, link).to.not.equal(null);
    return m![1];
  };
  /** Walks every page from first, calling between(pageNo) after each page that has a next one. */
  async function walk(
    first: string,
    opts: { token?: string; between?: (page: number) => Promise<void> } = {},
  ) {
    const pages: string[][] = [];
    let next: string | null = first;
    while (next) {
      const res = await ctx.http.get(next, { token: opts.token ?? token });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      pages.push((res.body as { id: string }[]).map((r) => r.id));
      next = nextOf(res);
      if (next && opts.between) await opts.between(pages.length);
      expect(pages.length, 'pages').to.be.below(50);
    }
    return pages;
  }

  it('all requests: newest first, ties in a stable order, every row once across pages even as new ones arrive', async () => {
    const rows: AppointmentRequest[] = [];
    // 23 rows over 20 moments: three moments shared, so the order of equal timestamps is put to the test.
    for (let i = 0; i < 23; i++)
      rows.push(
        await aRequest({
          createdAt: at(NOW, -(i % 20) * HOUR),
          status: i % 3 === 0 ? 'declined' : i % 3 === 1 ? 'approved' : 'pending',
        }),
      );
    const expected = [...rows]
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
      .map((r) => r.id);
    const arrived: string[] = [];
    const pages = await walk('/api/appointment-requests?limit=10', {
      // Between pages, new requests come in, one of them at the very moment of the last row seen.
      between: async () => {
        arrived.push((await aRequest({ createdAt: at(NOW, 30 * 60_000) })).id);
        arrived.push((await aRequest({ createdAt: at(NOW, -19 * HOUR) })).id);
      },
    });
    expect(pages.map((p) => p.length)).to.deep.equal([10, 10, 5]);
    const seen = pages.flat();
    expect(new Set(seen).size, 'no row twice').to.equal(seen.length);
    expect(
      seen.filter((id) => !arrived.includes(id)),
      'the rows there at the start, each once, newest first',
    ).to.deep.equal(expected);
    expect(seen.slice(0, 10)).to.deep.equal(expected.slice(0, 10));

    // Without a limit a page is 100 rows, newest first; the rest follow the Link.
    for (let i = 0; i < 80; i++) await aRequest({ createdAt: at(NOW, -(40 + i) * HOUR), status: 'expired' });
    const first = await ctx.http.get('/api/appointment-requests', { token });
    expect(first.body).to.have.length(100);
    // The newest: those that arrived half an hour after the clock, the greater id first among equal moments.
    const newest = arrived.filter((_, i) => i % 2 === 0).sort((a, b) => (a < b ? 1 : -1))[0];
    expect(first.body[0].id).to.equal(newest);
    expect(nextOf(first)).to.match(/^\/api\/appointment-requests\?cursor=[\w-]+&limit=100$/);
    const rest = await walk(nextOf(first)!);
    expect(rest.flat()).to.have.length(23 + arrived.length + 80 - 100);
  });

  it('pending: the one to answer first on top (its slot or its lifetime ends soonest), paged without duplicates', async () => {
    // Lifetime 72 h: made 60 h ago for a slot in 5 days lapses in 12 h; made now for a slot in 6 h lapses in 6 h.
    const lapsesIn12h = await aRequest({ createdAt: at(NOW, -60 * HOUR), startsAt: at(NOW, 120 * HOUR) });
    const lapsesIn6h = await aRequest({ createdAt: NOW, startsAt: at(NOW, 6 * HOUR) });
    const lapsesIn72h = await aRequest({ createdAt: NOW, startsAt: at(NOW, 200 * HOUR) });
    const lapsesIn30h = await aRequest({ createdAt: at(NOW, -42 * HOUR), startsAt: at(NOW, 300 * HOUR) });
    await aRequest({ createdAt: at(NOW, -70 * HOUR), status: 'declined' });
    const more: AppointmentRequest[] = [];
    for (let i = 0; i < 8; i++)
      more.push(await aRequest({ createdAt: at(NOW, -i * HOUR), startsAt: at(NOW, (40 + i * 3) * HOUR) }));
    const deadline = (r: AppointmentRequest) =>
      Math.min(r.startsAt.getTime(), r.createdAt.getTime() + 72 * HOUR);
    const expected = [lapsesIn12h, lapsesIn6h, lapsesIn72h, lapsesIn30h, ...more]
      .sort((a, b) => deadline(a) - deadline(b) || (a.id < b.id ? -1 : 1))
      .map((r) => r.id);
    expect(expected.slice(0, 2)).to.deep.equal([lapsesIn6h.id, lapsesIn12h.id]);

    let decided: string | null = null;
    const pages = await walk('/api/appointment-requests?status=pending&limit=5', {
      // A request further down is declined while the clinician reads the first page: it just drops out.
      between: async (page) => {
        if (page !== 1) return;
        const row = (await ctx.db.AppointmentRequest.findByPk(expected[8]))!;
        const holdId = row.holdId!;
        await row.update({ status: 'declined', holdId: null });
        await ctx.db.TimeHold.destroy({ where: { id: holdId } });
        decided = row.id;
      },
    });
    const seen = pages.flat();
    expect(new Set(seen).size).to.equal(seen.length);
    expect(seen).to.deep.equal(expected.filter((id) => id !== decided));
  });

  it("a cursor from another tab, or not a cursor at all, is 400 naming 'cursor'; limits outside 1–500 are 400", async () => {
    for (let i = 0; i < 3; i++) await aRequest({ createdAt: at(NOW, -i * HOUR) });
    const all = await ctx.http.get('/api/appointment-requests?limit=1', { token });
    const cursor = new URL(nextOf(all)!, 'http://x').searchParams.get('cursor')!;
    const wrongTab = await ctx.http.get(`/api/appointment-requests?status=pending&cursor=${cursor}`, {
      token,
    });
    expect(wrongTab.status).to.equal(400);
    expect(wrongTab.body).to.include({ field: 'cursor' });
    for (const bad of ['x', 'bm90IGpzb24', Buffer.from('["newest","1 OR 1=1"]').toString('base64url')]) {
      const res = await ctx.http.get(`/api/appointment-requests?cursor=${bad}`, { token });
      expect(res.status, bad).to.equal(400);
      expect(res.body.field, bad).to.equal('cursor');
    }
    for (const limit of ['0', '501', 'ten']) {
      const res = await ctx.http.get(`/api/appointment-requests?limit=${limit}`, { token });
      expect(res.status, limit).to.equal(400);
      expect(res.body.field, limit).to.equal('limit');
    }
  });

  it("the portal's own requests: newest first, paged, never another client's", async () => {
    const other = await aClient(ctx.db, practice);
    const mine: AppointmentRequest[] = [];
    for (let i = 0; i < 12; i++) {
      mine.push(await aRequest({ createdAt: at(NOW, -i * HOUR), status: i % 2 ? 'declined' : 'pending' }));
      await aRequest({ createdAt: at(NOW, -i * HOUR - 60_000), of: other, status: 'withdrawn' });
    }
    const clientToken = await new TokenService(ctx.stack.config.authSecret!, ctx.clock).sign(
      { typ: 'client', sub: client.id, pid: practice.id },
      at(NOW, 2 * HOUR),
    );
    const pages = await walk(`/portal/${practice.slug}/me/requests?limit=5`, { token: clientToken });
    expect(pages.map((p) => p.length)).to.deep.equal([5, 5, 2]);
    expect(pages.flat()).to.deep.equal(mine.map((r) => r.id));
  });
});
