import { createHash } from 'node:crypto';
import type { Response } from 'express';
import { Op, QueryTypes, col, fn, where } from 'sequelize';
import type { Client as TemporalClient } from '@temporalio/client';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import { SIGN_IN_CODE_VALID_MINUTES, type OneTimeCodes } from '../booking/oneTimeCodes';
import type { Client } from '../models/client';
import type { Practice } from '../models/practice';
import { startPortalEmail } from '../temporal/portalEmails';
import { withTemporal } from '../temporal/errors';
import { ProblemError, notFound } from './errors';
import type { RouteDef } from './route';
import { codeRequestedSchema } from './responseSchemas';
import type { TokenService } from './auth/tokens';
import type { ClientPrincipal } from './auth/principal';
import { takeAttempt, type Attempt } from './auth/rateLimit';
import { revokeClientToken } from './auth/revocations';
import { portalPractice, slugParams } from './portal';
import { uuid } from './schemas';
import type { Schema } from './validation';
import type { Store } from '../models/store';

const CODE_VALID_MINUTES = SIGN_IN_CODE_VALID_MINUTES;
const MAX_ATTEMPTS = 5;
const TOKEN_VALID_HOURS = 2;
// Per address at one practice: enough for a few lost emails; per network address: a shared office, not a sweep.
const EMAIL_LIMIT = { max: 5, windowMinutes: 60 };
const ADDRESS_LIMIT = { max: 30, windowMinutes: 60 };

// Checked against when there is no live code, so a miss does the same work as a wrong code.
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * The one answer to every code request, so it never tells whether the address belongs to a client. It is only
 * sent once the email is durably on its way (its workflow started), so for a client it is always true.
 */
const CODE_REQUESTED = {
  status: 'accepted',
  detail: 'If this address belongs to a client of the practice, a sign-in code is on its way.',
  validForMinutes: CODE_VALID_MINUTES,
} as const;

const emailField = { type: 'string', format: 'email', maxLength: 254 } as const;

const codeRequestBody: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['email'],
  properties: { email: emailField },
};

const verifyBody: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'code'],
  properties: { email: emailField, code: { type: 'string', pattern: '^[0-9]{6}$', example: '482913' } },
};

const portalClientSchema: Schema = {
  type: 'object',
  // Signing in answers these four; GET me adds phone and time zone.
  required: ['id', 'firstName', 'lastName', 'email'],
  properties: {
    id: uuid,
    firstName: { type: 'string' },
    lastName: { type: 'string' },
    email: { type: 'string' },
    phone: { type: ['string', 'null'] },
    timeZone: { type: ['string', 'null'] },
  },
};

/** What the sign-in routes are built from. */
export interface PortalAuthDeps {
  db: Store;
  clock: Clock;
  log: Logger;
  tokens: TokenService;
  codes: OneTimeCodes;
  temporal: TemporalClient;
  taskQueue: string;
}

/** Log lines and rate-limit keys name an address by a hash, never by the address itself. */
const emailRef = (email: string) => createHash('sha256').update(email).digest('hex');

const invalidCode = () =>
  new ProblemError(
    401,
    'INVALID_CODE',
    'Invalid code',
    'The code is wrong or has expired. Ask for a new code.',
  );

/**
 * The signed-in portal client, when their token is for this practice. A token of another practice answers
 * exactly like a missing resource, so other portal routes reuse this and never show data across practices.
 */
export function requirePortalClient(res: Response, practice: Practice): ClientPrincipal {
  const client = res.locals.client;
  if (!client || client.practiceId !== practice.id) throw notFound('No such client portal.');
  return client;
}

/**
 * The practice's client who signs in with this address (any case), or null. An archived client is nobody here:
 * the code request answers as for a stranger and no code goes out.
 */
function findPortalClient(db: Store, practiceId: string, email: string): Promise<Client | null> {
  return db.Client.findOne({
    where: {
      [Op.and]: [
        { practiceId, portalSignIn: true, archivedAt: null },
        where(fn('lower', col('email')), email),
      ],
    },
  });
}

/** The rate-limit keys of a code request: the address at the practice, and the network address. */
function codeRequestKeys(practiceId: string, email: string, ip: string): string[] {
  return [`sign-in-code:${practiceId}:${emailRef(email)}`, `sign-in-code-address:${ip}`];
}

/**
 * Counts a code request against this address and this network address, or answers the seconds to wait when
 * either has asked for too many codes. Check and count are one locked step (takeAttempt), so a burst of parallel
 * requests is counted one by one. Both limits count every address alike, client's or not, so a refusal tells
 * nothing about who is a client.
 */
async function takeCodeRequest(
  deps: PortalAuthDeps,
  practiceId: string,
  email: string,
  ip: string,
): Promise<{ refusedFor: number } | Attempt> {
  const [emailKey, addressKey] = codeRequestKeys(practiceId, email, ip);
  const attempt = await takeAttempt(deps.db, deps.clock, [
    { key: emailKey, limit: EMAIL_LIMIT },
    { key: addressKey, limit: ADDRESS_LIMIT },
  ]);
  if ('refusedFor' in attempt) {
    deps.log.warn(
      { event: 'sign_in_code_limited', practiceId, account: emailRef(email).slice(0, 12), ip },
      'sign-in code not sent: rate limit',
    );
  }
  return attempt;
}

const tooManyCodeRequests = (seconds: number) =>
  new ProblemError(
    429,
    'RATE_LIMITED',
    'Too many requests',
    'Too many codes were asked for. Please try again later.',
    {},
    { 'Retry-After': String(seconds) },
  );

/**
 * Records a new code row (superseding the client's older live one) and returns its id; the worker derives the
 * code from the id and emails it. An address that is no client's gets a row without a client, through the
 * same statements, so both answers take the same time; the worker sends nothing for it.
 */
async function issueCode(deps: PortalAuthDeps, clientId: string | null): Promise<string> {
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + CODE_VALID_MINUTES * 60_000);
  return deps.db.sequelize.transaction(async (transaction) => {
    // The client row lock orders concurrent requests, so the one-live-code index never rejects the later one.
    await deps.db.sequelize.query('SELECT id FROM clients WHERE id = :clientId FOR UPDATE', {
      replacements: { clientId },
      transaction,
    });
    await deps.db.sequelize.query(
      `UPDATE client_sign_in_codes SET superseded_at = :now
        WHERE client_id = :clientId AND used_at IS NULL AND superseded_at IS NULL`,
      { replacements: { now, clientId }, transaction },
    );
    const [row] = await deps.db.sequelize.query<{ id: string }>(
      `INSERT INTO client_sign_in_codes (client_id, created_at, expires_at)
       VALUES (:clientId, :now, :expiresAt) RETURNING id`,
      { replacements: { clientId, now, expiresAt }, type: QueryTypes.SELECT, transaction },
    );
    // Rows for strangers are only there to look like the others; a day later they are clutter.
    await deps.db.sequelize.query(
      'DELETE FROM client_sign_in_codes WHERE client_id IS NULL AND expires_at < :cutoff',
      {
        replacements: { cutoff: new Date(now.getTime() - 86_400_000) },
        transaction,
      },
    );
    return row.id;
  });
}

/**
 * Checks a code against the client's live code in one transaction (so two guesses cannot both count as one):
 * the client id when it matches, is unexpired and has attempts left (and it is now used); null otherwise, after
 * counting the attempt. The same statements run whether or not the address is a client's.
 */
async function verifyCode(
  deps: PortalAuthDeps,
  practiceId: string,
  email: string,
  code: string,
): Promise<string | null> {
  const now = deps.clock.now();
  return deps.db.sequelize.transaction(async (transaction) => {
    const [row] = await deps.db.sequelize.query<{
      id: string;
      client_id: string;
      expires_at: Date;
      attempts: number;
    }>(
      `SELECT k.id, k.client_id, k.expires_at, k.attempts
         FROM client_sign_in_codes k JOIN clients c ON c.id = k.client_id
        WHERE c.practice_id = :practiceId AND lower(c.email) = :email AND c.portal_sign_in
          AND k.used_at IS NULL AND k.superseded_at IS NULL
        FOR UPDATE OF k`,
      { replacements: { practiceId, email }, type: QueryTypes.SELECT, transaction },
    );
    const matches = deps.codes.matches('sign-in-code', row?.id ?? NIL_UUID, code);
    const live = !!row && new Date(row.expires_at).getTime() > now.getTime() && row.attempts < MAX_ATTEMPTS;
    if (row && live && matches) {
      await deps.db.sequelize.query('UPDATE client_sign_in_codes SET used_at = :now WHERE id = :id', {
        replacements: { now, id: row.id },
        transaction,
      });
      return row.client_id;
    }
    await deps.db.sequelize.query(
      'UPDATE client_sign_in_codes SET attempts = attempts + 1 WHERE id = :id AND attempts < :max',
      { replacements: { id: row?.id ?? NIL_UUID, max: MAX_ATTEMPTS }, transaction },
    );
    return null;
  });
}

/** Existing-client sign-in to the portal by emailed one-time code, and the signed-in client's profile. */
export function portalAuthRoutes(deps: PortalAuthDeps): RouteDef[] {
  const { db } = deps;
  return [
    {
      method: 'post',
      path: '/portal/:slug/auth/code',
      summary:
        'Email a 6-digit sign-in code to a client of the practice; answers the same whether or not it is one',
      tag: 'Client portal',
      auth: 'public',
      params: slugParams,
      body: codeRequestBody,
      responses: {
        202: {
          description: "Accepted: when the address is a client's, the code's email is durably on its way",
          schema: codeRequestedSchema,
        },
        400: 'Invalid email',
        404: 'No such portal, or the portal is off',
        429: 'RATE_LIMITED: too many codes for this address or from this network address (any address alike)',
        503: 'Temporal unreachable: no code is on its way, retry later',
      },
      handler: async (req, res) => {
        const practice = await portalPractice(db, req.params.slug as string);
        const email = (req.body as { email: string }).email.trim().toLowerCase();
        const ip = req.ip ?? 'unknown';
        const attempt = await takeCodeRequest(deps, practice.id, email, ip);
        if ('refusedFor' in attempt) throw tooManyCodeRequests(attempt.refusedFor);
        try {
          // Known or not, the same lookup, row and workflow start: the answer and its timing are the same.
          const client = await findPortalClient(db, practice.id, email);
          const id = await issueCode(deps, client?.id ?? null);
          await withTemporal(() =>
            startPortalEmail(deps.temporal, deps.taskQueue, { kind: 'sign-in-code', id }),
          );
        } catch (err) {
          // Counted only once a code is on its way: retries through an outage (503) use up none of the limit.
          await attempt.succeeded();
          throw err;
        }
        res.status(202).json(CODE_REQUESTED);
      },
    },
    {
      method: 'post',
      path: '/portal/:slug/auth/verify',
      summary: 'Exchange an emailed sign-in code for a client token (valid 2 hours)',
      tag: 'Client portal',
      auth: 'public',
      params: slugParams,
      body: verifyBody,
      responses: {
        200: {
          description: 'Signed in',
          schema: {
            type: 'object',
            required: ['token', 'expiresAt', 'client'],
            properties: {
              token: { type: 'string' },
              expiresAt: { type: 'string', format: 'date-time' },
              client: portalClientSchema,
            },
          },
        },
        400: 'Invalid email or code format',
        401: "Wrong, expired, used or exhausted code, or an address that is not a client's",
        404: 'No such portal, or the portal is off',
      },
      handler: async (req, res) => {
        const practice = await portalPractice(db, req.params.slug as string);
        const { email, code } = req.body as { email: string; code: string };
        const clientId = await verifyCode(deps, practice.id, email.trim().toLowerCase(), code);
        const client = clientId
          ? // A code sent before the client was archived no longer signs them in.
            await db.Client.findOne({ where: { id: clientId, practiceId: practice.id, archivedAt: null } })
          : null;
        if (!client) {
          deps.log.warn(
            { event: 'sign_in_code_rejected', practiceId: practice.id, ip: req.ip },
            'sign-in code rejected',
          );
          throw invalidCode();
        }
        const expiresAt = new Date(deps.clock.now().getTime() + TOKEN_VALID_HOURS * 3_600_000);
        const token = await deps.tokens.sign({ typ: 'client', sub: client.id, pid: practice.id }, expiresAt);
        deps.log.info({ event: 'client_sign_in', clientId: client.id }, 'client signed in');
        res.json({
          token,
          expiresAt: expiresAt.toISOString(),
          client: {
            id: client.id,
            firstName: client.firstName,
            lastName: client.lastName,
            email: client.email,
          },
        });
      },
    },
    {
      method: 'post',
      path: '/portal/:slug/auth/logout',
      summary: "Sign out: the client's token stops working at once",
      tag: 'Client portal',
      auth: 'client',
      params: slugParams,
      responses: {
        204: 'Signed out',
        401: 'Not signed in (or already signed out)',
        404: 'No such portal, the portal is off, or the token is for another practice',
      },
      handler: async (req, res) => {
        const practice = await portalPractice(db, req.params.slug as string);
        const client = requirePortalClient(res, practice);
        await revokeClientToken(deps.db, deps.clock, client.tokenId, client.tokenExpiresAt);
        deps.log.info({ event: 'client_sign_out', clientId: client.id }, 'client signed out');
        res.status(204).end();
      },
    },
    {
      method: 'get',
      path: '/portal/:slug/me',
      summary: "The signed-in client's own profile",
      tag: 'Client portal',
      auth: 'client',
      params: slugParams,
      responses: {
        200: { description: 'The client', schema: portalClientSchema },
        401: 'Not signed in',
        404: 'No such portal, the portal is off, or the token is for another practice',
      },
      handler: async (req, res) => {
        const practice = await portalPractice(db, req.params.slug as string);
        const principal = requirePortalClient(res, practice);
        const client = await db.Client.findByPk(principal.id);
        // A token outlives a deleted client; that answers like any unknown portal resource.
        if (!client) throw notFound('No such client portal.');
        res.json({
          id: client.id,
          firstName: client.firstName,
          lastName: client.lastName,
          email: client.email,
          phone: client.phone,
          timeZone: client.timeZone,
        });
      },
    },
  ];
}
