import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Response } from 'express';
import { Op, QueryTypes, col, fn, where, type Sequelize } from 'sequelize';
import type { Clock } from '../app/clock';
import type { Logger } from '../app/logger';
import { EmailTemporaryError, type Mailer } from '../emails/mailer';
import { renderEmail } from '../emails/render';
import { Client } from '../models/client';
import type { Practice } from '../models/practice';
import { ProblemError, notFound } from './errors';
import type { RouteDef } from './route';
import type { TokenService } from './auth/tokens';
import type { ClientPrincipal } from './auth/principal';
import { lockedFor, recordFailure } from './auth/rateLimit';
import { portalPractice, slugParams } from './portal';
import { uuid } from './schemas';
import type { Schema } from './validation';

const CODE_VALID_MINUTES = 10;
const MAX_ATTEMPTS = 5;
const TOKEN_VALID_HOURS = 2;
// Per address at one practice: enough for a few lost emails; per network address: a shared office, not a sweep.
const EMAIL_LIMIT = { max: 5, windowMinutes: 60 };
const ADDRESS_LIMIT = { max: 30, windowMinutes: 60 };
// Sign-in codes are wanted within seconds; past a few short retries the client asks for a new one.
const SEND_ATTEMPTS = 3;

// Compared against when there is no live code, so a miss does the same work as a wrong code.
const DUMMY_SALT = '0'.repeat(32);
const DUMMY_HASH = hashCode('000000', DUMMY_SALT);
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** The one answer to every code request, so it never tells whether the address belongs to a client. */
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
  db: Sequelize;
  clock: Clock;
  log: Logger;
  tokens: TokenService;
  mailer: Mailer;
}

/** Log lines and rate-limit keys name an address by a hash, never by the address itself. */
const emailRef = (email: string) => createHash('sha256').update(email).digest('hex');

function hashCode(code: string, salt: string): string {
  return createHmac('sha256', Buffer.from(salt, 'hex')).update(code).digest('hex');
}

function codeMatches(code: string, salt: string, expectedHash: string): boolean {
  return timingSafeEqual(Buffer.from(hashCode(code, salt), 'hex'), Buffer.from(expectedHash, 'hex'));
}

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

/** The practice's client with this address (any case), or null. */
function findPortalClient(practiceId: string, email: string): Promise<Client | null> {
  return Client.findOne({ where: { [Op.and]: [{ practiceId }, where(fn('lower', col('email')), email)] } });
}

/** True when a code may be sent for this address from this network address; counts the request when it may. */
async function codeRequestAllowed(
  deps: PortalAuthDeps,
  practiceId: string,
  email: string,
  ip: string,
): Promise<boolean> {
  const emailKey = `sign-in-code:${practiceId}:${emailRef(email)}`;
  const addressKey = `sign-in-code-address:${ip}`;
  const locked =
    (await lockedFor(deps.db, deps.clock, emailKey, EMAIL_LIMIT)) ??
    (await lockedFor(deps.db, deps.clock, addressKey, ADDRESS_LIMIT));
  if (locked !== null) {
    deps.log.warn(
      { event: 'sign_in_code_limited', practiceId, account: emailRef(email).slice(0, 12), ip },
      'sign-in code not sent: rate limit',
    );
    return false;
  }
  await recordFailure(deps.db, deps.clock, [emailKey, addressKey]);
  return true;
}

/** Stores a new code for the client (superseding any older live one) and returns its row id and the plain code. */
async function issueCode(deps: PortalAuthDeps, clientId: string): Promise<{ id: string; code: string }> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const salt = randomBytes(16).toString('hex');
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + CODE_VALID_MINUTES * 60_000);
  const id = await deps.db.transaction(async (transaction) => {
    // The client row lock orders concurrent requests, so the one-live-code index never rejects the later one.
    await deps.db.query('SELECT id FROM clients WHERE id = :clientId FOR UPDATE', {
      replacements: { clientId },
      transaction,
    });
    await deps.db.query(
      `UPDATE client_sign_in_codes SET superseded_at = :now
        WHERE client_id = :clientId AND used_at IS NULL AND superseded_at IS NULL`,
      { replacements: { now, clientId }, transaction },
    );
    const [row] = await deps.db.query<{ id: string }>(
      `INSERT INTO client_sign_in_codes (client_id, code_hash, salt, created_at, expires_at)
       VALUES (:clientId, :codeHash, :salt, :now, :expiresAt) RETURNING id`,
      {
        replacements: { clientId, codeHash: hashCode(code, salt), salt, now, expiresAt },
        type: QueryTypes.SELECT,
        transaction,
      },
    );
    return row.id;
  });
  return { id, code };
}

/** Issues a code and emails it; runs after the 202 has gone out. */
async function sendSignInCode(deps: PortalAuthDeps, practice: Practice, client: Client): Promise<void> {
  const { id, code } = await issueCode(deps, client.id);
  const rendered = await renderEmail('sign-in-code', {
    practiceName: practice.name,
    code,
    validForMinutes: CODE_VALID_MINUTES,
  });
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.mailer.send({ to: client.email, ...rendered, idempotencyKey: `sign-in-code/${id}` });
      deps.log.info({ event: 'sign_in_code_sent', clientId: client.id, codeId: id }, 'sign-in code sent');
      return;
    } catch (err) {
      if (!(err instanceof EmailTemporaryError) || attempt >= SEND_ATTEMPTS) throw err;
      // Same idempotency key on every try, so a send that did go through is not repeated.
      await sleep(Math.min(err.retryAfterSeconds ?? attempt, 5) * 1000, undefined, { ref: false });
    }
  }
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
  return deps.db.transaction(async (transaction) => {
    const [row] = await deps.db.query<{
      id: string;
      client_id: string;
      code_hash: string;
      salt: string;
      expires_at: Date;
      attempts: number;
    }>(
      `SELECT k.id, k.client_id, k.code_hash, k.salt, k.expires_at, k.attempts
         FROM client_sign_in_codes k JOIN clients c ON c.id = k.client_id
        WHERE c.practice_id = :practiceId AND lower(c.email) = :email
          AND k.used_at IS NULL AND k.superseded_at IS NULL
        FOR UPDATE OF k`,
      { replacements: { practiceId, email }, type: QueryTypes.SELECT, transaction },
    );
    const matches = codeMatches(code, row?.salt ?? DUMMY_SALT, row?.code_hash ?? DUMMY_HASH);
    const live = !!row && new Date(row.expires_at).getTime() > now.getTime() && row.attempts < MAX_ATTEMPTS;
    if (row && live && matches) {
      await deps.db.query('UPDATE client_sign_in_codes SET used_at = :now WHERE id = :id', {
        replacements: { now, id: row.id },
        transaction,
      });
      return row.client_id;
    }
    await deps.db.query(
      'UPDATE client_sign_in_codes SET attempts = attempts + 1 WHERE id = :id AND attempts < :max',
      { replacements: { id: row?.id ?? NIL_UUID, max: MAX_ATTEMPTS }, transaction },
    );
    return null;
  });
}

/** Existing-client sign-in to the portal by emailed one-time code, and the signed-in client's profile. */
export function portalAuthRoutes(deps: PortalAuthDeps): RouteDef[] {
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
        202: "Accepted: a code is sent when the address is a client's and within the rate limits",
        400: 'Invalid email',
        404: 'No such portal, or the portal is off',
      },
      handler: async (req, res) => {
        const practice = await portalPractice(req.params.slug as string);
        const email = (req.body as { email: string }).email.trim().toLowerCase();
        const allowed = await codeRequestAllowed(deps, practice.id, email, req.ip ?? 'unknown');
        const client = allowed ? await findPortalClient(practice.id, email) : null;
        res.status(202).json(CODE_REQUESTED);
        // Issuing, rendering and sending happen after the answer, so its timing does not tell known addresses apart.
        if (client) {
          sendSignInCode(deps, practice, client).catch((err: unknown) =>
            deps.log.error(
              { err, event: 'sign_in_code_failed', clientId: client.id },
              'sign-in code not sent',
            ),
          );
        }
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
        const practice = await portalPractice(req.params.slug as string);
        const { email, code } = req.body as { email: string; code: string };
        const clientId = await verifyCode(deps, practice.id, email.trim().toLowerCase(), code);
        const client = clientId
          ? await Client.findOne({ where: { id: clientId, practiceId: practice.id } })
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
        const practice = await portalPractice(req.params.slug as string);
        const principal = requirePortalClient(res, practice);
        const client = await Client.findByPk(principal.id);
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
