/**
 * Reads a required environment variable once; a missing one fails with its name, so a
 * misconfigured function stops at its first request with a clear log line.
 */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`Missing environment variable ${name}`);
  }
  return value;
}

/** Reads an optional environment variable; empty counts as unset. */
export function optionalEnv(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** Reads a positive integer setting, falling back to `defaultValue` when unset. */
export function integerEnv(name: string, defaultValue: number): number {
  const raw = optionalEnv(name);
  if (raw === undefined) return defaultValue;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`Environment variable ${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

/**
 * True only when the local supervisor started this process. Local mode trusts the
 * cognito-local token issuer, so deployed functions never set `CREDITGATE_LOCAL`.
 */
export function isLocalMode(): boolean {
  return process.env.CREDITGATE_LOCAL === '1';
}

/** Client settings shared by every AWS SDK client; local mode adds emulator endpoints. */
export function awsClientConfig(endpointVariable: string): { region: string; endpoint?: string } {
  const region = requireEnv('AWS_REGION');
  const endpoint = isLocalMode() ? optionalEnv(endpointVariable) : undefined;
  return endpoint ? { region, endpoint } : { region };
}
