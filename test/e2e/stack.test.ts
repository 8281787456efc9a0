import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { useApi } from '../api/context';
import { createApp } from '../../api/app';
import { loadConfig } from '../../app/config';
import { createLogger } from '../../lib/logger';
import { systemClock } from '../../lib/clock';
import { createDatabase } from '../../models/db';
import { createOutboxMailer } from '../../emails/mailer';
import { diagnosticsWorkflow } from '../../workflows/diagnostics';
import { httpClient } from '../support/http';

describe('end to end: API and worker on PostgreSQL and a Temporal dev server', function () {
  this.timeout(120_000);
  const ctx = useApi({ worker: true });

  it('is healthy and ready', async () => {
    expect((await ctx.http.get('/healthz')).body).to.deep.equal({ status: 'ok' });
    const ready = await ctx.http.get('/readyz');
    expect(ready.status).to.equal(200);
    expect(ready.body.checks).to.deep.equal({ database: 'ok', temporal: 'ok' });
  });

  it('runs a workflow through the real client and worker, visible through describe and list', async () => {
    const client = ctx.stack.temporal;
    const workflowId = `diagnostics-${randomBytes(6).toString('hex')}`;
    const handle = await client.workflow.start(diagnosticsWorkflow, {
      taskQueue: ctx.stack.config.taskQueue,
      workflowId,
    });
    const result = await handle.result();
    expect(result.taskQueue).to.equal(ctx.stack.config.taskQueue);
    expect((await handle.describe()).status.name).to.equal('COMPLETED');
    // Visibility is eventually consistent: poll briefly for the list to show it.
    let listed: string[] = [];
    for (let i = 0; i < 50 && listed.length === 0; i++) {
      listed = [];
      for await (const w of client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
        listed.push(w.workflowId);
      if (!listed.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(listed).to.deep.equal([workflowId]);
  });
});

describe('/readyz when a dependency is down', () => {
  async function serve(dbUrl: string, temporalAddress: string) {
    const config = { ...loadConfig({ NODE_ENV: 'test' }), authSecret: randomBytes(32).toString('hex') };
    const db = createDatabase(dbUrl);
    const temporal = new Client({ connection: Connection.lazy({ address: temporalAddress }) });
    const log = createLogger('silent');
    const app = createApp({
      db,
      temporal,
      config,
      clock: systemClock,
      log,
      mailer: createOutboxMailer({ dir: '/nonexistent' }),
    });
    const server = http.createServer(app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    return {
      http: httpClient(`http://127.0.0.1:${port}`),
      close: async () => {
        server.close();
        await db.sequelize.close();
        await temporal.connection.close().catch(() => {});
      },
    };
  }

  it('answers 503 naming PostgreSQL and Temporal when neither answers, with Retry-After', async () => {
    // Port 1 on loopback: nothing listens there, so both connections are refused at once.
    const app = await serve('postgres://postgres:postgres@127.0.0.1:1/booking', '127.0.0.1:1');
    try {
      const res = await app.http.get('/readyz');
      expect(res.status).to.equal(503);
      expect(res.headers.get('retry-after')).to.equal('5');
      expect(res.body.checks).to.deep.equal({ database: 'unreachable', temporal: 'unreachable' });
      expect((await app.http.get('/healthz')).status, 'the process itself is alive').to.equal(200);
    } finally {
      await app.close();
    }
  });
});
