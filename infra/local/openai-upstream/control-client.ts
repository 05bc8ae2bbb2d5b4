import type { Behaviour, RecordedRequest } from './control.js';

/** Typed calls to the `/_control` API of a running local upstream. */
export interface UpstreamControl {
  listRequests(): Promise<RecordedRequest[]>;
  clearRequests(): Promise<void>;
  getBehaviour(): Promise<{ behaviour: Behaviour; remaining: number | null; heldCount: number }>;
  setBehaviour(behaviour: Behaviour): Promise<void>;
  resetBehaviour(): Promise<void>;
  /** Lets responses held by `holdAfterFirstChunk` continue; returns how many there were. */
  releaseHeld(): Promise<number>;
}

/**
 * Creates a control client for the upstream at `baseUrl` (without `/v1`). Throws for a URL
 * whose host is not loopback, because the control API only exists on the local upstream.
 */
export function createUpstreamControl(baseUrl: string): UpstreamControl {
  const base = new URL(baseUrl);
  const isLoopback =
    base.hostname === 'localhost' ||
    base.hostname === '[::1]' ||
    /^127\.\d+\.\d+\.\d+$/.test(base.hostname);
  if (!isLoopback) {
    throw new Error(
      `Invalid upstream URL '${baseUrl}': the control API is served only on loopback.`,
    );
  }

  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(new URL(path, base), {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`${method} ${path} failed with HTTP ${response.status}: ${text}`);
    }
    return JSON.parse(text) as T;
  };

  return {
    listRequests: () => call<RecordedRequest[]>('GET', '/_control/requests'),
    clearRequests: async () => {
      await call('DELETE', '/_control/requests');
    },
    getBehaviour: () => call('GET', '/_control/behaviour'),
    setBehaviour: async (behaviour) => {
      await call('POST', '/_control/behaviour', behaviour);
    },
    resetBehaviour: async () => {
      await call('DELETE', '/_control/behaviour');
    },
    releaseHeld: async () =>
      (await call<{ released: number }>('POST', '/_control/release')).released,
  };
}
