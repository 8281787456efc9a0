import { pino, type Logger } from 'pino';
import { scrubMessage, summarizeError } from './errorSummary';

export type { Logger };

/**
 * Errors are logged as their summary (and stack frames): pino's own serializer would keep a statement and its
 * values. A string
 * (a failure type, or a message someone logged as the error) is kept, with its addresses masked.
 */
const errorSerializer = (value: unknown) => {
  if (typeof value === 'string') return scrubMessage(value);
  // The frames without the first line, which repeats the unscrubbed message.
  const frames = value instanceof Error ? value.stack?.split('\n').slice(1).join('\n') : undefined;
  return { ...summarizeError(value), ...(frames ? { stack: frames } : {}) };
};

/** The one logger factory: JSON lines, with secrets and personal data redacted wherever they appear. */
export function createLogger(level: string, name = 'booking', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      name,
      level,
      // Our code logs errors as `err`; the Temporal SDK logs a failed activity attempt as `error`, which pino
      // would otherwise write as {} (it serializes Error objects only under `err`).
      serializers: { err: errorSerializer, error: errorSerializer },
      redact: {
        paths: [
          'req.headers.authorization',
          '*.authorization',
          '*.password',
          '*.token',
          // A sign-in code inside a logged body; an error's code (SQLSTATE, provider code) must stay readable.
          'body.code',
          '*.body.code',
          '*.email',
          '*.phone',
          'password',
          'token',
          'email',
          'phone',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
