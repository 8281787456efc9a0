import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { freshDatabase } from '../support/database';
import { spawnApp, type AppProcess } from '../support/appProcess';
import { freePort } from '../support/ports';
import { startDevServer, type DevServer } from '../../temporal/devServer';
import { TEST_CODEC_KEYS } from '../support/codecKeys';

describe('SIGTERM while Temporal is unreachable', function () {
  this.timeout(180_000);
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let temporal: DevServer | undefined;
  const processes: AppProcess[] = [];

  beforeEach(async () => {
    database = await freshDatabase();
    temporal = await startDevServer({ port: await freePort() });
  });
  afterEach(async () => {
    for (const p of processes.splice(0)) await p.stop('SIGKILL');
    await temporal?.stop();
    await database.drop();
  });

  for (const [name, script] of [
    ['the worker', 'app/worker.ts'],
    ['the API', 'app/api.ts'],
  ] as const) {
    it(`${name} drains, closes its connections and exits 0`, async () => {
      const app = spawnApp(script, {
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        DATABASE_URL: database.url,
        TEMPORAL_ADDRESS: temporal!.address,
        AUTH_SECRET: randomBytes(32).toString('hex'),
        TEMPORAL_CODEC_KEYS: TEST_CODEC_KEYS,
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
      });
      processes.push(app);
      await app.waitFor(/worker running|API listening/, 120_000);
      await temporal!.stop();
      temporal = undefined;
      const exit = await app.stop('SIGTERM');
      expect(exit, app.output()).to.deep.equal({ code: 0, signal: null });
      expect(app.output()).to.contain('SIGTERM: shutting down').and.to.contain('"msg":"stopped"');
      expect(app.output()).not.to.match(/Assertion|contextify|FATAL/i);
    });
  }
});
