import express, { type Express } from 'express';
import type { Sequelize } from 'sequelize';
import type { Client } from '@temporalio/client';
import type { Config } from '../app/config';
import type { Clock } from '../app/clock';
import type { Logger } from '../app/logger';
import { errorHandler, notFoundHandler } from './errors';
import { createHealthRouter } from './health';

/** What the HTTP app is built from. */
export interface AppDeps {
  db: Sequelize;
  temporal: Client;
  config: Config;
  clock: Clock;
  log: Logger;
}

/** The Express app: health, portal and staff routes, one problem+json error handler. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(express.json({ limit: '64kb' }));
  app.use(createHealthRouter(deps));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.log));
  return app;
}
