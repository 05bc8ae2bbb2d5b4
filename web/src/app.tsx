import { Center, Spinner } from '@chakra-ui/react';
import { Navigate, Route, Routes, useMatch } from 'react-router';
import { API_DOCS_PATH, ApiDocsRoute } from './features/api-docs/api-docs-route';
import { AuditPage } from './features/audit/audit-page';
import { AuthScreens } from './features/auth/auth-screens';
import { useAuth } from './features/auth/use-auth';
import { ChatPage } from './features/chat/chat-page';
import { AppShell } from './features/shell/app-shell';
import { homePathFor } from './features/shell/home-path';
import { TenantsPage } from './features/tenants/tenants-page';
import { UsersPage } from './features/users/users-page';

/**
 * Chooses the screen: sign-in, accepting an invitation or resetting a password until there
 * is a session, then the screens of the caller's role. Paths of other roles are not
 * registered, so they lead back to the role's home, and so do `/accept-invite` and
 * `/forgot-password` once the visitor is signed in.
 */
export function App() {
  const { state } = useAuth();
  // The API reference documents a public document, so it needs no session.
  const isApiDocs = useMatch(API_DOCS_PATH) !== null;

  if (isApiDocs) return <ApiDocsRoute />;

  if (state.status === 'restoring') {
    return (
      <Center minHeight="100dvh">
        <Spinner size="lg" aria-label="Restoring your session" />
      </Center>
    );
  }
  if (state.status !== 'signedIn') return <AuthScreens />;

  const { role } = state.me;
  return (
    <AppShell>
      <Routes>
        {role === 'SuperAdmin' && <Route path="/tenants" element={<TenantsPage />} />}
        {role === 'TenantAdmin' && <Route path="/users" element={<UsersPage />} />}
        {role !== 'User' && <Route path="/audit" element={<AuditPage />} />}
        {role !== 'SuperAdmin' && <Route path="/chat" element={<ChatPage />} />}
        <Route path="*" element={<Navigate to={homePathFor(role)} replace />} />
      </Routes>
    </AppShell>
  );
}
