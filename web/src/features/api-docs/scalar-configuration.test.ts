import { describe, expect, it } from 'vitest';
import { buildScalarConfiguration, openApiDocumentUrl } from './scalar-configuration';

describe('buildScalarConfiguration', () => {
  const configuration = buildScalarConfiguration({ openapi: '3.1.0' }, 'http://127.0.0.1:8787');

  it('turns off every remote fetch', () => {
    expect(configuration.withDefaultFonts).toBe(false);
    expect(configuration.telemetry).toBe(false);
    expect(configuration.agent).toEqual({ disabled: true });
    expect(configuration.showDeveloperTools).toBe('never');
    expect(configuration.showToolbar).toBe('never');
  });

  it('sends requests to the API only', () => {
    expect(configuration.servers).toEqual([
      { url: 'http://127.0.0.1:8787', description: 'This Creditgate API' },
    ]);
    expect(configuration).not.toHaveProperty('proxyUrl');
  });

  it('keeps curl and fetch samples', () => {
    const hidden = configuration.hiddenClients as Record<string, boolean>;

    expect(hidden.shell).toBeUndefined();
    expect(hidden.js).toBeUndefined();
    expect(hidden.node).toBeUndefined();
  });
});

describe('openApiDocumentUrl', () => {
  it('uses the SPA origin when the base is empty', () => {
    expect(openApiDocumentUrl('')).toBe('/v1/openapi.json');
  });

  it('prefixes a separate API origin', () => {
    expect(openApiDocumentUrl('https://api.example.test')).toBe(
      'https://api.example.test/v1/openapi.json',
    );
  });
});
