import { Route, Routes } from 'react-router';
import { ApiTokensPage } from '../features/api-tokens/api-tokens-page';
import { AuditPage } from '../features/audit/audit-page';
import { ChatPage } from '../features/chat/chat-page';
import { ChatSessionProvider } from '../features/chat/chat-session';
import { CreditRequestsPage } from '../features/credit-requests/credit-requests-page';
import { TenantOverviewPage } from '../features/overview/tenant-overview-page';
import { TenantSettingsPage } from '../features/settings/tenant-settings-page';
import { ConsoleFallback } from '../features/shell/console-fallback';
import { TenantUsagePage } from '../features/usage/tenant-usage-page';
import { UsersPage } from '../features/users/users-page';

/** Renders the TenantAdmin's screens, loaded as a chunk of their own. */
export default function TenantAdminConsole() {
  return (
    <ChatSessionProvider>
      <Routes>
        <Route path="/overview" element={<TenantOverviewPage />} />
        <Route path="/users" element={<UsersPage />} />
        <Route path="/credit-requests" element={<CreditRequestsPage />} />
        <Route path="/usage" element={<TenantUsagePage />} />
        <Route path="/settings" element={<TenantSettingsPage />} />
        <Route path="/audit" element={<AuditPage />} />
        <Route path="/chat" element={<ChatPage />} />
        <Route path="/api-tokens" element={<ApiTokensPage />} />
        <Route path="*" element={<ConsoleFallback />} />
      </Routes>
    </ChatSessionProvider>
  );
}
