import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { ulid } from '@creditgate/shared';
import {
  renderPasswordReset,
  resetPasswordUrl,
} from '../../../functions/src/notifications/invitation-template';

/** One code that cognito-local printed instead of sending it. */
export interface CodeDelivery {
  /** The Cognito operation that sent the code, such as `ForgotPassword`. */
  operation: string;
  destination: string;
  code: string;
}

const ANSI_ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/**
 * Reads cognito-local's log output and reports each "Confirmation Code Delivery" box it
 * prints. cognito-local prints codes (password resets) instead of emailing them, and the
 * CustomMessage trigger only sees the `{####}` placeholder, so the log is the one place the
 * real code appears. A box spans several lines, or one line when the message has HTML.
 */
export function watchCodeDeliveries(
  output: Readable,
  onDelivery: (delivery: CodeDelivery) => void,
): void {
  let box: string | undefined;
  createInterface({ input: output }).on('line', (rawLine) => {
    const line = rawLine.replace(ANSI_ESCAPE, '');
    if (box === undefined && line.includes('╭')) box = '';
    if (box === undefined) return;
    box += `${line}\n`;
    if (!line.includes('╰')) return;
    const delivery = parseDeliveryBox(box);
    box = undefined;
    if (delivery) onDelivery(delivery);
  });
}

function parseDeliveryBox(box: string): CodeDelivery | undefined {
  if (!box.includes('Confirmation Code Delivery')) return undefined;
  const operation = /(\w+) ╭/.exec(box)?.[1];
  const destination = /Destination:\s+(\S+)/.exec(box)?.[1];
  const code = /Code:\s+(\S+)/.exec(box)?.[1];
  if (!operation || !destination || !code) return undefined;
  return { operation, destination, code };
}

/** Writes a password reset code to the outbox, rendered by the CustomMessage trigger's template. */
export async function writePasswordResetEmail(
  outboxDir: string,
  webUrl: string,
  delivery: CodeDelivery,
): Promise<void> {
  const email = renderPasswordReset({ code: delivery.code, resetUrl: resetPasswordUrl(webUrl) });
  await mkdir(outboxDir, { recursive: true });
  const message = {
    to: delivery.destination,
    subject: email.subject,
    body: email.text,
    html: email.html,
    code: delivery.code,
    sentAt: new Date().toISOString(),
  };
  await writeFile(join(outboxDir, `${ulid()}.json`), `${JSON.stringify(message, null, 2)}\n`, {
    mode: 0o600,
  });
}
