import { describe, expect, it } from 'vitest';
import { parseRuntimeConfig } from './runtime-config';

const localConfig = {
  apiBaseUrl: '',
  region: 'us-east-1',
  userPoolId: 'local_abc',
  userPoolClientId: 'client123',
  cognitoEndpoint: 'http://127.0.0.1:9229',
};

describe('parseRuntimeConfig', () => {
  it('keeps a local Cognito endpoint', () => {
    const config = parseRuntimeConfig(localConfig);

    expect(config.cognitoEndpoint).toBe('http://127.0.0.1:9229');
  });

  it('uses the regional endpoint for null', () => {
    const config = parseRuntimeConfig({
      ...localConfig,
      region: 'eu-west-1',
      cognitoEndpoint: null,
    });

    expect(config.cognitoEndpoint).toBe('https://cognito-idp.eu-west-1.amazonaws.com/');
  });

  it('drops a trailing slash from the API base URL', () => {
    const config = parseRuntimeConfig({ ...localConfig, apiBaseUrl: 'https://api.example.test/' });

    expect(config.apiBaseUrl).toBe('https://api.example.test');
  });

  it('rejects a region that is not one', () => {
    expect(() => parseRuntimeConfig({ ...localConfig, region: 'evil.host/x' })).toThrow(
      "'evil.host/x' is not an AWS region",
    );
  });

  it('rejects a missing client id', () => {
    expect(() => parseRuntimeConfig({ ...localConfig, userPoolClientId: undefined })).toThrow(
      "'userPoolClientId' must be a string",
    );
  });
});
