import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../lib/logger';
import { ConnectionError, DatabaseError } from 'sequelize';
import { BookingError, bookingErrorStatus } from '../booking/errors';
import { TemporalUnavailableError } from '../temporal/errors';

/** Stable machine-readable codes of every problem the API answers with. */
export type ProblemCode =
  | 'VALIDATION_FAILED'
  | 'INVALID_JSON'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL'
  | (string & {});

/** An RFC 9457 problem: thrown anywhere, written by the one error middleware. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    readonly title: string,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
    this.name = 'ProblemError';
  }
}

/** 400 naming the failing field (a JSON pointer such as /newClient/email, or a query parameter name). */
export const badRequest = (field: string, detail: string, code: ProblemCode = 'VALIDATION_FAILED') =>
  new ProblemError(400, code, 'Invalid request', detail, { field });
export const unauthenticated = (detail = 'Sign in to continue.') =>
  new ProblemError(
    401,
    'UNAUTHENTICATED',
    'Authentication required',
    detail,
    {},
    { 'WWW-Authenticate': 'Bearer' },
  );
export const forbidden = (detail = 'You are not allowed to do this.', code: ProblemCode = 'FORBIDDEN') =>
  new ProblemError(403, code, 'Forbidden', detail);
export const notFound = (detail = 'Not found.') => new ProblemError(404, 'NOT_FOUND', 'Not found', detail);
export const conflict = (code: ProblemCode, detail: string, extra: Record<string, unknown> = {}) =>
  new ProblemError(409, code, 'Conflict', detail, extra);
export const serviceUnavailable = (detail: string, retryAfterSeconds = 5) =>
  new ProblemError(
    503,
    'SERVICE_UNAVAILABLE',
    'Service unavailable',
    detail,
    {},
    {
      'Retry-After': String(retryAfterSeconds),
    },
  );

/** Writes a problem+json answer (the codec endpoint writes its own errors through it too). */
export function send(res: Parameters<RequestHandler>[1], p: ProblemError): void {
  for (const [k, v] of Object.entries(p.headers)) res.setHeader(k, v);
  res
    .status(p.status)
    .type('application/problem+json')
    .json({
      type: `/problems/${p.code.toLowerCase().replace(/_/g, '-')}`,
      title: p.title,
      status: p.status,
      detail: p.detail ?? p.title,
      code: p.code,
      ...p.extra,
    });
}

/** The problem a business refusal becomes: its status by code, with the field for 400s. */
export function problemFromBookingError(err: BookingError): ProblemError {
  const status = bookingErrorStatus[err.code];
  const title =
    status === 404
      ? 'Not found'
      : status === 403
        ? 'Forbidden'
        : status === 429
          ? 'Too many requests'
          : status === 400
            ? 'Invalid request'
            : status === 422
              ? 'Unprocessable request'
              : status === 410
                ? 'Gone'
                : 'Conflict';
  return new ProblemError(status, err.code, title, err.message, {
    ...(err.field ? { field: err.field } : {}),
    ...err.extra,
  });
}

/** Temporal did not answer: 503 with Retry-After, and never a claim about a decision whose outcome is unknown. */
export function problemFromTemporalUnavailable(err: TemporalUnavailableError): ProblemError {
  return serviceUnavailable(
    err.call === 'decision'
      ? // The update may be waiting on a stalled activity and complete after this answer: never claim it did not.
        'We could not confirm this in time, and it may still have been recorded. ' +
          'Reload the request to see its status before trying again.'
      : 'Bookings are briefly unavailable. Nothing was recorded; please try again shortly.',
    5,
  );
}

/** 404 problem for any route nothing else answered. */
export const notFoundHandler: RequestHandler = (_req, res) => send(res, notFound('No such route.'));

/** The only place that writes error bodies: typed problems as they are, anything else as a logged 500. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof ProblemError) return send(res, err);
    if (err instanceof BookingError) return send(res, problemFromBookingError(err));
    if (err instanceof TemporalUnavailableError) return send(res, problemFromTemporalUnavailable(err));
    const e = err as { type?: string; status?: number; message?: string };
    if (e?.type === 'entity.parse.failed')
      return send(res, badRequest('body', 'The body is not valid JSON.', 'INVALID_JSON'));
    if (e?.type === 'entity.too.large') {
      return send(
        res,
        new ProblemError(413, 'PAYLOAD_TOO_LARGE', 'Payload too large', 'The body is too large.'),
      );
    }
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
      return send(
        res,
        new ProblemError(e.status, 'BAD_REQUEST', 'Bad request', 'The request could not be read.'),
      );
    }
    // PostgreSQL unreachable, restarting or cutting sessions: an outage to wait out (Retry-After), not a bug.
    if (
      err instanceof ConnectionError ||
      (err instanceof DatabaseError &&
        (['57P01', '57P02', '57P03'].includes(String((err.parent as { code?: string } | undefined)?.code)) ||
          /connection terminated|connection error|not queryable/i.test(err.message)))
    ) {
      log.warn({ method: req.method, path: req.path, error: (err as Error).message }, 'database unavailable');
      return send(
        res,
        serviceUnavailable('The service is briefly unavailable. Please try again shortly.', 5),
      );
    }
    // Data PostgreSQL refuses (SQLSTATE class 22) that slipped past a schema: the caller's input, never a 500.
    if (
      err instanceof DatabaseError &&
      String((err.parent as { code?: string } | undefined)?.code).startsWith('22')
    ) {
      log.warn({ err, method: req.method, path: req.path }, 'input refused by the database');
      return send(res, badRequest('/', 'The request holds a value that cannot be stored.'));
    }
    log.error({ err, method: req.method, path: req.path }, 'unhandled error');
    send(res, new ProblemError(500, 'INTERNAL', 'Internal error', 'Something went wrong on our side.'));
  };
}
