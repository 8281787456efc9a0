import type { RequestHandler } from 'express';
import helmet from 'helmet';
import cors from 'cors';
import type { ApiConfig } from './app';

/**
 * Security headers (helmet) and CORS for the configured origins only. The default Content-Security-Policy
 * fits /docs as it is: the page loads Swagger UI and its start-up script as files, nothing inline.
 */
export function securityMiddleware(config: Pick<ApiConfig, 'env' | 'corsOrigins'>): RequestHandler[] {
  return [
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Over plain HTTP on a developer's machine an upgrade would send /docs' own assets to https and break it.
          upgradeInsecureRequests: config.env === 'production' ? [] : null,
        },
      },
    }),
    // Bearer tokens, never cookies: no credentials, so a listed origin can read answers but rides on no session.
    cors({
      origin: config.corsOrigins.length ? config.corsOrigins : false,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
      exposedHeaders: ['Retry-After', 'Idempotent-Replayed', 'WWW-Authenticate', 'Link'],
      maxAge: 600,
    }),
  ];
}
