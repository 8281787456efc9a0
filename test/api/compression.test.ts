import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { expect } from 'chai';
import express from 'express';
import { compressionMiddleware, EncodedAnswers, type HttpCompression } from '../../api/compression';
import { useApi } from './context';
import { aClinician, aPractice, aService } from '../fixtures';

/** Raw answer bytes and headers, without fetch's automatic decompression. */
function rawGet(
  url: string,
  acceptEncoding?: string,
): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      url,
      { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
  });
}

function decode(answer: { headers: http.IncomingHttpHeaders; body: Buffer }): string {
  const encoding = answer.headers['content-encoding'];
  if (encoding === 'gzip') return gunzipSync(answer.body).toString();
  if (encoding === 'br') return brotliDecompressSync(answer.body).toString();
  expect(encoding, 'no other encoding is offered').to.equal(undefined);
  return answer.body.toString();
}

const BIG = JSON.stringify({ slots: Array.from({ length: 200 }, (_, i) => ({ startsAt: `slot ${i}` })) });
const SMALL = JSON.stringify({ slots: [] });

describe('compression: negotiation and answers compressed once', () => {
  let server: http.Server;
  let base: string;
  const bodies: Record<string, string> = {};

  /** One app per setting, mounted under /<name>: /mw through the middleware, /answer through EncodedAnswers. */
  before(async () => {
    const app = express();
    const settings: Record<string, HttpCompression> = {
      off: null,
      gzip: { gzip: 1, brotli: null },
      brotli: { gzip: 1, brotli: 4 },
    };
    for (const [name, setting] of Object.entries(settings)) {
      const router = express.Router();
      const answers = new EncodedAnswers(setting);
      router.use(compressionMiddleware(setting));
      router.get('/mw', (_req, res) => {
        res.type('json').send(BIG);
      });
      router.get('/answer/:key', (req, res) =>
        answers.send(req, res, req.params.key, bodies[req.params.key] ?? BIG),
      );
      router.get('/small', (req, res) => answers.send(req, res, 'small', SMALL));
      app.use(`/${name}`, router);
    }
    server = http.createServer(app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((r) => server.close(r)));

  for (const path of ['mw', 'answer/a']) {
    it(`${path}: gzip when set to gzip, even for a client that prefers brotli; Vary: Accept-Encoding`, async () => {
      const answer = await rawGet(`${base}/gzip/${path}`, 'br, gzip');
      expect(answer.headers['content-encoding']).to.equal('gzip');
      expect(answer.headers.vary).to.match(/Accept-Encoding/i);
      expect(answer.body.length).to.be.lessThan(BIG.length / 3);
      expect(decode(answer)).to.equal(BIG);
    });

    it(`${path}: brotli when set and accepted, gzip for a client without it, nothing for identity`, async () => {
      const br = await rawGet(`${base}/brotli/${path}`, 'gzip, deflate, br');
      expect(br.headers['content-encoding']).to.equal('br');
      expect(decode(br)).to.equal(BIG);
      const gz = await rawGet(`${base}/brotli/${path}`, 'gzip');
      expect(gz.headers['content-encoding']).to.equal('gzip');
      expect(decode(gz)).to.equal(BIG);
      const plain = await rawGet(`${base}/brotli/${path}`, 'identity');
      expect(plain.headers['content-encoding']).to.equal(undefined);
      expect(plain.headers.vary).to.match(/Accept-Encoding/i);
      expect(decode(plain)).to.equal(BIG);
    });

    it(`${path}: nothing compressed when off`, async () => {
      const answer = await rawGet(`${base}/off/${path}`, 'gzip, br');
      expect(answer.headers['content-encoding']).to.equal(undefined);
      expect(answer.body.toString()).to.equal(BIG);
    });
  }

  it('leaves an answer under 1 kB as it is', async () => {
    const answer = await rawGet(`${base}/gzip/small`, 'gzip');
    expect(answer.headers['content-encoding']).to.equal(undefined);
    expect(answer.body.toString()).to.equal(SMALL);
  });

  it('sends the new text when an answer under the same key changes, never the old compressed copy', async () => {
    bodies.k = BIG;
    expect(decode(await rawGet(`${base}/gzip/answer/k`, 'gzip'))).to.equal(BIG);
    const changed = BIG.replace('slot 0', 'slot X');
    bodies.k = changed;
    expect(decode(await rawGet(`${base}/gzip/answer/k`, 'gzip'))).to.equal(changed);
  });
});

describe('compression: the availability answer', () => {
  const ctx = useApi({ now: '2026-06-01T12:00:00Z' });

  it('comes as brotli by default with Vary: Accept-Encoding, gzip to a client without brotli, plain JSON to one that asks for none', async () => {
    const practice = await aPractice(ctx.db);
    const service = await aService(ctx.db, practice, { durationMinutes: 30 });
    const clinician = await aClinician(ctx.db, practice, {
      preferences: {
        initialConsultationServiceId: service.id,
        startTimeIntervalMinutes: 15,
        minimumNoticeHours: 0,
      },
      rules: [{ rrule: 'FREQ=DAILY', startTime: '09:00', endTime: '17:00', timeZone: 'UTC' }],
    });
    const q = new URLSearchParams({
      clinicianId: clinician.id,
      serviceId: service.id,
      from: '2026-06-08T00:00:00Z',
      to: '2026-06-15T00:00:00Z',
    });
    const url = `${ctx.stack.url}/portal/${practice.slug}/availability?${q}`;
    const br = await rawGet(url, 'gzip, deflate, br');
    expect(br.headers['content-encoding']).to.equal('br');
    expect(br.headers.vary).to.match(/Accept-Encoding/i);
    const gz = await rawGet(url, 'gzip');
    expect(gz.headers['content-encoding']).to.equal('gzip');
    const plain = await rawGet(url, 'identity');
    expect(plain.headers['content-encoding']).to.equal(undefined);
    expect(decode(br)).to.equal(plain.body.toString());
    expect(decode(gz)).to.equal(plain.body.toString());
    expect((JSON.parse(plain.body.toString()) as { slots: unknown[] }).slots).to.have.length(7 * 31);
  });
});
