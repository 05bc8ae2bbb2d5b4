import { type RotationStep, rotationSteps } from '@creditgate/shared';
import type { Context } from 'aws-lambda';
import { systemActor } from '../audit/audit.model';
import { logger } from '../lib/logger';
import { runRotationStep } from './rotation.service';

/** The event Secrets Manager sends for each rotation step. */
interface RotationEvent {
  SecretId: string;
  ClientRequestToken: string;
  Step: RotationStep;
}

/**
 * The platform key's rotation function. Secrets Manager invokes it once per step
 * (`createSecret`, `setSecret`, `testSecret`, `finishSecret`) with the same
 * ClientRequestToken. Locally the Secrets Manager endpoint does the same through the
 * gateway's Lambda Invoke API. A thrown error fails the step and so the rotation.
 */
export const handler = async (event: unknown, context: Context): Promise<void> => {
  const request = parseRotationEvent(event);
  logger.resetKeys();
  logger.addContext(context);
  logger.appendKeys({
    correlation_id: context.awsRequestId,
    version_id: request.ClientRequestToken,
    step: request.Step,
  });
  logger.info('Rotation step started');

  await runRotationStep({
    secretId: request.SecretId,
    versionId: request.ClientRequestToken,
    step: request.Step,
    actor: systemActor(context.awsRequestId),
  });
  logger.info('Rotation step finished');
};

function parseRotationEvent(event: unknown): RotationEvent {
  const fields = (event ?? {}) as Record<string, unknown>;
  const { SecretId, ClientRequestToken, Step } = fields;
  if (typeof SecretId !== 'string' || SecretId === '') {
    throw new Error('Invalid rotation event: SecretId is missing');
  }
  if (typeof ClientRequestToken !== 'string' || ClientRequestToken === '') {
    throw new Error('Invalid rotation event: ClientRequestToken is missing');
  }
  if (!rotationSteps.includes(Step as RotationStep)) {
    throw new Error(
      `Invalid rotation event: Step must be one of ${rotationSteps.join(', ')}, got ${JSON.stringify(Step)}`,
    );
  }
  return { SecretId, ClientRequestToken, Step: Step as RotationStep };
}
