import { Navigate, Route, Routes } from 'react-router';
import { ChatPage } from '../features/chat/chat-page';
import { homePathFor } from '../features/shell/home-path';

/** The User's screens, loaded as a chunk of their own. Unknown paths lead home. */
export default function UserConsole() {
  return (
    <Routes>
      <Route path="/chat" element={<ChatPage />} />
      <Route path="*" element={<Navigate to={homePathFor('User')} replace />} />
    </Routes>
  );
}
