import { Center, Spinner } from '@chakra-ui/react';
import { lazy, Suspense } from 'react';

/** Loaded on demand, so Scalar stays out of the JavaScript of every other page. */
const ApiDocsPage = lazy(() => import('./api-docs-page'));

/** Path of the API reference, reachable with or without a session. */
export const API_DOCS_PATH = '/docs';

/** Renders the API reference page, with a spinner while its chunk loads. */
export function ApiDocsRoute() {
  return (
    <Suspense
      fallback={
        <Center minHeight="100dvh">
          <Spinner size="lg" aria-label="Loading the API reference" />
        </Center>
      }
    >
      <ApiDocsPage />
    </Suspense>
  );
}
