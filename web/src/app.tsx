import { Center, Spinner } from '@chakra-ui/react';
import type { Role } from '@creditgate/shared';
import { type ComponentType, lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { API_DOCS_PATH, ApiDocsRoute } from './features/api-docs/api-docs-route';
import { AuthScreens } from './features/auth/auth-screens';
import { useAuth } from './features/auth/use-auth';
import { SECURITY_PATH } from './features/security/security-path';
import { AppShell } from './features/shell/app-shell';

/** Each role's screens are a chunk of their own, so the sign-in page loads none of them. */
const consoles: Record<Role, ComponentType> = {
  SuperAdmin: lazy(() => import('./consoles/super-admin-console')),
  TenantAdmin: lazy(() => import('./consoles/tenant-admin-console')),
  User: lazy(() => import('./consoles/user-console')),
};

/** The security page is the same for every role, and only it needs the QR code module. */
const SecurityPage = lazy(() =>
  import('./features/security/security-page').then((module) => ({
    default: module.SecurityPage,
  })),
);

/**
 * Routes the whole SPA. Pages that need no session go above the catch-all route, which
 * shows sign-in until there is a session and then the console of the caller's role.
 */
export function App() {
  return (
    <Routes>
      <Route path={API_DOCS_PATH} element={<ApiDocsRoute />} />
      <Route path="*" element={<SessionScreens />} />
    </Routes>
  );
}

/**
 * Chooses the screen: sign-in, accepting an invitation or resetting a password until there
 * is a session, then the screens of the caller's role. The path survives a sign-in, so an
 * expired session returns to the page the user was on once they sign in again.
 */
function SessionScreens() {
  const { state } = useAuth();

  if (state.status === 'restoring') return <PageSpinner label="Restoring your session" />;
  if (state.status !== 'signedIn') return <AuthScreens />;

  const Console = consoles[state.me.role];
  return (
    <AppShell>
      <Suspense fallback={<PageSpinner label="Loading" />}>
        <Routes>
          <Route path={SECURITY_PATH} element={<SecurityPage />} />
          <Route path="*" element={<Console />} />
        </Routes>
      </Suspense>
    </AppShell>
  );
}

function PageSpinner({ label }: { label: string }) {
  return (
    <Center minHeight="60dvh">
      <Spinner size="lg" aria-label={label} />
    </Center>
  );
}
