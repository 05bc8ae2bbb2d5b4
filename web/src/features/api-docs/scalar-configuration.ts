/** The parts of Scalar's configuration this page sets; see `@scalar/types/api-reference`. */
export interface ApiDocsConfiguration {
  content: Record<string, unknown>;
  servers: { url: string; description: string }[];
  withDefaultFonts: boolean;
  telemetry: boolean;
  agent: { disabled: boolean };
  showDeveloperTools: 'never';
  showToolbar: 'never';
  hideClientButton: boolean;
  documentDownloadType: 'json';
  hiddenClients: true | string[] | Record<string, boolean | string[]>;
  defaultHttpClient: { targetKey: 'shell'; clientKey: 'curl' };
}

/**
 * Builds the renderer's configuration for the OpenAPI document. Everything that would fetch
 * from Scalar's servers is off: its web fonts (the page uses the system fonts), telemetry,
 * the AI agent (on by default for localhost pages) and the developer toolbar. Requests from
 * the page go only to `serverUrl`, the API's origin.
 */
export function buildScalarConfiguration(
  document: Record<string, unknown>,
  serverUrl: string,
): ApiDocsConfiguration {
  return {
    content: document,
    servers: [{ url: serverUrl, description: 'This Creditgate API' }],
    withDefaultFonts: false,
    telemetry: false,
    agent: { disabled: true },
    showDeveloperTools: 'never',
    showToolbar: 'never',
    hideClientButton: true,
    documentDownloadType: 'json',
    // The operations carry their own openai SDK, curl and fetch samples (`x-codeSamples`);
    // generated samples stay for curl, fetch and Node's fetch.
    hiddenClients: {
      c: true,
      clojure: true,
      csharp: true,
      dart: true,
      go: true,
      http: true,
      java: true,
      kotlin: true,
      objc: true,
      ocaml: true,
      php: true,
      powershell: true,
      python: true,
      r: true,
      ruby: true,
      rust: true,
      swift: true,
    },
    defaultHttpClient: { targetKey: 'shell', clientKey: 'curl' },
  };
}

/** Returns the URL of the OpenAPI document for an API origin, which is empty for the SPA's own. */
export function openApiDocumentUrl(apiBaseUrl: string): string {
  return `${apiBaseUrl}/v1/openapi.json`;
}
