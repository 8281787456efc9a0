import express, { Router, type Express, type RequestHandler } from 'express';
import type { Client } from '@temporalio/client';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { Mailer } from '../emails/mailer';
import { errorHandler, notFoundHandler } from './errors';
import { createHealthRouter } from './health';
import { RouteRegistry, type RouteAuth } from './route';
import { TokenService } from './auth/tokens';
import { optionalClient, requireClient, requireStaff } from './auth/middleware';
import { staffAuthRoutes } from './staffAuth';
import { practiceSettingsRoutes } from './practiceSettings';
import { serviceRoutes } from './services';
import { practiceProfileRoutes } from './practiceProfile';
import { practiceReminderRoutes } from './practiceReminders';
import { clinicianRoutes } from './clinicians';
import { bookingPreferenceRoutes } from './bookingPreferences';
import { availabilityRuleRoutes } from './availabilityRules';
import { timeOffRoutes } from './timeOff';
import { portalInfoRoutes } from './portal';
import { portalAuthRoutes } from './portalAuth';
import { emailVerificationRoutes } from './emailVerifications';
import { oneTimeCodes } from '../booking/oneTimeCodes';
import { portalAppointmentRoutes } from './portalAppointments';
import { staffAppointmentRoutes } from './staffAppointments';
import { attendanceRoutes } from './attendance';
import { staffBookingRoutes } from './staffBooking';
import { rescheduleRoutes } from './reschedule';
import { portalRescheduleRequestRoutes } from './portalRescheduleRequests';
import { openApiRouter } from './openapi';
import { availabilityRoutes } from './availability';
import { portalRequestRoutes } from './portalRequests';
import { appointmentRequestRoutes } from './appointmentRequests';
import { notificationRoutes } from './notifications';
import { clientRoutes } from './clients';
import { webRouter } from './web';
import { staffRoutes } from './staff';
import { staffInvitationRoutes } from './staffInvitations';
import { practiceRoutes } from './practices';
import { securityMiddleware } from './security';
import { codecRouter } from './codec';
import type { CodecKey } from '../temporal/codec';
import { passwordResetRoutes } from './passwordReset';
import { auditLogRoutes } from './auditLog';
import { staffProfileRoutes } from './staffProfile';
import { calendarFeedRoutes } from './calendarFeed';
import { reminderOptOutRoutes } from './reminderOptOut';
import type { Store } from '../models/store';
import { compressionMiddleware, type HttpCompression } from './compression';
import type { HttpMetrics } from './metrics';

/**
 * What the API reads of the process's configuration. app/config.ts builds the whole of it at boot and hands it
 * down; the API names the part it uses instead of importing the composition root's type.
 */
export interface ApiConfig {
  env: 'development' | 'test' | 'production';
  publicUrl: string;
  taskQueue: string;
  seedDemo: boolean;
  authSecret: string | null;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  corsOrigins: string[];
  /** Express's `trust proxy`: all or none, a hop count, or addresses, CIDRs and Express's named ranges. */
  trustProxy: boolean | number | string[];
  availabilityPerMinute: number;
  signupEnabled: boolean;
  /** The payload keys of the codec endpoint (/codec); null leaves the endpoint out. */
  codecKeys: CodecKey[] | null;
  codecOperatorToken: string | null;
  /** The Temporal UI, the codec endpoint's browser caller (CORS). */
  temporalUiUrl: string | null;
  /** How answers over 1 kB are compressed (api/compression.ts); null: not at all. */
  httpCompression: HttpCompression;
  /** Availability questions read practices, rules and preferences from memory, checked per question. */
  availabilityCache: boolean;
}

/** What the HTTP app is built from. */
export interface AppDeps {
  db: Store;
  temporal: Client;
  config: ApiConfig;
  clock: Clock;
  log: Logger;
  mailer: Mailer;
  /** METRICS_PORT set: every request is timed and counted by route pattern (api/metrics.ts). */
  metrics?: HttpMetrics;
}

/** The Express app: health, portal and staff routes, OpenAPI, one problem+json error handler. */
export function createApp(deps: AppDeps): Express {
  const { db, clock, config, log } = deps;
  if (!config.authSecret)
    throw new Error('createApp: config.authSecret must be resolved before the app is built');
  const tokens = new TokenService(config.authSecret, clock);
  const sessions = { idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours };
  const staffAuth = requireStaff({ db, clock, tokens, sessions, publicUrl: config.publicUrl });
  const codes = oneTimeCodes(config.authSecret);
  const clientAuth = requireClient({ tokens, db });
  const maybeClient = optionalClient({ tokens, db });
  const authFor = (auth: RouteAuth): RequestHandler[] =>
    auth === 'staff'
      ? [staffAuth]
      : auth === 'client'
        ? [clientAuth]
        : auth === 'optional-client'
          ? [maybeClient]
          : [];

  const registry = new RouteRegistry();
  const routes = Router();
  registry.mount(
    routes,
    [
      ...staffAuthRoutes({
        db,
        clock,
        log,
        tokens,
        sessions,
        publicUrl: config.publicUrl,
        production: config.env === 'production',
      }),
      ...practiceSettingsRoutes({ db, publicUrl: config.publicUrl }),
      ...serviceRoutes({ db }),
      ...practiceProfileRoutes({ db }),
      ...clinicianRoutes({ db }),
      ...bookingPreferenceRoutes({ db }),
      ...availabilityRuleRoutes({ db }),
      ...timeOffRoutes({ db }),
      ...portalInfoRoutes({ db }),
      ...portalAuthRoutes({
        db,
        clock,
        log,
        tokens,
        codes,
        temporal: deps.temporal,
        taskQueue: config.taskQueue,
      }),
      ...emailVerificationRoutes({ db, clock, log, temporal: deps.temporal, taskQueue: config.taskQueue }),
      ...portalAppointmentRoutes({ db, clock, temporal: deps.temporal, taskQueue: config.taskQueue }),
      ...staffAppointmentRoutes({ db, clock, temporal: deps.temporal, taskQueue: config.taskQueue }),
      ...attendanceRoutes({ db, clock }),
      ...staffBookingRoutes({ db, clock, temporal: deps.temporal, taskQueue: config.taskQueue }),
      ...rescheduleRoutes({ db, clock, temporal: deps.temporal, taskQueue: config.taskQueue }),
      ...portalRescheduleRequestRoutes({ db, clock, temporal: deps.temporal, taskQueue: config.taskQueue }),
      ...availabilityRoutes({
        db,
        clock,
        perMinute: config.availabilityPerMinute,
        portalCache: config.availabilityCache,
        compression: config.httpCompression,
      }),
      ...portalRequestRoutes({ db, clock, codes, temporal: deps.temporal, taskQueue: config.taskQueue }),
      ...appointmentRequestRoutes({ db, clock, temporal: deps.temporal }),
      ...notificationRoutes({ db, clock }),
      ...clientRoutes({ db, clock, temporal: deps.temporal, taskQueue: config.taskQueue }),
      ...staffRoutes({ db, clock }),
      ...staffInvitationRoutes({
        db,
        clock,
        log,
        temporal: deps.temporal,
        taskQueue: config.taskQueue,
        codes,
        tokens,
        sessions,
        publicUrl: config.publicUrl,
        production: config.env === 'production',
      }),
      ...practiceRoutes({
        db,
        clock,
        log,
        temporal: deps.temporal,
        taskQueue: config.taskQueue,
        codes,
        signupEnabled: config.signupEnabled,
      }),
      ...auditLogRoutes({ db }),
      ...staffProfileRoutes({ db }),
      ...passwordResetRoutes({ db, clock, log, codes, temporal: deps.temporal, taskQueue: config.taskQueue }),
      ...calendarFeedRoutes({ db, clock, codes, publicUrl: config.publicUrl }),
      ...practiceReminderRoutes({ db }),
      ...reminderOptOutRoutes({ db, clock, log, codes }),
    ],
    authFor,
  );

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  // First, so every answer is counted, the codec endpoint's and refusals by later middleware included.
  if (deps.metrics) app.use(deps.metrics.middleware);
  // Before the API's own CORS and body limit: the Temporal UI calls it cross-origin, with large bodies.
  if (config.codecKeys)
    app.use(
      '/codec',
      codecRouter({
        keys: config.codecKeys,
        operatorToken: config.codecOperatorToken,
        origins: config.temporalUiUrl ? [new URL(config.temporalUiUrl).origin] : [],
        staffAuth,
        log,
      }),
    );
  app.use(securityMiddleware(config));
  // Scripts, styles and JSON (a week of slots is tens of kilobytes) shrink several times; tiny answers are left.
  app.use(compressionMiddleware(config.httpCompression));
  app.use(express.json({ limit: '64kb', strict: true }));
  app.use(createHealthRouter(deps));
  app.use(openApiRouter(registry, config.publicUrl));
  app.use(webRouter({ publicUrl: config.publicUrl, demoPortal: config.seedDemo }));
  app.use(routes);
  app.use(notFoundHandler);
  app.use(errorHandler(log));
  return app;
}
