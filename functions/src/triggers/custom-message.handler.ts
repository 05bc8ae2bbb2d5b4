import { PRODUCT_NAME, TENANT_ID_CLAIM } from '@creditgate/shared';
import type { CustomMessageTriggerEvent } from 'aws-lambda';
import { optionalEnv } from '../lib/env';
import { logger } from '../lib/logger';
import {
  acceptInviteUrl,
  renderInvitation,
  renderPasswordReset,
  resetPasswordUrl,
} from '../notifications/invitation-template';
import { getTenant } from '../tenants/tenants.repository';

/**
 * Cognito CustomMessage trigger: renders the invitation and password reset emails with
 * Cognito's placeholders for the username and the code or temporary password, which Cognito
 * fills in after the trigger returns. Other messages keep Cognito's defaults.
 */
export const handler = async (
  event: CustomMessageTriggerEvent,
): Promise<CustomMessageTriggerEvent> => {
  const webUrl = optionalEnv('WEB_URL') ?? 'http://localhost:5173';
  if (event.triggerSource === 'CustomMessage_ForgotPassword') {
    const rendered = renderPasswordReset({
      code: event.request.codeParameter,
      resetUrl: resetPasswordUrl(webUrl),
    });
    event.response.emailSubject = rendered.subject;
    event.response.emailMessage = rendered.html;
    return event;
  }
  if (event.triggerSource !== 'CustomMessage_AdminCreateUser') return event;

  const tenantId = event.request.userAttributes[TENANT_ID_CLAIM];
  const email = event.request.userAttributes.email ?? '';
  const rendered = renderInvitation({
    tenantName: tenantId ? await tenantNameOf(tenantId) : PRODUCT_NAME,
    username: event.request.usernameParameter ?? email,
    temporaryPassword: event.request.codeParameter,
    acceptUrl: acceptInviteUrl(webUrl, email),
  });
  event.response.emailSubject = rendered.subject;
  event.response.emailMessage = rendered.html;
  return event;
};

async function tenantNameOf(tenantId: string): Promise<string> {
  try {
    return (await getTenant(tenantId))?.name ?? PRODUCT_NAME;
  } catch (error) {
    // The invitation still goes out, naming the product in place of the tenant.
    logger.error('Tenant lookup for the invitation failed', {
      error: error as Error,
      tenant_id: tenantId,
    });
    return PRODUCT_NAME;
  }
}
