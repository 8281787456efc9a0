import { expect } from 'chai';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnApp, type AppProcess } from '../support/appProcess';
import { freePort } from '../support/ports';
import { scrape } from '../../tools/metrics/scrape';

describe('`npm start` with METRICS_PORT and TEMPORAL_METRICS_PORT', function () {
  this.timeout(420_000);
  let app: AppProcess | undefined;
  let dataDir: string | undefined;

  after(async () => {
    if (app) await app.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints both addresses, and each serves its figures: HTTP requests by route, the worker and client of one SDK runtime', async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'booking-start-metrics-'));
    // The embedded server runs as the postgres user when the tests run as root: it must be able to enter.
    chmodSync(dataDir, 0o755);
    const port = await freePort();
    const metricsPort = await freePort();
    const sdkPort = await freePort();
    app = spawnApp('app/start.ts', {
      DATA_DIR: dataDir,
      PORT: String(port),
      EMBEDDED_PG_PORT: String(await freePort()),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      METRICS_PORT: String(metricsPort),
      TEMPORAL_METRICS_PORT: String(sdkPort),
    });
    await app.waitFor(/Ctrl-C stops everything/, 400_000);
    const http = app.output().match(/HTTP metrics:\s+(\S+)/)?.[1];
    const sdk = app.output().match(/SDK metrics:\s+(\S+)/)?.[1];
    expect(http).to.equal(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(sdk).to.equal(`http://127.0.0.1:${sdkPort}/metrics`);

    for (let i = 0; i < 2; i++) expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).to.equal(200);
    const api = await scrape(http!);
    expect(api.sum('http_requests_total', { route: '/readyz', status_code: '200' })).to.equal(2);
    // One runtime for the worker and the API's client: the worker's pollers and the client's calls on one page.
    const runtime = await scrape(sdk!);
    expect(runtime.find('temporal_num_pollers').length, 'the worker polls').to.be.greaterThan(0);
    // Only the API's client lists search attributes (at start, ensureSearchAttributes): the worker never does.
    const operations = runtime.labelValues('temporal_request', 'operation');
    expect(operations, operations.join(',')).to.include('ListSearchAttributes');
  });
});
