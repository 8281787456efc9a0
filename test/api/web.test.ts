import { expect } from 'chai';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import http from 'node:http';
import { useApi } from './context';

/** A GET with a raw Accept-Encoding, so the test sees the bytes on the wire (fetch would decode them). */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on('error', reject);
  });
}

describe('the root page and compression', () => {
  const ctx = useApi({ env: { SEED_DEMO: 'true' } });

  it('sends a person who opens / to the dashboard or their practice’s portal', async () => {
    const page = await ctx.http.get('/', { headers: { accept: 'text/html' } });
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/text\/html/);
    expect(page.body).to.contain('href="/app"').and.to.contain('http://portal.test/portal/your-practice');
    expect(page.body).to.contain('href="/portal/demo"');
    // Its one inline style is allowed by hash; scripts stay refused.
    expect(page.headers.get('content-security-policy')).to.match(/style-src 'sha256-[^']+'/);
    expect(page.headers.get('content-security-policy')).not.to.contain('unsafe-inline');
  });

  it('answers an API client at / with where things are, not a 404', async () => {
    const res = await ctx.http.get('/');
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ dashboard: '/app', openapi: '/openapi.json' });
  });

  it('compresses JSON (gzip and brotli) and leaves tiny answers alone', async () => {
    const url = `${ctx.stack.url}/openapi.json`;
    const plain = await rawGet(url, { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).to.equal(undefined);
    const gz = await rawGet(url, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).to.equal('gzip');
    expect(gunzipSync(gz.body).equals(plain.body)).to.equal(true);
    expect(gz.body.length).to.be.below(plain.body.length / 3);
    const br = await rawGet(url, { 'accept-encoding': 'br' });
    expect(br.headers['content-encoding']).to.equal('br');
    expect(brotliDecompressSync(br.body).equals(plain.body)).to.equal(true);
    const health = await rawGet(`${ctx.stack.url}/healthz`, { 'accept-encoding': 'gzip' });
    expect(health.headers['content-encoding']).to.equal(undefined);
  });
});
