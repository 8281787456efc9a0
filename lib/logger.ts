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

/**
 * Values that carry a database error's statement, parameters or PostgreSQL's detail/where (which quote row
 * values): Error instances, and plain objects with those fields (a driver error copied by a library).
 */
function errorLike(value: unknown): boolean {
  if (value instanceof Error) return true;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return ['sql', 'parameters', 'detail', 'where', 'parent', 'original'].some((key) => key in value);
}

/**
 * Pino serializes `err` and `error` only; an error logged under any other key (`cause`, `failure`, a field of
 * the Temporal SDK's meta) would be written with its enumerable fields, Sequelize's `sql` and `parameters`
 * among them. Every such value, at the top level or one object down, becomes its summary as well.
 */
function summarizeErrorFields(fields: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'err' || key === 'error') continue;
    let next: unknown = value;
    if (errorLike(value)) next = errorSerializer(value);
    else if (value && typeof value === 'object' && !Array.isArray(value)) {
      const inner = value as Record<string, unknown>;
      if (Object.values(inner).some(errorLike)) next = summarizeErrorFields(inner);
    }
    if (next !== value) (out ??= { ...fields })[key] = next;
  }
  return out ?? fields;
}

/** The one logger factory: JSON lines, with secrets and personal data redacted wherever they appear. */
export function createLogger(level: string, name = 'booking', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      name,
      level,
      // Our code logs errors as `err`; the Temporal SDK logs a failed activity attempt as `error`, which pino
      // would otherwise write as {} (it serializes Error objects only under `err`).
      serializers: { err: errorSerializer, error: errorSerializer },
      formatters: { log: summarizeErrorFields },
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
