import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Root of the handler sources, the same files CDK bundles for Lambda. */
export const FUNCTIONS_SOURCE_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../functions/src',
);

/**
 * Function name of the platform key's rotation function. The local bootstrap configures it
 * as the secret's `RotationLambdaARN`, and the local Secrets Manager endpoint invokes it by
 * this name on RotateSecret.
 */
export const ROTATION_FUNCTION_NAME = 'rotate-platform-key';

/**
 * Lambda functions that are not behind the API: Cognito triggers, scheduled jobs and the
 * key rotation function.
 */
export const backgroundFunctions: Record<string, string> = {
  'custom-message': 'triggers/custom-message',
  'post-authentication': 'triggers/post-authentication',
  'release-expired-holds': 'jobs/release-expired-holds',
  'grant-monthly-credits': 'jobs/grant-monthly-credits',
  'revoke-previous-platform-key': 'jobs/revoke-previous-platform-key',
  [ROTATION_FUNCTION_NAME]: 'keys/rotate-platform-key',
};

export type LoadedHandler = (...args: unknown[]) => Promise<unknown>;

const loaded = new Map<string, Promise<LoadedHandler>>();

/** Imports `functions/src/<module>.handler.ts` once and returns its `handler` export. */
export function loadHandler(module: string): Promise<LoadedHandler> {
  let handler = loaded.get(module);
  if (!handler) {
    const file = join(FUNCTIONS_SOURCE_DIR, `${module}.handler.ts`);
    handler = import(pathToFileURL(file).href).then((exports: { handler?: LoadedHandler }) => {
      if (typeof exports.handler !== 'function')
        throw new Error(`${file} exports no handler function`);
      return exports.handler;
    });
    loaded.set(module, handler);
  }
  return handler;
}
