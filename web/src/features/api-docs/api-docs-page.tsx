import './zod-without-eval';
import '@scalar/api-reference/style.css';
import { Alert, Box, Center, Spinner } from '@chakra-ui/react';
import { useEffect, useRef, useState } from 'react';
import { loadRuntimeConfig } from '../../config/runtime-config';
import { buildScalarConfiguration, openApiDocumentUrl } from './scalar-configuration';

type LoadState =
  | { status: 'loading' }
  | { status: 'ready' }
  | { status: 'failed'; message: string };

/**
 * Renders the API reference at `/docs` with Scalar, from `GET /v1/openapi.json`. The document
 * is public, so the page needs no session. This module and Scalar load as their own chunk.
 */
export default function ApiDocsPage() {
  const containerRef = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<LoadState>({ status: 'loading' });

  useEffect(() => {
    let isCancelled = false;
    let reference: { destroy: () => void } | undefined;

    const load = async () => {
      // Scalar loads after `./zod-without-eval` has run; see there.
      const scalar = import('@scalar/api-reference');
      const config = await loadRuntimeConfig();
      const url = openApiDocumentUrl(config.apiBaseUrl);
      const response = await fetch(url, { headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`Loading ${url} failed with HTTP ${response.status}.`);
      const document = (await response.json()) as Record<string, unknown>;
      if (isCancelled || !containerRef.current) return;
      const serverUrl = config.apiBaseUrl || window.location.origin;
      const { createApiReference } = await scalar;
      if (isCancelled || !containerRef.current) return;
      reference = createApiReference(
        containerRef.current,
        buildScalarConfiguration(document, serverUrl),
      );
      setState({ status: 'ready' });
    };
    load().catch((error: unknown) => {
      if (isCancelled) return;
      setState({
        status: 'failed',
        message: error instanceof Error ? error.message : String(error),
      });
    });
    return () => {
      isCancelled = true;
      reference?.destroy();
    };
  }, []);

  return (
    <Box minHeight="100dvh">
      {state.status === 'loading' && (
        <Center minHeight="50dvh">
          <Spinner size="lg" aria-label="Loading the API reference" />
        </Center>
      )}
      {state.status === 'failed' && (
        <Center minHeight="50dvh" padding="4">
          <Alert.Root status="error" maxWidth="lg" role="alert">
            <Alert.Indicator />
            <Alert.Content>
              <Alert.Title>The API reference could not load</Alert.Title>
              <Alert.Description>{state.message}</Alert.Description>
            </Alert.Content>
          </Alert.Root>
        </Center>
      )}
      <div ref={containerRef} data-testid="api-reference" />
    </Box>
  );
}
