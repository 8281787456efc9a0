import { expect } from 'chai';
import { useApi } from './context';
import { aClient, aClinician, aPractice, aService } from '../fixtures';
import { TokenService } from '../../api/auth/tokens';
import { MAX_SLOTS } from '../../api/availability';
import { AvailabilityCache } from '../../api/availabilityCache';
import type { Practice, Service, StaffUser, Store } from '../../models';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** A clinician open around the clock every day on the finest grid: the dearest answers the endpoint can give. */
async function aFineGrid(db: Store, practice: Practice, notice = 0) {
  const service = await aService(db, practice, { durationMinutes: 30 });
  const clinician = await aClinician(db, practice, {
    preferences: {
      initialConsultationServiceId: service.id,
      startTimeIntervalMinutes: 5,
      minimumNoticeHours: notice,
    },
    rules: [{ rrule: 'FREQ=DAILY', startTime: '00:00', endTime: '23:59', timeZone: 'UTC' }],
  });
  return { service, clinician };
}

describe('availability: limit, cost and cache', () => {
  const NOW = '2026-06-01T12:00:00Z';

  function asker(ctx: ReturnType<typeof useApi>) {
    return (
      practice: Practice,
      who: { clinician: StaffUser; service: Service },
      range: { from: Date; days: number },
      opts: { from?: string; token?: string } = {},
    ) => {
      const q = new URLSearchParams({
        clinicianId: who.clinician.id,
        serviceId: who.service.id,
        from: range.from.toISOString(),
        to: new Date(range.from.getTime() + range.days * DAY_MS).toISOString(),
        timeZone: 'UTC',
      });
      return ctx.http.get(`/portal/${practice.slug}/availability?${q}`, {
        token: opts.token,
        headers: opts.from ? { 'x-forwarded-for': opts.from } : {},
      });
    };
  }

  describe('per-address limit (AVAILABILITY_PER_MINUTE=20)', () => {
    const ctx = useApi({ now: NOW, env: { AVAILABILITY_PER_MINUTE: '20' } });
    const ask = asker(ctx);
    const from = new Date('2026-06-08T00:00:00Z');

    it('answers 20 week questions a minute from one address, then 429 with Retry-After; others are not affected', async () => {
      const practice = await aPractice(ctx.db);
      const who = await aFineGrid(ctx.db, practice);
      for (let i = 0; i < 20; i++) {
        expect(
          (await ask(practice, who, { from, days: 7 }, { from: '198.51.100.1' })).status,
          `question ${i + 1}`,
        ).to.equal(200);
      }
      const refused = await ask(practice, who, { from, days: 7 }, { from: '198.51.100.1' });
      expect(refused.status).to.equal(429);
      expect(refused.body.code).to.equal('RATE_LIMITED');
      expect(refused.headers.get('content-type')).to.match(/problem\+json/);
      // One token comes back every 3 seconds.
      expect(Number(refused.headers.get('retry-after'))).to.equal(3);
      expect(
        (await ask(practice, who, { from, days: 7 }, { from: '198.51.100.2' })).status,
        'another address',
      ).to.equal(200);
      ctx.clock.advance(3_000);
      expect(
        (await ask(practice, who, { from, days: 7 }, { from: '198.51.100.1' })).status,
        'after the wait',
      ).to.equal(200);
    });

    it('charges a 62-day question one token per started week', async () => {
      const practice = await aPractice(ctx.db);
      const who = await aFineGrid(ctx.db, practice);
      expect((await ask(practice, who, { from, days: 62 })).status).to.equal(200);
      expect((await ask(practice, who, { from, days: 62 })).status).to.equal(200);
      const refused = await ask(practice, who, { from, days: 62 });
      expect(refused.status, '2 tokens left, 9 needed').to.equal(429);
      expect(Number(refused.headers.get('retry-after'))).to.equal(21);
      expect((await ask(practice, who, { from, days: 2 })).status, 'a short question still fits').to.equal(
        200,
      );
    });

    it('counts an IPv6 client by its /64, so rotating the interface part does not escape', async () => {
      const practice = await aPractice(ctx.db);
      const who = await aFineGrid(ctx.db, practice);
      const statuses: number[] = [];
      for (let i = 0; i < 21; i++) {
        statuses.push(
          (await ask(practice, who, { from, days: 7 }, { from: `2001:db8:1:2::${(i + 1).toString(16)}` }))
            .status,
        );
      }
      expect(statuses).to.deep.equal([...Array(20).fill(200), 429]);
    });
  });

  describe('with the limit off (AVAILABILITY_PER_MINUTE=0)', () => {
    const ctx = useApi({ now: NOW, env: { AVAILABILITY_PER_MINUTE: '0' } });
    const ask = asker(ctx);

    it('never refuses', async () => {
      const practice = await aPractice(ctx.db);
      const who = await aFineGrid(ctx.db, practice);
      for (let i = 0; i < 30; i++) {
        expect(
          (await ask(practice, who, { from: new Date('2026-06-08T00:00:00Z'), days: 62 })).status,
        ).to.equal(200);
      }
    });
  });

  describe('answers (default limit)', () => {
    const ctx = useApi({ now: NOW });
    const ask = asker(ctx);

    it('cuts a 62-day fine grid at a week of slots and says where to continue; a week is never cut', async () => {
      const practice = await aPractice(ctx.db);
      const who = await aFineGrid(ctx.db, practice);
      const from = new Date('2026-06-08T00:00:00Z');
      const week = await ask(practice, who, { from, days: 7 });
      expect(week.body.nextFrom).to.equal(null);
      expect(week.body.slots.length).to.equal(7 * 282);

      const long = await ask(practice, who, { from, days: 62 });
      expect(long.status).to.equal(200);
      expect(long.body.slots.length).to.equal(MAX_SLOTS);
      expect(JSON.stringify(long.body).length, 'bytes').to.be.below(400_000);
      const starts: string[] = long.body.slots.map((s: { startsAt: string }) => s.startsAt);
      expect(starts.slice(0, week.body.slots.length)).to.deep.equal(
        week.body.slots.map((s: { startsAt: string }) => s.startsAt),
      );
      const next = long.body.nextFrom as string;
      expect(Date.parse(next)).to.be.greaterThan(Date.parse(starts.at(-1)!));

      const rest = await ask(practice, who, { from: new Date(next), days: 7 });
      expect(rest.body.slots[0].startsAt, 'the follow-up starts where the cut answer stopped').to.equal(next);
      // What the cut left out is exactly the slots between the last listed one and nextFrom: none.
      expect(Date.parse(next) - Date.parse(starts.at(-1)!)).to.equal(5 * 60_000);
    });

    it('never offers from its cache a slot that a request committed before the question holds', async () => {
      const practice = await aPractice(ctx.db);
      const who = await aFineGrid(ctx.db, practice, 24);
      const from = new Date('2026-06-03T00:00:00Z');
      for (let i = 0; i < 5; i++) {
        // A client each: one client may hold only a few pending requests.
        const client = await aClient(ctx.db, practice);
        const token = await new TokenService(ctx.stack.config.authSecret!, ctx.clock).sign(
          { typ: 'client', sub: client.id, pid: practice.id },
          new Date(ctx.clock.now().getTime() + 2 * HOUR_MS),
        );
        const before = await ask(practice, who, { from, days: 7 }, { token });
        const again = await ask(practice, who, { from, days: 7 }, { token });
        expect(again.body, 'the same question gives the same answer').to.deep.equal(before.body);
        const slot = before.body.slots[i * 40];
        const taken = await ctx.http.post(
          `/portal/${practice.slug}/requests`,
          { clinicianId: who.clinician.id, serviceId: who.service.id, startsAt: slot.startsAt },
          { token, headers: { 'idempotency-key': `cache-test-${i}-${practice.id}` } },
        );
        expect(taken.status, JSON.stringify(taken.body)).to.equal(201);
        const after = await ask(practice, who, { from, days: 7 }, { token });
        const starts = after.body.slots.map((s: { startsAt: string }) => s.startsAt);
        expect(starts, `request ${i}`).to.not.include(slot.startsAt);
        expect(starts.length).to.be.below(before.body.slots.length);
      }
    });

    it('never offers from its cache a slot whose minimum notice has passed', async () => {
      const practice = await aPractice(ctx.db);
      const who = await aFineGrid(ctx.db, practice, 24);
      const from = new Date('2026-06-02T00:00:00Z');
      const first = await ask(practice, who, { from, days: 7 });
      const s0 = first.body.slots[0].startsAt as string;
      expect(s0).to.equal('2026-06-02T12:00:00.000Z');
      // Exactly at the edge the first slot is still offered (start ≥ now + 24 h) ...
      ctx.clock.set(new Date(Date.parse(s0) - 24 * HOUR_MS));
      expect((await ask(practice, who, { from, days: 7 })).body.slots[0].startsAt).to.equal(s0);
      // ... and one second later it is not, although nothing in the database changed.
      ctx.clock.advance(1_000);
      const later = await ask(practice, who, { from, days: 7 });
      expect(later.body.slots[0].startsAt).to.equal('2026-06-02T12:05:00.000Z');
      expect(later.body.slots.length).to.equal(first.body.slots.length - 1);
    });
  });

  describe('AvailabilityCache', () => {
    it('serves an entry only from its computation until its first slot would drop, and within its TTL', () => {
      const cache = new AvailabilityCache({ maxBytes: 1_000, ttlMs: 60_000 });
      cache.set('a', '{"slots":[1]}', 1_000, 5_000);
      expect(cache.get('a', 999), 'before it was computed').to.equal(null);
      cache.set('a', '{"slots":[1]}', 1_000, 5_000);
      expect(cache.get('a', 1_000)).to.equal('{"slots":[1]}');
      expect(cache.get('a', 5_000), 'the first slot is still offered at its edge').to.equal('{"slots":[1]}');
      expect(cache.get('a', 5_001)).to.equal(null);
      cache.set('b', '{"slots":[]}', 1_000, null);
      expect(cache.get('b', 60_999)).to.equal('{"slots":[]}');
      expect(cache.get('b', 61_000), 'TTL').to.equal(null);
      for (let i = 0; i < 40; i++) cache.set(`k${i}`, 'x'.repeat(100), 1_000, null);
      expect(cache.get('k0', 1_000), 'the oldest entries go past maxBytes').to.equal(null);
      expect(cache.get('k39', 1_000)).to.equal('x'.repeat(100));
    });
  });
});
