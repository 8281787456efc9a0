import { ApplicationFailure, Context } from '@temporalio/activity';
import { renderEmail, type EmailKind, type EmailPropsByKind } from '../emails/render';
import { EmailRejectedError, EmailTemporaryError, type Mailer, type OutgoingEmail } from '../emails/mailer';

/**
 * Renders and sends one email. The idempotency key makes a retried activity deliver once; a provider's
 * validation refusal is permanent (non-retryable, visible in the workflow), rate limits and 5xx are retried, no
 * sooner than the provider's Retry-After when it gave one.
 */
export async function deliverEmail<K extends EmailKind>(
  mailer: Mailer,
  message: {
    kind: K;
    props: EmailPropsByKind[K];
    to: string;
    idempotencyKey: string;
    attachments?: OutgoingEmail['attachments'];
    headers?: OutgoingEmail['headers'];
  },
): Promise<{ id: string }> {
  const rendered = await renderEmail(message.kind, message.props);
  try {
    return await mailer.send({
      to: message.to,
      idempotencyKey: message.idempotencyKey,
      attachments: message.attachments,
      headers: message.headers,
      ...rendered,
    });
  } catch (err) {
    if (err instanceof EmailRejectedError) {
      throw ApplicationFailure.create({
        type: 'EMAIL_REJECTED',
        message: `${message.kind} refused by the provider: ${err.message}`,
        nonRetryable: true,
      });
    }
    if (err instanceof EmailTemporaryError && err.retryAfterSeconds) {
      // Retrying before the provider's Retry-After only spends attempts on refusals, and counts against the
      // account's rate limit; the step's own backoff starts at 2 seconds.
      throw ApplicationFailure.create({
        type: err.name,
        message: err.message,
        details: [{ code: err.code, attempt: currentAttempt() }],
        nextRetryDelay: err.retryAfterSeconds * 1000,
      });
    }
    throw err;
  }
}

function currentAttempt(): number | undefined {
  try {
    return Context.current().info.attempt;
  } catch {
    // Outside an activity (a script, a test calling deliverEmail directly) there is no attempt to report.
    return undefined;
  }
}
