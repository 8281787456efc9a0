import { ApplicationFailure } from '@temporalio/activity';
import { renderEmail, type EmailKind, type EmailPropsByKind } from '../emails/render';
import { EmailRejectedError, type Mailer, type OutgoingEmail } from '../emails/mailer';

/**
 * Renders and sends one email. The idempotency key makes a retried activity deliver once; a provider's
 * validation refusal is permanent (non-retryable, visible in the workflow), rate limits and 5xx are retried.
 */
export async function deliverEmail<K extends EmailKind>(
  mailer: Mailer,
  message: {
    kind: K;
    props: EmailPropsByKind[K];
    to: string;
    idempotencyKey: string;
    attachments?: OutgoingEmail['attachments'];
  },
): Promise<{ id: string }> {
  const rendered = await renderEmail(message.kind, message.props);
  try {
    return await mailer.send({
      to: message.to,
      idempotencyKey: message.idempotencyKey,
      attachments: message.attachments,
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
    throw err;
  }
}
