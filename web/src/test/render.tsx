import { cleanup, type RenderResult, render } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { afterEach } from 'vitest';
import { Provider } from '../components/ui/provider';
import { AuthContext, type AuthContextValue, type AuthState } from '../features/auth/auth-provider';
import type { ApiClient, Me } from '../lib/api-client';
import { ApiContext } from '../lib/api-context';

// Vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(cleanup);

export interface RenderOptions {
  /** Fakes of the API methods the component calls. Any other method throws when called. */
  api?: Partial<ApiClient>;
  /**
   * The sign-in state and fakes of the auth actions the component calls. Any other action
   * throws when called. Without it, `useAuth` throws as outside `AuthProvider`.
   */
  auth?: Partial<Omit<AuthContextValue, 'state'>> & { state?: AuthState; me?: Me };
  /** The route the component renders at, with its query string. */
  path?: string;
}

/**
 * Renders `ui` inside the app's Chakra provider, a memory router, a fake API client and,
 * when `options.auth` is given, a fake sign-in state.
 */
export function renderWithProviders(ui: ReactElement, options: RenderOptions = {}): RenderResult {
  const api = withMissingFakes<ApiClient>(options.api ?? {}, 'api');
  const auth = options.auth ? createFakeAuth(options.auth) : null;

  const wrapper = ({ children }: { children: ReactNode }) => (
    <Provider>
      <MemoryRouter initialEntries={[options.path ?? '/']}>
        <AuthContext.Provider value={auth}>
          <ApiContext.Provider value={api}>{children}</ApiContext.Provider>
        </AuthContext.Provider>
      </MemoryRouter>
    </Provider>
  );
  return render(ui, { wrapper });
}

/** Returns a test user of the tenant, with any fields replaced. */
export function createMe(fields: Partial<Me> = {}): Me {
  return {
    userId: '7d1b5d0e-2f1c-4c55-9a41-0a5b7c3e9f10',
    email: 'admin@example.test',
    tenantId: 'tnt_01J00000000000000000000000',
    role: 'TenantAdmin',
    status: 'ACTIVE',
    balance: 0,
    held: 0,
    spent: 0,
    ...fields,
  };
}

function createFakeAuth(fakes: NonNullable<RenderOptions['auth']>): AuthContextValue {
  const { state, me, ...actions } = fakes;
  const resolvedState: AuthState =
    state ?? (me ? { status: 'signedIn', me } : { status: 'signedOut', notice: null });
  return withMissingFakes<AuthContextValue>({ ...actions, state: resolvedState }, 'auth');
}

/** Wraps fakes so that calling any method without one throws a message naming it. */
function withMissingFakes<T extends object>(fakes: Partial<T>, owner: string): T {
  return new Proxy(fakes, {
    get(target, name) {
      const method = target[name as keyof T];
      if (method) return method;
      return () => {
        throw new Error(`The test gave no fake for ${owner}.${String(name)}`);
      };
    },
  }) as T;
}
