import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { fn, col, where, Op, QueryTypes } from 'sequelize';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import { verifyPassword } from '../lib/passwords';
import { ProblemError, unauthenticated } from './errors';
import type { RouteDef } from './route';
import { staffCookieSessionSchema, staffSessionSchema } from './responseSchemas';
import type { TokenService } from './auth/tokens';
import { revokeSession, type SessionPolicy } from './auth/sessions';
import { openStaffSession } from './auth/signedIn';
import { assertSameSiteRequest, clearSessionCookie, setSessionCookie } from './auth/cookies';
import {
  clearFailures,
  takeAttempt,
  type AttemptKey,
  type Backoff,
  type FailureLimit,
} from './auth/rateLimit';
import { staffUserSchema } from './schemas';
import { toStaffUser } from '../booking/views';
import type { Store } from '../models/store';

/*
 * Sign-in throttling, after OWASP's Authentication and Credential Stuffing cheat sheets: throttle per account and
 * per address, slow down rather than lock out, and never shut the owner out.
 * - One account from one address: a handful of guesses, then that pair waits out the window (the owner's typos
 *   at their own desk, or a guesser working one account from one place).
 * - One address, any accounts: room for a shared office network, not for a sweep.
 * - One account from everywhere (guesses from rotating addresses): only a progressive delay, doubling per failure
 *   up to 15 minutes, and it does not apply at an address that has signed in to the account before (the last
 *   90 days), so the owner's right password from their usual place always works. A guesser is held to a few
 *   tries an hour; a hard lock would let any stranger shut any clinician out of their calendar.
 */
const PAIR_LIMIT: FailureLimit = { max: 5, windowMinutes: 15 };
const ADDRESS_LIMIT: FailureLimit = { max: 30, windowMinutes: 15 };
export const ACCOUNT_BACKOFF: Backoff = {
  free: 5,
  baseSeconds: 2,
  maxSeconds: 15 * 60,
  windowMinutes: 24 * 60,
};
const KNOWN_ADDRESS_DAYS = 90;
// Verified against when the email is unknown, so an unknown account costs the same time as a wrong password.
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$9LiQUBb50sSFy3rU3k48dQ$WhJTd/qOgmcmAk7v2h0gLYdLw3g85nfaEZzRNTNGVeA';

const loginBody = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'password'],
  properties: {
    email: { type: 'string', format: 'email', maxLength: 254 },
    password: { type: 'string', minLength: 1, maxLength: 1024 },
  },
};

/** Log lines name an account by a short hash, never by its address. */
const accountRef = (email: string) => createHash('sha256').update(email).digest('hex').slice(0, 12);

function tooManyAttempts(seconds: number): ProblemError {
  return new ProblemError(
    429,
    'RATE_LIMITED',
    'Too many attempts',
    'Too many failed sign-ins. Try again later.',
    {},
    {
      'Retry-After': String(seconds),
    },
  );
}

/** Whether the user signed in from this address within the last KNOWN_ADDRESS_DAYS. */
async function signedInFrom(deps: { db: Store; clock: Clock }, userId: string, address: string) {
  const rows = await deps.db.sequelize.query(
    `SELECT 1 FROM staff_sign_in_addresses
      WHERE user_id = :userId AND address = :address AND last_signed_in_at > :since`,
    {
      replacements: {
        userId,
        address,
        since: new Date(deps.clock.now().getTime() - KNOWN_ADDRESS_DAYS * 86_400_000),
      },
      type: QueryTypes.SELECT,
    },
  );
  return rows.length > 0;
}

/** Records a successful sign-in's address, and forgets the user's addresses unused for KNOWN_ADDRESS_DAYS. */
async function rememberAddress(deps: { db: Store; clock: Clock }, userId: string, address: string) {
  const now = deps.clock.now();
  await deps.db.sequelize.query(
    `INSERT INTO staff_sign_in_addresses (user_id, address, last_signed_in_at) VALUES (:userId, :address, :now)
       ON CONFLICT (user_id, address) DO UPDATE SET last_signed_in_at = EXCLUDED.last_signed_in_at;
     DELETE FROM staff_sign_in_addresses WHERE user_id = :userId AND last_signed_in_at < :cutoff;`,
    {
      replacements: {
        userId,
        address,
        now,
        cutoff: new Date(now.getTime() - KNOWN_ADDRESS_DAYS * 86_400_000),
      },
    },
  );
}

interface StaffAuthDeps {
  db: Store;
  clock: Clock;
  log: Logger;
  tokens: TokenService;
  sessions: SessionPolicy;
  publicUrl: string;
  production: boolean;
}

/** Checks an email and password under the sign-in throttles and opens a session; throws 401 or 429. */
async function signIn(deps: StaffAuthDeps, req: Request) {
  const { db } = deps;
  const { email, password } = req.body as { email: string; password: string };
  const normalized = email.trim().toLowerCase();
  const address = req.ip ?? 'unknown';
  // A deactivated account answers as an unknown one: same words, same time.
  const user = await db.StaffUser.findOne({
    where: { [Op.and]: [where(fn('lower', col('email')), normalized), { active: true }] },
  });
  const known = user !== null && (await signedInFrom(deps, user.id, address));
  const keys: AttemptKey[] = [
    { key: `account-address:${normalized}|${address}`, limit: PAIR_LIMIT },
    { key: `address:${address}`, limit: ADDRESS_LIMIT },
    // Counted everywhere, enforced only where the owner has never signed in.
    { key: `account:${normalized}`, limit: known ? null : ACCOUNT_BACKOFF },
  ];
  const attempt = await takeAttempt(deps.db, deps.clock, keys);
  if ('refusedFor' in attempt) {
    deps.log.warn(
      { event: 'login_throttled', account: accountRef(normalized), ip: req.ip },
      'sign-in refused: rate limit',
    );
    throw tooManyAttempts(attempt.refusedFor);
  }
  const ok = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
  if (!user || !ok) {
    deps.log.warn({ event: 'login_failed', account: accountRef(normalized), ip: req.ip }, 'sign-in failed');
    throw unauthenticated('Wrong email or password.');
  }
  await attempt.succeeded();
  // The pair's typos are forgiven; the account's count stays, so an ongoing attack is not reset by the owner.
  await clearFailures(deps.db, keys[0].key);
  await rememberAddress(deps, user.id, address);
  deps.log.info({ event: 'login', userId: user.id }, 'signed in');
  return { user, ...(await openStaffSession(deps, user)) };
}

/** Staff sign-in, sign-out and "who am I". */
export function staffAuthRoutes(deps: StaffAuthDeps): RouteDef[] {
  const { db } = deps;
  return [
    {
      method: 'post',
      path: '/api/auth/login',
      summary: 'Sign in with email and password; returns a bearer token',
      tag: 'Staff auth',
      auth: 'public',
      body: loginBody,
      responses: {
        200: { description: 'Signed in', schema: staffSessionSchema },
        401: 'Wrong email or password',
        429: 'Too many failed attempts',
      },
      handler: async (req, res) => {
        const { user, session, token } = await signIn(deps, req);
        res.json({
          token,
          expiresAt: session.expiresAt.toISOString(),
          idleTimeoutMinutes: deps.sessions.idleMinutes,
          user: toStaffUser(user),
        });
      },
    },
    {
      method: 'post',
      path: '/api/auth/session',
      summary:
        "Sign the dashboard in: the session goes into an HttpOnly cookie, never into the page's scripts",
      tag: 'Staff auth',
      auth: 'public',
      body: loginBody,
      responses: {
        200: { description: 'Signed in; Set-Cookie carries the session', schema: staffCookieSessionSchema },
        401: 'Wrong email or password',
        403: 'Not sent by the dashboard (CSRF check)',
        429: 'Too many failed attempts',
      },
      handler: async (req, res) => {
        // Login CSRF: another site must not sign a browser into an account of its choosing.
        assertSameSiteRequest(req, deps.publicUrl);
        const { user, session, token } = await signIn(deps, req);
        setSessionCookie(
          req,
          res,
          token,
          session.expiresAt.getTime() - deps.clock.now().getTime(),
          deps.production,
        );
        res.json({
          expiresAt: session.expiresAt.toISOString(),
          idleTimeoutMinutes: deps.sessions.idleMinutes,
          user: toStaffUser(user),
        });
      },
    },
    {
      method: 'get',
      path: '/api/auth/session',
      summary: 'The current session (cookie or bearer): when it ends and who it is',
      tag: 'Staff auth',
      auth: 'staff',
      responses: { 200: { description: 'The session', schema: staffCookieSessionSchema } },
      handler: async (_req, res) => {
        const staff = res.locals.staff!;
        const [user, [row]] = await Promise.all([
          db.StaffUser.findByPk(staff.id),
          db.sequelize.query<{ expires_at: Date }>('SELECT expires_at FROM staff_sessions WHERE id = :id', {
            replacements: { id: staff.sessionId },
            type: QueryTypes.SELECT,
          }),
        ]);
        if (!user || !row) throw unauthenticated();
        res.json({
          expiresAt: new Date(row.expires_at).toISOString(),
          idleTimeoutMinutes: deps.sessions.idleMinutes,
          user: toStaffUser(user),
        });
      },
    },
    {
      method: 'post',
      path: '/api/auth/logout',
      summary: 'Revoke the current session (and clear the session cookie)',
      tag: 'Staff auth',
      auth: 'staff',
      responses: { 204: 'Signed out' },
      handler: async (req, res) => {
        await revokeSession(deps.db, deps.clock, res.locals.staff!.sessionId);
        clearSessionCookie(req, res, deps.production);
        res.status(204).end();
      },
    },
    {
      method: 'get',
      path: '/api/auth/me',
      summary: 'The signed-in staff user',
      tag: 'Staff auth',
      auth: 'staff',
      responses: { 200: { description: 'The user', schema: staffUserSchema } },
      handler: async (_req, res) => {
        const user = await db.StaffUser.findByPk(res.locals.staff!.id);
        if (!user) throw unauthenticated();
        res.json(toStaffUser(user));
      },
    },
  ];
}
