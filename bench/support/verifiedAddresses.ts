/**
 * New-client addresses verified ahead of a measured window, as the portal does it (a code asked for, then read from
 * the email the worker delivered), so verification is not part of what a submission benchmark measures. Each
 * address serves MAX_PENDING_PER_EMAIL submissions: its code stays good once used, and the pending cap allows no
 * more.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { MAX_PENDING_PER_EMAIL } from '../../booking/submitRequest';
import { inPool, visitorAddress, type World } from '../../test/reliability/harness';
import type { CaptureServer } from '../../test/support/captureServer';
import type { HttpClient } from '../../test/support/http';
import { emailVerificationCode } from '../../test/support/verification';

export interface VerifiedAddress {
  email: string;
  code: string;
}

export class VerifiedAddresses {
  private uses = 0;

  private constructor(private readonly addresses: VerifiedAddress[]) {}

  /** Verifies enough fresh addresses for `submissions` submissions (unused codes expire, so ask for a window's worth). */
  static async verify(opts: {
    http: HttpClient;
    capture: CaptureServer;
    slug: string;
    submissions: number;
    concurrency?: number;
  }): Promise<VerifiedAddresses> {
    const fresh: VerifiedAddress[] = [];
    const wanted = Math.ceil(opts.submissions / MAX_PENDING_PER_EMAIL);
    await inPool(Array.from({ length: wanted }), opts.concurrency ?? 20, async () => {
      const email = `bench.${randomBytes(5).toString('hex')}@example.test`;
      const code = await emailVerificationCode(opts.http, opts.capture, opts.slug, email, {
        ip: visitorAddress(),
        timeoutMs: 120_000,
      });
      fresh.push({ email, code });
    });
    return new VerifiedAddresses(fresh);
  }

  /** The address for the next submission; undefined once the pool is used up (the caller counts that). */
  next(): VerifiedAddress | undefined {
    return this.addresses[Math.floor(this.uses++ / MAX_PENDING_PER_EMAIL)];
  }

  get capacity(): number {
    return this.addresses.length * MAX_PENDING_PER_EMAIL;
  }
}

/** A new-client submission for the next free slot, with a verified address and a network address of its own. */
export function benchSubmission(world: World, verified: VerifiedAddresses) {
  const tag = randomBytes(5).toString('hex');
  const address = verified.next();
  return {
    body: JSON.stringify({
      ...world.nextSlot(),
      serviceId: world.service.id,
      newClient: {
        firstName: 'Bench',
        lastName: `Client ${tag}`,
        email: address?.email ?? `bench.${tag}@example.test`,
        phone: '+1 555 0100',
      },
      // Past the verified pool the request goes without a code and counts as a refused answer.
      ...(address ? { emailVerificationCode: address.code } : {}),
    }),
    headers: {
      'content-type': 'application/json',
      'idempotency-key': `bench-${randomUUID()}`,
      'x-forwarded-for': visitorAddress(),
    },
  };
}
