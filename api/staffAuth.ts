import { createHash } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { fn, col, where } from 'sequelize';
import type { Clock } from '../app/clock';
import type { Logger } from '../app/logger';
import { verifyPassword } from '../app/passwords';
import { StaffUser } from '../models/staffUser';
import { ProblemError, unauthenticated } from './errors';
import type { RouteDef } from './route';
import type { TokenService } from './auth/tokens';
import { openSession, revokeSession, type SessionPolicy } from './auth/sessions';
import { lockedFor, recordFailure, clearFailures } from './auth/rateLimit';
import { staffUserSchema, toStaffUser } from './schemas';

// Per account: a handful of guesses; per address: room for a shared office network, not for a sweep.
const ACCOUNT_LIMIT = { max: 5, windowMinutes: 15 };
const ADDRESS_LIMIT = { max: 30, windowMinutes: 15 };
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

/** Staff sign-in, sign-out and "who am I". */
export function staffAuthRoutes(deps: {
  db: Sequelize;
  clock: Clock;
  log: Logger;
  tokens: TokenService;
  sessions: SessionPolicy;
}): RouteDef[] {
  return [
    {
      method: 'post',
      path: '/api/auth/login',
      summary: 'Sign in with email and password; returns a bearer token',
      tag: 'Staff auth',
      auth: 'public',
      body: loginBody,
      responses: { 200: 'Signed in', 401: 'Wrong email or password', 429: 'Too many failed attempts' },
      handler: async (req, res) => {
        const { email, password } = req.body as { email: string; password: string };
        const normalized = email.trim().toLowerCase();
        const keys = [`account:${normalized}`, `address:${req.ip}`];
        const locked =
          (await lockedFor(deps.db, deps.clock, keys[0], ACCOUNT_LIMIT)) ??
          (await lockedFor(deps.db, deps.clock, keys[1], ADDRESS_LIMIT));
        if (locked !== null) {
          deps.log.warn(
            { event: 'login_locked', account: accountRef(normalized), ip: req.ip },
            'sign-in refused: rate limit',
          );
          throw tooManyAttempts(locked);
        }
        const user = await StaffUser.findOne({ where: where(fn('lower', col('email')), normalized) });
        const ok = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
        if (!user || !ok) {
          await recordFailure(deps.db, deps.clock, keys);
          deps.log.warn(
            { event: 'login_failed', account: accountRef(normalized), ip: req.ip },
            'sign-in failed',
          );
          throw unauthenticated('Wrong email or password.');
        }
        await clearFailures(deps.db, keys[0]);
        const session = await openSession(deps.db, deps.clock, deps.sessions, user.id);
        const token = await deps.tokens.sign(
          { typ: 'staff', sub: user.id, sid: session.id, pid: user.practiceId },
          session.expiresAt,
        );
        deps.log.info({ event: 'login', userId: user.id }, 'signed in');
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
      path: '/api/auth/logout',
      summary: 'Revoke the current session',
      tag: 'Staff auth',
      auth: 'staff',
      responses: { 204: 'Signed out' },
      handler: async (_req, res) => {
        await revokeSession(deps.db, deps.clock, res.locals.staff!.sessionId);
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
        const user = await StaffUser.findByPk(res.locals.staff!.id);
        if (!user) throw unauthenticated();
        res.json(toStaffUser(user));
      },
    },
  ];
}
