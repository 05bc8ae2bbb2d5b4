import { PRODUCT_NAME } from '@creditgate/shared';

export interface InvitationContent {
  tenantName: string;
  username: string;
  temporaryPassword: string;
  acceptUrl: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * Renders the invitation email. The CustomMessage trigger calls it with Cognito's
 * placeholders (`{username}`, `{####}`), and local mode with the real values.
 */
export function renderInvitation(content: InvitationContent): RenderedEmail {
  const subject = `You are invited to ${content.tenantName} on ${PRODUCT_NAME}`;
  const text = [
    `You have been invited to join ${content.tenantName} on ${PRODUCT_NAME}.`,
    '',
    `Username: ${content.username}`,
    `Temporary password: ${content.temporaryPassword}`,
    '',
    `Accept the invitation and choose your own password at ${content.acceptUrl}`,
  ].join('\n');
  const html = [
    `<p>You have been invited to join <strong>${escapeHtml(content.tenantName)}</strong> on ${PRODUCT_NAME}.</p>`,
    `<p>Username: <code>${escapeHtml(content.username)}</code><br>`,
    `Temporary password: <code>${escapeHtml(content.temporaryPassword)}</code></p>`,
    `<p><a href="${escapeHtml(content.acceptUrl)}">Accept the invitation</a> and choose your own password.</p>`,
  ].join('\n');
  return { subject, text, html };
}

/** Builds the SPA's accept-invite link for one email address. */
export function acceptInviteUrl(webUrl: string, email: string): string {
  const url = new URL('/accept-invite', webUrl);
  url.searchParams.set('email', email);
  return url.toString();
}

function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * Renders the password reset email. The CustomMessage trigger passes Cognito's `{####}`
 * placeholder as the code; local mode passes the real code.
 */
export function renderPasswordReset(content: { code: string; resetUrl: string }): RenderedEmail {
  const subject = `Your ${PRODUCT_NAME} password reset code`;
  const text = [
    `Someone asked to reset the password of your ${PRODUCT_NAME} account.`,
    '',
    `Code: ${content.code}`,
    '',
    `Enter it at ${content.resetUrl} to choose a new password. If you did not ask for this, ignore this email.`,
  ].join('\n');
  const html = [
    `<p>Someone asked to reset the password of your ${PRODUCT_NAME} account.</p>`,
    `<p>Code: <code>${escapeHtml(content.code)}</code></p>`,
    `<p>Enter it at <a href="${escapeHtml(content.resetUrl)}">${escapeHtml(content.resetUrl)}</a> to choose a new password. If you did not ask for this, ignore this email.</p>`,
  ].join('\n');
  return { subject, text, html };
}

/** Builds the SPA's forgot-password link. */
export function resetPasswordUrl(webUrl: string): string {
  return new URL('/forgot-password', webUrl).toString();
}
