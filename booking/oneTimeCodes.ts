import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** How long a portal sign-in code works (the API checks it, the worker says so in the email). */
export const SIGN_IN_CODE_VALID_MINUTES = 10;

/** What a 6-digit portal code is for; a code of one purpose never matches another. */
export type CodePurpose = 'sign-in-code' | 'email-verification';

/** Derives the 6-digit code of a code row from its id; the API checks codes with it, the worker emails them. */
export interface OneTimeCodes {
  codeFor(purpose: CodePurpose, id: string): string;
  matches(purpose: CodePurpose, id: string, code: string): boolean;
  /** The secret of an emailed link (its `token` query parameter), derived from its row's id like a code. */
  linkToken(purpose: LinkPurpose, id: string): string;
}

/** What an emailed link is for; a link of one purpose never matches another. */
export type LinkPurpose = 'staff-invitation' | 'password-reset' | 'calendar-feed' | 'reminder-opt-out';

/** What the database keeps of a link token: enough to find its row, nothing that gives the link away. */
export function linkTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * A code is an HMAC of its row's (random) id under a key derived from AUTH_SECRET. The worker that emails it
 * after the API has answered can produce it again from the id alone, so neither the code nor the address ever
 * travels through Temporal, retries render the same email under the same idempotency key, and the database holds
 * nothing that gives the code away without the secret (a stored hash of 6 digits would: a million guesses).
 */
export function oneTimeCodes(secret: string): OneTimeCodes {
  // Its own key, so a code can never be computed from anything that signs tokens.
  const key = Buffer.from(hkdfSync('sha256', secret, 'practice-booking', 'portal one-time codes', 32));
  const codeFor = (purpose: CodePurpose, id: string): string => {
    const mac = createHmac('sha256', key).update(`${purpose}/${id}`).digest();
    // 48 bits modulo 10^6: the bias is below one in 10^8.
    return String(mac.readUIntBE(0, 6) % 1_000_000).padStart(6, '0');
  };
  // Links carry 256 bits, not 6 digits: they are guessed offline against nothing, online against every row at once.
  const linkKey = Buffer.from(hkdfSync('sha256', secret, 'practice-booking', 'emailed link tokens', 32));
  return {
    codeFor,
    linkToken: (purpose, id) => createHmac('sha256', linkKey).update(`${purpose}/${id}`).digest('base64url'),
    matches(purpose, id, code) {
      const expected = Buffer.from(codeFor(purpose, id));
      const given = Buffer.from(code);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
