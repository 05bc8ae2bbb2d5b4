import { ChakraProvider, defaultSystem, Heading, Stack, Text } from '@chakra-ui/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

/** Placeholder until the consoles land: shows that the SPA is served and styled. */
function App() {
  return (
    <Stack gap="3" padding="8" maxWidth="2xl">
      <Heading size="2xl">Creditgate</Heading>
      <Text>The local platform is running. The API answers under /v1 on this origin.</Text>
    </Stack>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element');
createRoot(root).render(
  <StrictMode>
    <ChakraProvider value={defaultSystem}>
      <App />
    </ChakraProvider>
  </StrictMode>,
);
