import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { useApi } from './context';
import { aPractice } from '../fixtures';
import type { TestResponse } from '../support/http';

/** How many of 20 requests sent at once were let through, and how many were counted. */
async function burst(send: () => Promise<TestResponse>): Promise<{ accepted: number; limited: number }> {
  const answers = await Promise.all(Array.from({ length: 20 }, send));
  const statuses = answers.map((a) => a.status);
  return {
    accepted: statuses.filter((s) => s === 202).length,
    limited: statuses.filter((s) => s === 429).length,
  };
}

describe('code request limits under parallel requests', function () {
  this.timeout(120_000);
  // No worker: a 202 means the email's workflow started; whether it ran does not matter here.
  const ctx = useApi();

  const countedUnder = async (prefix: string) => {
    const [{ n }] = await ctx.db.sequelize.query<{ n: string }>(
      'SELECT count(*) AS n FROM auth_failures WHERE key LIKE :prefix',
      { replacements: { prefix: `${prefix}%` }, type: QueryTypes.SELECT },
    );
    return Number(n);
  };

  it('sends 5 sign-in codes for one address out of 20 asked for at once, and counts each once', async () => {
    const practice = await aPractice(ctx.db);
    const result = await burst(() =>
      ctx.http.post(`/portal/${practice.slug}/auth/code`, { email: 'burst@example.test' }),
    );
    expect(result).to.deep.equal({ accepted: 5, limited: 15 });
    expect(await countedUnder(`sign-in-code:${practice.id}:`)).to.equal(5);
  });

  it('sends 5 email verification codes for one mailbox out of 20 asked for at once', async () => {
    const practice = await aPractice(ctx.db, { allowNewClients: true });
    const result = await burst(() =>
      ctx.http.post(`/portal/${practice.slug}/email-verifications`, { email: 'burst@example.test' }),
    );
    expect(result).to.deep.equal({ accepted: 5, limited: 15 });
    expect(await countedUnder(`email-verification:${practice.id}:`)).to.equal(5);
  });
});
