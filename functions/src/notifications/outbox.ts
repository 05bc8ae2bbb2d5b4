import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ulid } from '@creditgate/shared';
import { isLocalMode, optionalEnv } from '../lib/env';

/** One email as local mode records it, one JSON file per email. */
export interface OutboxEmail {
  to: string;
  subject: string;
  body: string;
  html?: string;
  username?: string;
  temporaryPassword?: string;
}

/**
 * Writes an email to the local outbox folder. In AWS, Cognito and SES deliver email, so this
 * does nothing unless the function runs in local mode with `OUTBOX_DIR` set.
 */
export async function writeToOutbox(email: OutboxEmail): Promise<void> {
  const outboxDir = optionalEnv('OUTBOX_DIR');
  if (!isLocalMode() || !outboxDir) return;
  await mkdir(outboxDir, { recursive: true });
  const file = join(outboxDir, `${ulid()}.json`);
  await writeFile(
    file,
    `${JSON.stringify({ ...email, sentAt: new Date().toISOString() }, null, 2)}\n`,
    {
      mode: 0o600,
    },
  );
}
