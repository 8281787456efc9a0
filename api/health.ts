import { Router } from 'express';
import type { Client } from '@temporalio/client';
import { databaseReachable } from '../models/db';
import { temporalReachable } from '../temporal/connection';
import type { Store } from '../models/store';

/** Liveness (`/healthz`) and readiness (`/readyz`: PostgreSQL and Temporal both answer). */
export function createHealthRouter({ db, temporal }: { db: Store; temporal: Client }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [database, temporalOk] = await Promise.all([
      databaseReachable(db.sequelize),
      temporalReachable(temporal),
    ]);
    const checks = { database: database ? 'ok' : 'unreachable', temporal: temporalOk ? 'ok' : 'unreachable' };
    const ready = database && temporalOk;
    if (!ready) res.setHeader('Retry-After', '5');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  });
  return router;
}
