import { Alert, Center } from '@chakra-ui/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './app';
import { Provider } from './components/ui/provider';
import { loadRuntimeConfig } from './config/runtime-config';
import { AuthProvider } from './features/auth/auth-provider';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('The page has no #root element');
const root = createRoot(rootElement);

loadRuntimeConfig().then(
  (config) => {
    root.render(
      <StrictMode>
        <Provider>
          <BrowserRouter>
            <AuthProvider config={config}>
              <App />
            </AuthProvider>
          </BrowserRouter>
        </Provider>
      </StrictMode>,
    );
  },
  (error: unknown) => {
    root.render(
      <Provider>
        <Center minHeight="100dvh" padding="4">
          <Alert.Root status="error" maxWidth="lg">
            <Alert.Indicator />
            <Alert.Content>
              <Alert.Title>Creditgate could not start</Alert.Title>
              <Alert.Description>
                {error instanceof Error ? error.message : String(error)}
              </Alert.Description>
            </Alert.Content>
          </Alert.Root>
        </Center>
      </Provider>,
    );
  },
);
