import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Root of the handler sources, the same files CDK bundles for Lambda. */
export const FUNCTIONS_SOURCE_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../functions/src',
);

/** Lambda functions that are not behind the API: Cognito triggers and scheduled jobs. */
export const backgroundFunctions: Record<string, string> = {
  'custom-message': 'triggers/custom-message',
  'post-authentication': 'triggers/post-authentication',
  'release-expired-holds': 'jobs/release-expired-holds',
  'grant-monthly-credits': 'jobs/grant-monthly-credits',
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
