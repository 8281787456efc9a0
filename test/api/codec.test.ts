import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { useApi } from './context';
import { aPractice, aStaffUser, fixturePassword } from '../fixtures';
import { AesGcmCodec, ENCRYPTED_ENCODING, generateCodecKey } from '../../temporal/codec';
import { testCodecKeys } from '../support/codecKeys';

const UI = 'http://temporal-ui.test:8233';
const OPERATOR = randomBytes(32).toString('base64url');

/** A payload as the Temporal UI posts it: proto3 JSON, bytes in base64. */
function asJson(p: { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null }) {
  return {
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
    ),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  };
}

const fromJson = (p: { metadata: Record<string, string>; data: string }) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data, 'base64'),
});

describe('the codec endpoint (the Temporal UI decrypts payloads through it)', () => {
  const ctx = useApi({ env: { TEMPORAL_CODEC_OPERATOR_TOKEN: OPERATOR, TEMPORAL_UI_URL: UI } });
  const codec = new AesGcmCodec(testCodecKeys);
  const secretText = 'Jordan Example cancels: custody hearing on Friday';

  async function encrypted() {
    const [payload] = await codec.encode([defaultPayloadConverter.toPayload({ reason: secretText })]);
    return { payloads: [asJson(payload)] };
  }

  async function staff(role: 'admin_clinician' | 'clinician' | 'practice_manager') {
    const user = await aStaffUser(ctx.db, await aPractice(ctx.db), { role });
    return ctx.http.signIn(user.email, fixturePassword);
  }

  it('refuses without a staff token (401) and for a clinician without the role (403), writing no payload out', async () => {
    const body = await encrypted();
    const none = await ctx.http.post('/codec/decode', body, { headers: { 'x-namespace': 'default' } });
    expect(none.status).to.equal(401);
    expect(JSON.stringify(none.body)).to.not.include('Jordan');
    const forged = await ctx.http.post('/codec/decode', body, { token: 'not-a-token' });
    expect(forged.status).to.equal(401);
    const wrongOperator = await ctx.http.post(`/codec/operator/${'x'.repeat(43)}/decode`, body);
    expect(wrongOperator.status).to.equal(401);
    const clinician = await ctx.http.post('/codec/decode', body, { token: await staff('clinician') });
    expect(clinician.status).to.equal(403);
    expect(JSON.stringify(clinician.body)).to.not.include('Jordan');
    expect((await ctx.http.post('/codec/encode', body, { token: await staff('clinician') })).status).to.equal(
      403,
    );
  });

  for (const role of ['admin_clinician', 'practice_manager'] as const) {
    it(`round-trips for a signed-in ${role.replace('_', ' ')}: encode, then decode to the same value`, async () => {
      const token = await staff(role);
      const plain = defaultPayloadConverter.toPayload({ note: secretText });
      const enc = await ctx.http.post('/codec/encode', { payloads: [asJson(plain)] }, { token });
      expect(enc.status).to.equal(200);
      const sealed = fromJson(enc.body.payloads[0]);
      expect(Buffer.from(sealed.metadata.encoding).toString()).to.equal(ENCRYPTED_ENCODING);
      expect(sealed.data.toString('latin1')).to.not.include('Jordan');
      // What the endpoint encrypted, the app's own codec opens: the same keys.
      const [opened] = await codec.decode([sealed]);
      expect(defaultPayloadConverter.fromPayload(opened)).to.deep.equal({ note: secretText });
      const dec = await ctx.http.post('/codec/decode', enc.body, { token });
      expect(dec.status).to.equal(200);
      expect(defaultPayloadConverter.fromPayload(fromJson(dec.body.payloads[0]))).to.deep.equal({
        note: secretText,
      });
    });
  }

  it('decodes for the operator token, as a bearer token or in the path the dev server UI is given', async () => {
    const body = await encrypted();
    for (const res of [
      await ctx.http.post('/codec/decode', body, { token: OPERATOR }),
      await ctx.http.post(`/codec/operator/${OPERATOR}/decode`, body),
    ]) {
      expect(res.status).to.equal(200);
      expect(defaultPayloadConverter.fromPayload(fromJson(res.body.payloads[0]))).to.deep.equal({
        reason: secretText,
      });
    }
  });

  it('passes unencrypted payloads through, and names a key it does not hold without decrypting anything', async () => {
    const plain = defaultPayloadConverter.toPayload('plain');
    const res = await ctx.http.post('/codec/decode', { payloads: [asJson(plain)] }, { token: OPERATOR });
    expect(defaultPayloadConverter.fromPayload(fromJson(res.body.payloads[0]))).to.equal('plain');
    const [foreign] = await new AesGcmCodec([generateCodecKey('elsewhere')]).encode([plain]);
    const unknown = await ctx.http.post(
      '/codec/decode',
      { payloads: [asJson(foreign)] },
      { token: OPERATOR },
    );
    expect(unknown.status).to.equal(400);
    expect(unknown.body.detail).to.include('"elsewhere"');
    const bad = await ctx.http.post('/codec/decode', { payloads: 'nope' }, { token: OPERATOR });
    expect([bad.status, bad.body.field]).to.deep.equal([400, '/payloads']);
  });

  it("answers the UI's CORS preflight (X-Namespace, Authorization, credentials) for the UI's origin only", async () => {
    const preflight = (origin: string) =>
      fetch(`${ctx.stack.url}/codec/decode`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-namespace,authorization',
        },
      });
    const ok = await preflight(UI);
    expect(ok.status).to.be.oneOf([200, 204]);
    expect(ok.headers.get('access-control-allow-origin')).to.equal(UI);
    expect(ok.headers.get('access-control-allow-credentials')).to.equal('true');
    expect(ok.headers.get('access-control-allow-headers')!.toLowerCase()).to.include('x-namespace');
    expect(ok.headers.get('access-control-allow-methods')).to.include('POST');
    const other = await preflight('http://evil.test');
    expect(other.headers.get('access-control-allow-origin')).to.equal(null);
    const post = await ctx.http.post('/codec/decode', await encrypted(), {
      token: OPERATOR,
      headers: { origin: UI, 'x-namespace': 'default' },
    });
    expect(post.status).to.equal(200);
    expect(post.headers.get('access-control-allow-origin')).to.equal(UI);
  });
});
