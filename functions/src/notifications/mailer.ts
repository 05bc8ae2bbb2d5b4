import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { isLocalMode, optionalEnv, requireEnv } from '../lib/env';
import { logger } from '../lib/logger';
import { traced } from '../lib/observability';
import { listAllUsers } from '../users/users.repository';
import { type OutboxEmail, writeToOutbox } from './outbox';

let client: SESv2Client | undefined;

/**
 * Sends one email of the platform's own (alerts, credit requests, key failures). Local mode
 * writes it to the outbox folder; in AWS it goes through SES from the `MAIL_FROM` sender.
 * A function without `MAIL_FROM` logs that the email was skipped instead of failing the
 * request that caused it.
 */
export async function sendEmail(email: OutboxEmail): Promise<void> {
  if (isLocalMode()) {
    await writeToOutbox(email);
    return;
  }
  const from = optionalEnv('MAIL_FROM');
  if (!from) {
    logger.warn('Email skipped: MAIL_FROM is not set', { subject: email.subject });
    return;
  }
  client ??= traced(new SESv2Client({ region: requireEnv('AWS_REGION') }));
  await client.send(
    new SendEmailCommand({
      FromEmailAddress: from,
      Destination: { ToAddresses: [email.to] },
      Content: {
        Simple: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: email.body, Charset: 'UTF-8' } },
        },
      },
    }),
  );
}

/**
 * Emails every active TenantAdmin of a tenant. A failed email is logged and the others are
 * still sent, because the action that caused the emails has already happened.
 */
export async function emailTenantAdmins(
  tenantId: string,
  message: { subject: string; body: string },
): Promise<void> {
  const admins = (await listAllUsers(tenantId)).filter(
    (user) => user.role === 'TenantAdmin' && user.status === 'ACTIVE',
  );
  await Promise.all(admins.map((admin) => sendQuietly({ to: admin.email, ...message })));
}

/** Sends an email and logs a failure instead of raising it. */
export async function sendQuietly(email: OutboxEmail): Promise<void> {
  try {
    await sendEmail(email);
  } catch (error) {
    logger.error('Sending an email failed', { subject: email.subject, error: error as Error });
  }
}
