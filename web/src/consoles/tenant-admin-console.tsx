import { Navigate, Route, Routes } from 'react-router';
import { AuditPage } from '../features/audit/audit-page';
import { ChatPage } from '../features/chat/chat-page';
import { homePathFor } from '../features/shell/home-path';
import { UsersPage } from '../features/users/users-page';

/** The TenantAdmin's screens, loaded as a chunk of their own. Unknown paths lead home. */
export default function TenantAdminConsole() {
  return (
    <Routes>
      <Route path="/users" element={<UsersPage />} />
      <Route path="/audit" element={<AuditPage />} />
      <Route path="/chat" element={<ChatPage />} />
      <Route path="*" element={<Navigate to={homePathFor('TenantAdmin')} replace />} />
    </Routes>
  );
}
