import path from 'node:path';
import { createOutboxMailer, createResendMailer, type Mailer } from '../emails/mailer';
import type { Config } from './config';
import type { Logger } from '../lib/logger';

/** Resend when RESEND_API_KEY is set (RESEND_BASE_URL overrides its host); otherwise files in DATA_DIR/outbox. */
export function createMailer(config: Config, log: Logger): Mailer {
  if (config.resendApiKey) {
    return createResendMailer({
      apiKey: config.resendApiKey,
      from: config.emailFrom,
      baseUrl: config.resendBaseUrl ?? undefined,
      log,
    });
  }
  return createOutboxMailer({ dir: path.join(config.dataDir, 'outbox'), log });
}
