import type { CaptureServer } from './captureServer';
import type { HttpClient, TestResponse } from './http';

/** The API did not answer 202 to a code request; the answer is kept for callers that retry through outages. */
export class VerificationRefused extends Error {
  constructor(readonly response: TestResponse) {
    super(`email verification refused: ${response.status} ${JSON.stringify(response.body)}`);
    this.name = 'VerificationRefused';
  }
}

/**
 * A real email-verification code for a new client's address, obtained the way a client gets one: asked for with
 * POST /portal/:slug/email-verifications, then read from the email the worker delivered to the capture server
 * (so a worker must be running). Throws VerificationRefused when the API does not answer 202.
 */
export async function emailVerificationCode(
  http: HttpClient,
  capture: CaptureServer,
  slug: string,
  email: string,
  opts: { ip?: string; timeoutMs?: number } = {},
): Promise<string> {
  const to = email.trim().toLowerCase();
  const isCode = (e: { to: string[]; idempotencyKey?: string }) =>
    e.to.includes(to) && (e.idempotencyKey?.startsWith('email-verification/') ?? false);
  const earlier = new Set(
    capture
      .emails()
      .filter(isCode)
      .map((e) => e.idempotencyKey),
  );
  const res = await http.post(
    `/portal/${slug}/email-verifications`,
    { email },
    opts.ip ? { headers: { 'x-forwarded-for': opts.ip } } : {},
  );
  if (res.status !== 202) throw new VerificationRefused(res);
  const delivered = await capture.waitFor(
    (e) => isCode(e) && !earlier.has(e.idempotencyKey),
    opts.timeoutMs ?? 20_000,
  );
  const match = /^\s*(\d{6})\s*$/m.exec(delivered.text ?? '');
  if (!match) throw new Error(`no 6-digit code in the verification email: ${delivered.text}`);
  return match[1];
}
