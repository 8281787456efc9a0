import { createHash, randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { Resend } from 'resend';

/** One email as the rest of the system hands it over: already rendered, with the key that makes it send once. */
export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Derived from workflow id and step ('<event>/<id>'), so a retried activity sends the same email once. */
  idempotencyKey: string;
  attachments?: { filename: string; content: string /* utf8 */; contentType?: string }[];
  /** Extra message headers, e.g. List-Unsubscribe on reminders. */
  headers?: Record<string, string>;
}

/** Sends an email once per idempotency key; throws EmailRejectedError or EmailTemporaryError. */
export interface Mailer {
  send(email: OutgoingEmail): Promise<{ id: string }>;
}

/** The part of a pino logger the mailers use, so tests can pass a fake. */
export type MailLogger = Pick<Logger, 'info' | 'warn' | 'debug'>;

/** Permanent failure (validation and other 4xx except 429): callers must not retry. */
export class EmailRejectedError extends Error {
  override readonly name = 'EmailRejectedError';
  constructor(
    message: string,
    readonly statusCode: number | null,
    readonly code: string,
  ) {
    super(message);
  }
}

/** Transient failure (429, 5xx, network): callers retry, after retryAfterSeconds when the provider said so. */
export class EmailTemporaryError extends Error {
  override readonly name = 'EmailTemporaryError';
  constructor(
    message: string,
    readonly statusCode: number | null,
    readonly code: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** "jordan@example.com" → "j***@example.com": enough to tell emails apart in logs, not enough to identify a client. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${address[0]}***${address.slice(at)}`;
}

function maskEmailsIn(text: string): string {
  return text.replace(/[^\s<>"'`,;:()]+@[^\s<>"'`,;:()]+/g, maskEmail);
}

// 4xx codes from Resend that succeed later: a same-key request still in flight, a quota that resets.
const TEMPORARY_CODES = new Set([
  'rate_limit_exceeded',
  'concurrent_idempotent_requests',
  'daily_quota_exceeded',
  'monthly_quota_exceeded',
]);

interface ResendErrorLike {
  message: string;
  statusCode: number | null;
  name: string;
}

/** Maps the SDK's `{ error }` to our two error kinds; the SDK reports network failures with statusCode null. */
function classify(
  error: ResendErrorLike,
  headers: Record<string, string> | null,
): EmailRejectedError | EmailTemporaryError {
  // The SDK passes a JSON error body through as is; without a numeric statusCode the outcome is unknown, so retry.
  const status = typeof error.statusCode === 'number' ? error.statusCode : null;
  const message = `Resend ${status ?? 'network'} ${error.name}: ${maskEmailsIn(String(error.message ?? ''))}`;
  if (status === null || status === 429 || status >= 500 || TEMPORARY_CODES.has(error.name)) {
    const retryAfter = Number(headers?.['retry-after']);
    return new EmailTemporaryError(
      message,
      status,
      error.name,
      Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined,
    );
  }
  return new EmailRejectedError(message, status, error.name);
}

/** Mailer backed by Resend through its official SDK; `baseUrl` points one instance at another host (tests). */
export function createResendMailer(opts: {
  apiKey: string;
  from: string;
  baseUrl?: string;
  log?: MailLogger;
}): Mailer {
  // The SDK reads RESEND_BASE_URL in its constructor, only when no baseUrl option is given; passing it
  // explicitly makes each instance independent of the environment and of when it was created.
  const resend = new Resend(opts.apiKey, { baseUrl: opts.baseUrl?.replace(/\/+$/, '') });
  const log = opts.log;
  return {
    async send(email) {
      const { data, error, headers } = await resend.emails.send(
        {
          from: opts.from,
          to: email.to,
          subject: email.subject,
          html: email.html,
          text: email.text,
          // Resend takes attachment content as base64; a Buffer makes the SDK encode it.
          attachments: email.attachments?.map((a) => ({
            filename: a.filename,
            content: Buffer.from(a.content, 'utf8'),
            contentType: a.contentType,
          })),
          headers: email.headers,
        },
        { idempotencyKey: email.idempotencyKey },
      );
      if (error) {
        const failure = classify(error, headers);
        log?.warn(
          {
            to: maskEmail(email.to),
            idempotencyKey: email.idempotencyKey,
            status: failure.statusCode,
            code: failure.code,
          },
          failure instanceof EmailTemporaryError ? 'email send failed, will be retried' : 'email rejected',
        );
        throw failure;
      }
      log?.info({ to: maskEmail(email.to), idempotencyKey: email.idempotencyKey, id: data.id }, 'email sent');
      return { id: data.id };
    },
  };
}

interface OutboxRecord {
  id: string;
  idempotencyKey: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; content: string; contentType?: string }[];
  createdAt: string;
}

/** Readable, collision-free file stem for a key ("appointment-request-1/approved" has a slash). */
function fileStem(key: string): string {
  const readable = key.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 12);
  return `${readable}-${hash}`;
}

/**
 * Mailer for running without Resend: writes <key>.json (everything), <key>.html (open in a browser) and
 * each attachment as <key>.<filename>. Idempotent by key: a second send writes nothing and returns the first id.
 */
export function createOutboxMailer(opts: { dir: string; log?: MailLogger }): Mailer {
  const log = opts.log;
  return {
    async send(email) {
      await mkdir(opts.dir, { recursive: true });
      const stem = path.join(opts.dir, fileStem(email.idempotencyKey));
      const jsonPath = `${stem}.json`;
      const existing = await readRecord(jsonPath);
      if (existing) {
        log?.debug({ idempotencyKey: email.idempotencyKey, id: existing.id }, 'email already in outbox');
        return { id: existing.id };
      }
      const record: OutboxRecord = {
        id: `outbox_${randomUUID()}`,
        idempotencyKey: email.idempotencyKey,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        attachments: email.attachments ?? [],
        createdAt: new Date().toISOString(),
      };
      // Side files first and the .json last, so a crash in between leaves no record and the retry rewrites them.
      await writeFile(`${stem}.html`, email.html);
      for (const attachment of record.attachments) {
        await writeFile(
          `${stem}.${attachment.filename.replace(/[^A-Za-z0-9._-]+/g, '_')}`,
          attachment.content,
        );
      }
      // Publish by hard link: atomic and exclusive, so concurrent sends with one key agree on a single id.
      const tmpPath = `${jsonPath}.${randomUUID()}.tmp`;
      await writeFile(tmpPath, JSON.stringify(record, null, 2));
      try {
        await link(tmpPath, jsonPath);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const winner = await readRecord(jsonPath);
        if (!winner) throw err;
        return { id: winner.id };
      } finally {
        await unlink(tmpPath);
      }
      log?.info(
        { to: maskEmail(email.to), idempotencyKey: email.idempotencyKey, file: jsonPath },
        'email written to outbox',
      );
      return { id: record.id };
    },
  };
}

async function readRecord(file: string): Promise<OutboxRecord | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as OutboxRecord;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
