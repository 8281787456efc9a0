import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST /emails the server accepted, as the Resend SDK sent it. */
export interface CapturedEmail {
  id: string;
  idempotencyKey?: string;
  from: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
  attachments: {
    filename: string;
    contentType?: string;
    content: string /* base64, as sent */;
    utf8: string;
  }[];
  /** True when the idempotency key was seen before: Resend answers with the first id and sends nothing. */
  replay: boolean;
  userAgent?: string;
  receivedAt: Date;
  body: Record<string, unknown>;
}

/** A fault to answer the next request with: an HTTP status, or 'network' to drop the connection. */
export type InjectedFault = number | 'network';

/** Handle on a running capture server. */
export interface CaptureServer {
  /** Base URL to give the SDK (createResendMailer's baseUrl or RESEND_BASE_URL). */
  url: string;
  /** Every accepted POST /emails, idempotent replays included. */
  emails(): CapturedEmail[];
  /** What a recipient would receive: one per idempotency key. */
  deliveries(): CapturedEmail[];
  /** Resolves with the first accepted email matching pred, already received or arriving within timeoutMs. */
  waitFor(pred: (email: CapturedEmail) => boolean, timeoutMs?: number): Promise<CapturedEmail>;
  /**
   * Answers the next n POST /emails with this status (Resend-style body; 429 has Retry-After, 1 second unless
   * told) or drops them.
   */
  failNext(n: number, status?: InjectedFault, opts?: { retryAfterSeconds?: number }): void;
  /** Answers the next n POST /emails with 422 validation_error. */
  rejectNext(n: number): void;
  /** Number of POST /emails received, failed ones included. */
  attempts(): number;
  /** Forgets emails, idempotency keys and pending faults. */
  reset(): void;
  close(): Promise<void>;
}

// Bodies as Resend writes them; the SDK passes the parsed body through as its `error`.
function errorBody(status: number): { name: string; message: string } {
  if (status === 429)
    return {
      name: 'rate_limit_exceeded',
      message: 'Too many requests. You can only make 2 requests per second.',
    };
  if (status === 422)
    return {
      name: 'validation_error',
      message: 'Invalid `to` field. The email address needs to follow the `email@example.com` format.',
    };
  if (status === 500) return { name: 'internal_server_error', message: 'An unexpected error occurred.' };
  if (status >= 500) return { name: 'application_error', message: 'Service temporarily unavailable.' };
  if (status === 401)
    return { name: 'missing_api_key', message: 'Missing API key in the authorization header.' };
  if (status === 403) return { name: 'invalid_api_key', message: 'API key is invalid.' };
  if (status === 404) return { name: 'not_found', message: 'The requested endpoint does not exist.' };
  if (status === 405) return { name: 'method_not_allowed', message: 'Method not allowed.' };
  return { name: 'validation_error', message: 'The request is invalid.' };
}

function sendError(
  res: ServerResponse,
  status: number,
  override?: { name: string; message: string },
  retryAfterSeconds = 1,
): void {
  const body = { statusCode: status, ...(override ?? errorBody(status)) };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (status === 429) {
    headers['retry-after'] = String(retryAfterSeconds);
    headers['ratelimit-limit'] = '2';
    headers['ratelimit-remaining'] = '0';
    headers['ratelimit-reset'] = String(retryAfterSeconds);
  }
  res.writeHead(status, headers).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function asStringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function toCaptured(
  body: Record<string, unknown>,
  id: string,
  key: string | undefined,
  replay: boolean,
  userAgent?: string,
): CapturedEmail {
  const attachments = Array.isArray(body.attachments) ? (body.attachments as Record<string, unknown>[]) : [];
  return {
    id,
    idempotencyKey: key,
    from: String(body.from),
    to: asStringList(body.to),
    subject: String(body.subject),
    html: typeof body.html === 'string' ? body.html : undefined,
    text: typeof body.text === 'string' ? body.text : undefined,
    attachments: attachments.map((a) => ({
      filename: String(a.filename),
      contentType: typeof a.content_type === 'string' ? a.content_type : undefined,
      content: String(a.content ?? ''),
      utf8: Buffer.from(String(a.content ?? ''), 'base64').toString('utf8'),
    })),
    replay,
    userAgent,
    receivedAt: new Date(),
    body,
  };
}

/** Starts a local HTTP server speaking the slice of the Resend API the SDK's emails.send uses. */
export async function startCaptureServer(): Promise<CaptureServer> {
  let captured: CapturedEmail[] = [];
  // Like Resend: a key remembers its first payload and id; a replay returns that id and sends nothing.
  let byKey = new Map<string, { id: string; payload: string }>();
  let faults: { fault: InjectedFault; retryAfterSeconds?: number }[] = [];
  let attempts = 0;
  const events = new EventEmitter();
  // One listener per pending waitFor: load tests wait for hundreds of emails at once.
  events.setMaxListeners(0);

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, { name: 'internal_server_error', message: String(err) });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname !== '/emails') return sendError(res, 404);
    if (req.method !== 'POST') return sendError(res, 405);
    attempts += 1;

    const next = faults.shift();
    if (next?.fault === 'network') {
      req.socket.destroy();
      return;
    }
    if (next !== undefined) return sendError(res, next.fault, undefined, next.retryAfterSeconds);

    if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) return sendError(res, 401);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return sendError(res, 422, { name: 'validation_error', message: 'Request body must be JSON.' });
    }
    for (const field of ['from', 'to', 'subject'] as const) {
      if (!body[field])
        return sendError(res, 422, {
          name: 'missing_required_field',
          message: `Missing \`${field}\` field.`,
        });
    }

    const keyHeader = req.headers['idempotency-key'];
    const key = Array.isArray(keyHeader) ? keyHeader[0] : keyHeader;
    if (key !== undefined && (key.length < 1 || key.length > 256)) {
      return sendError(res, 400, {
        name: 'invalid_idempotency_key',
        message: 'Idempotency key must be 1-256 characters.',
      });
    }
    const userAgent = req.headers['user-agent'];
    const previous = key === undefined ? undefined : byKey.get(key);
    if (previous && previous.payload !== raw) {
      return sendError(res, 409, {
        name: 'invalid_idempotent_request',
        message: 'Same idempotency key used with a different request payload.',
      });
    }
    const id = previous?.id ?? randomUUID();
    if (key !== undefined && !previous) byKey.set(key, { id, payload: raw });
    const email = toCaptured(body, id, key, previous !== undefined, userAgent);
    captured.push(email);
    events.emit('email', email);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    emails: () => [...captured],
    deliveries: () => captured.filter((e) => !e.replay),
    waitFor(pred, timeoutMs = 5000) {
      const found = captured.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const onEmail = (email: CapturedEmail) => {
          if (!pred(email)) return;
          clearTimeout(timer);
          events.off('email', onEmail);
          resolve(email);
        };
        const timer = setTimeout(() => {
          events.off('email', onEmail);
          reject(new Error(`No matching email within ${timeoutMs} ms (${captured.length} received)`));
        }, timeoutMs);
        events.on('email', onEmail);
      });
    },
    failNext(n, status = 500, opts = {}) {
      for (let i = 0; i < n; i += 1)
        faults.push({ fault: status, retryAfterSeconds: opts.retryAfterSeconds });
    },
    rejectNext(n) {
      for (let i = 0; i < n; i += 1) faults.push({ fault: 422 });
    },
    attempts: () => attempts,
    reset() {
      captured = [];
      byKey = new Map();
      faults = [];
      attempts = 0;
    },
    close() {
      // The SDK's fetch keeps connections alive; without closing them close() would wait for their timeout.
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
