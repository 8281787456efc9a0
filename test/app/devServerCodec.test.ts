import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../app/config';
import { openTemporal, type Stopper } from '../../app/runtime';
import { freePort } from '../support/ports';
import { TEST_CODEC_KEYS } from '../support/codecKeys';

// What `npm start` does: app/runtime.ts starts the dev server; its Web UI must call the API's codec endpoint.
describe('npm start: the dev server Web UI decodes payloads through the codec endpoint', function () {
  this.timeout(120_000);
  const stops: Stopper[] = [];
  after(async () => {
    for (const stop of stops) await stop();
  });

  it('starts the UI with --ui-codec-endpoint at the API, carrying the operator token', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-codec-'));
    const uiPort = await freePort();
    const token = randomBytes(32).toString('base64url');
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(uiPort),
      PUBLIC_URL: 'http://localhost:3999',
      TEMPORAL_CODEC_KEYS: TEST_CODEC_KEYS,
      TEMPORAL_CODEC_OPERATOR_TOKEN: token,
    });
    const temporal = await openTemporal(config, { allowDevServer: true });
    stops.push(...temporal.stops, async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    // The UI server hands its settings to the browser app; the codec endpoint is among them.
    let settings: { Codec?: { Endpoint?: string } } = {};
    for (let i = 0; i < 100 && !settings.Codec; i++) {
      const res = await fetch(`http://127.0.0.1:${uiPort}/api/v1/settings`).catch(() => null);
      if (res?.ok) settings = (await res.json()) as typeof settings;
      else await new Promise((r) => setTimeout(r, 200));
    }
    expect(settings.Codec?.Endpoint).to.equal(`http://localhost:3999/codec/operator/${token}`);
  });
});
