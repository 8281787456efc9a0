import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { Clock } from '../../lib/clock';

/** What a staff token carries: the user, their session (revocable) and practice. */
export interface StaffClaims {
  typ: 'staff';
  sub: string;
  sid: string;
  pid: string;
}

/** What a portal client token carries: the client and the one practice it is valid for. */
export interface ClientClaims {
  typ: 'client';
  sub: string;
  pid: string;
}

export type TokenClaims = StaffClaims | ClientClaims;

/** What every verified token also carries: its own id (a client signs out by revoking it) and expiry. */
export interface TokenIdentity {
  jti: string;
  /** Seconds since the epoch. */
  exp: number;
}

const ISSUER = 'practice-booking';

/** Signs and verifies HS256 JWTs with the configured secret, on the injected clock. */
export class TokenService {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly clock: Clock,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  /** A signed token, with an id of its own, that stops verifying at expiresAt. */
  sign(claims: TokenClaims, expiresAt: Date): Promise<string> {
    const { sub, ...rest } = claims;
    return new SignJWT({ ...rest })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(sub)
      .setJti(randomUUID())
      .setIssuer(ISSUER)
      .setAudience(claims.typ)
      .setIssuedAt(Math.floor(this.clock.now().getTime() / 1000))
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
  }

  /** The claims of a valid, unexpired token of the expected type; null for anything else. */
  async verify<T extends TokenClaims['typ']>(
    token: string,
    typ: T,
  ): Promise<(Extract<TokenClaims, { typ: T }> & TokenIdentity) | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: typ,
        algorithms: ['HS256'],
        currentDate: this.clock.now(),
      });
      if (payload.typ !== typ || typeof payload.sub !== 'string' || typeof payload.pid !== 'string')
        return null;
      if (typ === 'staff' && typeof payload.sid !== 'string') return null;
      // A client token without an id could never be signed out, so it is not accepted.
      if (typeof payload.jti !== 'string' || typeof payload.exp !== 'number') return null;
      return payload as unknown as Extract<TokenClaims, { typ: T }> & TokenIdentity;
    } catch (err) {
      if (err instanceof joseErrors.JOSEError) return null;
      throw err;
    }
  }
}

/** The bearer token of an Authorization header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer ([A-Za-z0-9._~+/=-]{10,4096})$/.exec(header ?? '');
  return match ? match[1] : null;
}
