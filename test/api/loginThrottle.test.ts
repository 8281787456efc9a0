import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { useApi } from './context';
import { aPractice, aStaffUser, fixturePassword } from '../fixtures';
import type { StaffUser } from '../../models';
import type { TestResponse } from '../support/http';

const OWNER_DESK = '198.51.100.10';
/** 25 attacker addresses (RFC 5737 documentation range). */
const botnet = Array.from({ length: 25 }, (_, i) => `203.0.113.${i + 1}`);

describe('staff sign-in throttling', () => {
  const ctx = useApi();

  let user: StaffUser;
  beforeEach(async () => {
    user = await aStaffUser(ctx.db, await aPractice(ctx.db));
  });

  const login = (password: string, from: string) =>
    ctx.http.post(
      '/api/auth/login',
      { email: user.email, password },
      { headers: { 'x-forwarded-for': from } },
    );
  const retryAfter = (res: TestResponse) => Number(res.headers.get('retry-after'));

  it('lets the owner in from their usual address through 50 guesses from 25 addresses, which it slows down more and more', async () => {
    expect((await login(fixturePassword, OWNER_DESK)).status, 'the owner signed in here before').to.equal(
      200,
    );

    const answers: TestResponse[] = [];
    for (let i = 0; i < 50; i++) {
      answers.push(await login(`guess-${i}`, botnet[i % botnet.length]));
      ctx.clock.advance(1_000);
    }
    const statuses = answers.map((a) => a.status);
    expect(statuses.slice(0, 5), 'the first few guesses are only wrong').to.deep.equal(Array(5).fill(401));
    const checked = statuses.filter((s) => s === 401).length;
    expect(checked, 'guesses that got to check a password').to.be.within(5, 10);
    expect(statuses.filter((s) => s === 429).length).to.equal(50 - checked);
    for (const a of answers.filter((x) => x.status === 429)) {
      expect(a.body.code).to.equal('RATE_LIMITED');
      expect(retryAfter(a)).to.be.greaterThan(0);
    }
    // The wait the attacker is told after each further wrong guess grows.
    const waits = answers
      .filter((a, i) => a.status === 429 && answers[i - 1]?.status === 401)
      .map(retryAfter);
    expect(waits.length).to.be.greaterThan(2);
    for (let i = 1; i < waits.length; i++) expect(waits[i], `wait ${i}`).to.be.greaterThan(waits[i - 1]);

    const owner = await login(fixturePassword, OWNER_DESK);
    expect(owner.status, JSON.stringify(owner.body)).to.equal(200);
    expect(owner.body.user.id).to.equal(user.id);
  });

  it('slows the right password from a new address during an attack, and lets it in once the wait is over', async () => {
    for (let i = 0; i < 7; i++) {
      if (i > 0) ctx.clock.advance(60_000);
      expect((await login(`guess-${i}`, botnet[i])).status).to.equal(401);
    }
    const hotel = await login(fixturePassword, '192.0.2.44');
    expect(hotel.status).to.equal(429);
    ctx.clock.advance(retryAfter(hotel) * 1_000);
    expect((await login(fixturePassword, '192.0.2.44')).status).to.equal(200);
  });

  it('still limits guesses at the owner\u2019s own address, and forgives them after a successful sign-in', async () => {
    expect((await login(fixturePassword, OWNER_DESK)).status).to.equal(200);
    for (let i = 0; i < 4; i++) expect((await login(`typo-${i}`, OWNER_DESK)).status).to.equal(401);
    expect((await login(fixturePassword, OWNER_DESK)).status).to.equal(200);
    for (let i = 0; i < 5; i++) expect((await login(`typo-${i}`, OWNER_DESK)).status).to.equal(401);
    expect((await login(fixturePassword, OWNER_DESK)).status, 'five typos in a row at one address').to.equal(
      429,
    );
  });

  it('counts 20 parallel wrong guesses for one account one by one: only 5 get to check a password', async () => {
    const answers = await Promise.all(botnet.slice(0, 20).map((from, i) => login(`parallel-${i}`, from)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).to.deep.equal([...Array(5).fill(401), ...Array(15).fill(429)]);
    const [row] = await ctx.db.sequelize.query<{ n: string }>(
      'SELECT count(*) AS n FROM auth_failures WHERE key = :key',
      {
        replacements: { key: `account:${user.email.toLowerCase()}` },
        type: QueryTypes.SELECT,
      },
    );
    expect(Number(row.n), 'failures recorded for the account').to.equal(5);
  });

  it('counts 20 parallel wrong guesses from one address one by one', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login(`same-${i}`, '192.0.2.99')));
    expect(answers.filter((a) => a.status === 401).length).to.equal(5);
    expect(answers.filter((a) => a.status === 429).length).to.equal(15);
  });
});
