import { pino, type Logger } from 'pino';

export type { Logger };

/** The one logger factory: JSON lines, with secrets and personal data redacted wherever they appear. */
export function createLogger(level: string, name = 'booking'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        '*.authorization',
        '*.password',
        '*.token',
        '*.code',
        '*.email',
        '*.phone',
        'password',
        'token',
        'email',
        'phone',
        // Database errors carry the statement with its values inlined (a client's email in a WHERE clause), the
        // bound values, and PostgreSQL's detail ("Key (email)=(…) already exists"), whether logged by us (err)
        // or by the Temporal SDK for a failed activity attempt (error).
        ...['err', 'error'].flatMap((e) =>
          ['', '.parent', '.original'].flatMap((p) =>
            ['sql', 'parameters', 'detail', 'errors', 'aggregateErrors', 'fields'].map(
              (f) => `${e}${p}.${f}`,
            ),
          ),
        ),
      ],
      censor: '[redacted]',
    },
  });
}
