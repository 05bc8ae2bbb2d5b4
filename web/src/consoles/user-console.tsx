import { Route, Routes } from 'react-router';
import { BalancePage } from '../features/account/balance-page';
import { ApiTokensPage } from '../features/api-tokens/api-tokens-page';
import { ChatPage } from '../features/chat/chat-page';
import { ChatSessionProvider } from '../features/chat/chat-session';
import { CreditRequestsPage } from '../features/credit-requests/credit-requests-page';
import { ConsoleFallback } from '../features/shell/console-fallback';
import { MyUsagePage } from '../features/usage/my-usage-page';

/** Renders the User's screens, loaded as a chunk of their own. */
export default function UserConsole() {
  return (
    <ChatSessionProvider>
      <Routes>
        <Route path="/chat" element={<ChatPage />} />
        <Route path="/balance" element={<BalancePage />} />
        <Route path="/usage" element={<MyUsagePage />} />
        <Route path="/api-tokens" element={<ApiTokensPage />} />
        <Route path="/credit-requests" element={<CreditRequestsPage />} />
        <Route path="*" element={<ConsoleFallback />} />
      </Routes>
    </ChatSessionProvider>
  );
}
