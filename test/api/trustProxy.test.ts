import { expect } from 'chai';
import { useApi } from './context';
import { aClient, aClinician, aPractice, aService } from '../fixtures';
import { TokenService } from '../../api/auth/tokens';
import { SUBMISSIONS_PER_ADDRESS } from '../../api/submissionLimit';
import type { TestResponse } from '../support/http';
import { TEST_CODEC_KEYS } from '../support/codecKeys';

// Production as an operator would run it; HOST pins IPv4 loopback so the socket address is 127.0.0.1.
const production = (extra: Record<string, string> = {}) => ({
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  DATABASE_URL: 'postgres://unused@localhost/unused',
  AUTH_SECRET: 'trust-proxy-test-secret-of-enough-length',
  TEMPORAL_CODEC_KEYS: TEST_CODEC_KEYS,
  ...extra,
});

let next = 0;
/** A fresh documentation address (RFC 5737) per call, as a proxy would forward a new client. */
const forwarded = () => `203.0.113.${(next++ % 250) + 1}`;

/** Per-address limits as seen through X-Forwarded-For, for one trust-proxy setting. */
function limitsBehind(env: Record<string, string>) {
  const ctx = useApi({ env });

  /** A signed-in client's submission for a time the clinician never offers: refused (409), but counted. */
  async function submitter() {
    const practice = await aPractice(ctx.db);
    const service = await aService(ctx.db, practice);
    const clinician = await aClinician(ctx.db, practice);
    const client = await aClient(ctx.db, practice);
    const token = await new TokenService(ctx.stack.config.authSecret!, ctx.clock).sign(
      { typ: 'client', sub: client.id, pid: practice.id },
      new Date(ctx.clock.now().getTime() + 3_600_000),
    );
    return (address: string) =>
      ctx.http.post(
        `/portal/${practice.slug}/requests`,
        // 03:00 in New York on a weekday: outside the 09:00-17:00 rule.
        { clinicianId: clinician.id, serviceId: service.id, startsAt: '2026-06-10T07:00:00Z' },
        { token, headers: { 'x-forwarded-for': address } },
      );
  }

  /** A failed staff sign-in for an address nobody uses, so only the per-address limit can refuse it. */
  const wrongLogin = (address: string) =>
    ctx.http.post(
      '/api/auth/login',
      { email: `nobody-${next++}@example.test`, password: 'wrong' },
      { headers: { 'x-forwarded-for': address } },
    );

  return { ctx, submitter, wrongLogin };
}

const statuses = (answers: TestResponse[]) => answers.map((a) => a.status);

describe('trust proxy', () => {
  describe('production with TRUST_PROXY unset', () => {
    const { submitter, wrongLogin } = limitsBehind(production());

    it('counts every submission from loopback as one address, however X-Forwarded-For rotates', async () => {
      const submit = await submitter();
      const answers: TestResponse[] = [];
      for (let i = 0; i <= SUBMISSIONS_PER_ADDRESS.max; i++) answers.push(await submit(forwarded()));
      expect(statuses(answers)).to.deep.equal([...Array(SUBMISSIONS_PER_ADDRESS.max).fill(409), 429]);
      expect(answers.at(-1)!.body.code).to.equal('RATE_LIMITED');
    });

    it('counts every failed sign-in from loopback against one address, however X-Forwarded-For rotates', async () => {
      const answers: TestResponse[] = [];
      for (let i = 0; i < 31; i++) answers.push(await wrongLogin(forwarded()));
      expect(statuses(answers)).to.deep.equal([...Array(30).fill(401), 429]);
      expect(Number(answers.at(-1)!.headers.get('retry-after'))).to.be.greaterThan(0);
    });
  });

  describe('production with TRUST_PROXY=1 (one load balancer in front)', () => {
    const { submitter, wrongLogin } = limitsBehind(production({ TRUST_PROXY: '1' }));

    it('gives each forwarded client its own submission limit', async () => {
      const submit = await submitter();
      const rotating: TestResponse[] = [];
      for (let i = 0; i <= SUBMISSIONS_PER_ADDRESS.max; i++) rotating.push(await submit(forwarded()));
      expect(statuses(rotating), 'distinct clients').to.deep.equal(
        Array(SUBMISSIONS_PER_ADDRESS.max + 1).fill(409),
      );
      const one = forwarded();
      const same: TestResponse[] = [];
      for (let i = 0; i <= SUBMISSIONS_PER_ADDRESS.max; i++) same.push(await submit(one));
      expect(statuses(same), 'one client').to.deep.equal([
        ...Array(SUBMISSIONS_PER_ADDRESS.max).fill(409),
        429,
      ]);
    });

    it('gives each forwarded client its own sign-in limit', async () => {
      const answers: TestResponse[] = [];
      for (let i = 0; i < 31; i++) answers.push(await wrongLogin(forwarded()));
      expect(statuses(answers)).to.deep.equal(Array(31).fill(401));
    });
  });

  describe('production with TRUST_PROXY naming the proxy network (CIDR)', () => {
    const { submitter } = limitsBehind(production({ TRUST_PROXY: '127.0.0.0/8' }));

    it('gives each forwarded client its own submission limit', async () => {
      const submit = await submitter();
      const answers: TestResponse[] = [];
      for (let i = 0; i <= SUBMISSIONS_PER_ADDRESS.max; i++) answers.push(await submit(forwarded()));
      expect(statuses(answers)).to.deep.equal(Array(SUBMISSIONS_PER_ADDRESS.max + 1).fill(409));
    });
  });
});
