/**
 * Settings the SPA reads at start from `/config.json`, so one build serves every stage. The
 * local dev server serves the file, and in AWS it is deployed beside `index.html`.
 */
export interface RuntimeConfig {
  /** Origin of the API, or empty when the API shares the SPA's origin. */
  apiBaseUrl: string;
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  /** Cognito endpoint to call, which is the regional AWS endpoint when the file has null. */
  cognitoEndpoint: string;
}

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Fetches and validates `/config.json`. Throws an Error that names the first invalid field. */
export async function loadRuntimeConfig(): Promise<RuntimeConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) {
    throw new Error(`Loading /config.json failed with HTTP ${response.status}.`);
  }
  return parseRuntimeConfig(await response.json());
}

/** Validates the content of `/config.json` and fills in the AWS Cognito endpoint. */
export function parseRuntimeConfig(value: unknown): RuntimeConfig {
  if (typeof value !== 'object' || value === null) {
    throw new Error('Invalid /config.json: expected a JSON object.');
  }
  const fields = value as Record<string, unknown>;
  const readString = (name: string): string => {
    const field = fields[name];
    if (typeof field !== 'string') {
      throw new Error(`Invalid /config.json: '${name}' must be a string.`);
    }
    return field;
  };

  const region = readString('region');
  if (!REGION_PATTERN.test(region)) {
    throw new Error(`Invalid /config.json: '${region}' is not an AWS region.`);
  }
  const cognitoEndpoint = fields.cognitoEndpoint;
  if (cognitoEndpoint !== null && typeof cognitoEndpoint !== 'string') {
    throw new Error("Invalid /config.json: 'cognitoEndpoint' must be a string or null.");
  }
  return {
    apiBaseUrl: readString('apiBaseUrl').replace(/\/+$/, ''),
    region,
    userPoolId: readString('userPoolId'),
    userPoolClientId: readString('userPoolClientId'),
    cognitoEndpoint: cognitoEndpoint ?? `https://cognito-idp.${region}.amazonaws.com/`,
  };
}
