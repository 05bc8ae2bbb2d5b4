import { cleanup, type RenderResult, render } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { afterEach } from 'vitest';
import { Provider } from '../components/ui/provider';
import type { ApiClient } from '../lib/api-client';
import { ApiContext } from '../lib/api-context';

// Vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(cleanup);

export interface RenderOptions {
  /** Fakes of the API methods the component calls. Any other method throws when called. */
  api?: Partial<ApiClient>;
  /** The route the component renders at. */
  path?: string;
}

/** Renders `ui` inside the app's Chakra provider, a memory router and a fake API client. */
export function renderWithProviders(ui: ReactElement, options: RenderOptions = {}): RenderResult {
  const api = new Proxy(options.api ?? {}, {
    get(target, name) {
      const method = target[name as keyof ApiClient];
      if (method) return method;
      return () => {
        throw new Error(`The test gave no fake for api.${String(name)}`);
      };
    },
  }) as ApiClient;

  const wrapper = ({ children }: { children: ReactNode }) => (
    <Provider>
      <MemoryRouter initialEntries={[options.path ?? '/']}>
        <ApiContext.Provider value={api}>{children}</ApiContext.Provider>
      </MemoryRouter>
    </Provider>
  );
  return render(ui, { wrapper });
}
