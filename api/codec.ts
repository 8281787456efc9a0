import { timingSafeEqual, createHash } from 'node:crypto';
import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import cors from 'cors';
import helmet from 'helmet';
import type { Payload } from '@temporalio/common';
import type { Logger } from '../lib/logger';
import { AesGcmCodec, type CodecKey } from '../temporal/codec';
import { bearerToken } from './auth/tokens';
import { managesPractice } from './auth/principal';
import { badRequest, forbidden, ProblemError, send, unauthenticated } from './errors';

/** A payload as the Temporal UI sends it: proto3 JSON, metadata values and data in base64. */
interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function fromJson(body: unknown): Payload[] {
  const payloads = (body as { payloads?: unknown } | null)?.payloads;
  if (!Array.isArray(payloads)) throw badRequest('/payloads', 'payloads must be a list of payloads.');
  return payloads.map((p: JsonPayload, i) => {
    const metadata: Record<string, Uint8Array> = {};
    if (p === null || typeof p !== 'object')
      throw badRequest(`/payloads/${i}`, 'Each payload must be an object.');
    for (const [key, value] of Object.entries(p.metadata ?? {})) {
      if (typeof value !== 'string' || !BASE64.test(value))
        throw badRequest(`/payloads/${i}/metadata/${key}`, 'Metadata values must be base64.');
      metadata[key] = Buffer.from(value, 'base64');
    }
    if (p.data !== undefined && (typeof p.data !== 'string' || !BASE64.test(p.data)))
      throw badRequest(`/payloads/${i}/data`, 'data must be base64.');
    return { metadata, data: Buffer.from(p.data ?? '', 'base64') };
  });
}

function toJson(payloads: Payload[]): { payloads: JsonPayload[] } {
  return {
    payloads: payloads.map((p) => ({
      metadata: Object.fromEntries(
        Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
      ),
      data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
    })),
  };
}

const digest = (s: string) => createHash('sha256').update(s).digest();
const sameToken = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

export interface CodecEndpointDeps {
  keys: CodecKey[];
  /** TEMPORAL_CODEC_OPERATOR_TOKEN: a bearer token (or the path form below) that stands for an operator. */
  operatorToken: string | null;
  /** The Temporal UI's origins: the browser calls the endpoint from there. */
  origins: string[];
  /** requireStaff: a signed-in staff session, res.locals.staff. */
  staffAuth: RequestHandler;
  log: Logger;
}

/**
 * The Temporal UI's remote codec (POST /codec/decode and /codec/encode, {payloads:[…]} both ways): what an
 * operator sees decrypted in the UI. Only an admin clinician or practice manager signed in (their bearer token)
 * or the operator token may use it: decoding reads clients' personal data. For a UI that cannot send a header
 * (the dev server's, configured by --ui-codec-endpoint), /codec/operator/<token>/decode carries the operator
 * token in the path; nothing logs that path.
 */
export function codecRouter(deps: CodecEndpointDeps): Router {
  const codec = new AesGcmCodec(deps.keys);
  const router = Router();
  router.use(helmet());
  // The UI sends X-Namespace and, when told to, the user's token or its cookies: all of it must be allowed,
  // including on the preflight, for the browser to let the UI read the answer.
  router.use(
    cors({
      origin: deps.origins.length ? deps.origins : false,
      methods: ['POST'],
      allowedHeaders: ['Authorization', 'Content-Type', 'X-Namespace'],
      credentials: true,
      maxAge: 600,
    }),
  );
  // A workflow's history can hold many payloads at once; the API's 64 kB body limit is for people's forms.
  router.use(express.json({ limit: '4mb' }));

  const operator: RequestHandler = (req, res, next) => {
    const inPath = req.params.token as string | undefined;
    const token = inPath ?? bearerToken(req.get('authorization'));
    if (deps.operatorToken && token && sameToken(token, deps.operatorToken)) {
      res.locals.codecCaller = 'operator';
      return next();
    }
    if (inPath !== undefined) throw unauthenticated('This operator link is not valid.');
    return next('route');
  };
  const staff: RequestHandler[] = [
    deps.staffAuth,
    (_req, res, next) => {
      if (!managesPractice(res.locals.staff!))
        throw forbidden('Only admin clinicians and practice managers may read workflow payloads.');
      res.locals.codecCaller = `staff:${res.locals.staff!.id}`;
      next();
    },
  ];

  const handle =
    (direction: 'decode' | 'encode'): RequestHandler =>
    async (req, res) => {
      const payloads = fromJson(req.body);
      const out = direction === 'decode' ? await codec.decode(payloads) : await codec.encode(payloads);
      // Who read personal data, never what: the count is enough to see an unusual amount.
      deps.log.info(
        { caller: res.locals.codecCaller, count: payloads.length, namespace: req.get('x-namespace') },
        `codec ${direction}`,
      );
      res.json(toJson(out));
    };

  for (const direction of ['decode', 'encode'] as const) {
    router.post(`/operator/:token/${direction}`, operator, handle(direction));
    router.post(`/${direction}`, operator, handle(direction));
    router.post(`/${direction}`, ...staff, handle(direction));
  }

  // Errors end here, not in the app's handler, which logs the request path (and with it an operator token).
  const errors: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
    if (err instanceof ProblemError) return send(res, err);
    const e = err as { type?: string; name?: string; message?: string };
    if (e?.type === 'entity.too.large')
      return send(
        res,
        new ProblemError(413, 'PAYLOAD_TOO_LARGE', 'Payload too large', 'The body is too large.'),
      );
    if (e?.type === 'entity.parse.failed')
      return send(res, badRequest('/payloads', 'The body is not valid JSON.', 'INVALID_JSON'));
    if (e?.name === 'CodecKeyError')
      return send(res, badRequest('/payloads', e.message!, 'CODEC_KEY_UNKNOWN'));
    deps.log.error({ err }, 'codec endpoint failed');
    send(res, new ProblemError(500, 'INTERNAL', 'Internal error', 'Something went wrong on our side.'));
  };
  router.use(errors);
  return router;
}
