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
      ],
      censor: '[redacted]',
    },
  });
}
