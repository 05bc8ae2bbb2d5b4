import { ChakraProvider } from '@chakra-ui/react';
import { ThemeProvider } from 'next-themes';
import type { ReactNode } from 'react';
import { system } from '../../theme';
import { Toaster } from './toaster';

export interface ProviderProps {
  children: ReactNode;
}

// next-themes renders an inline script meant for server rendering. A client-rendered script
// never runs, and React warns about it unless its type marks it as a data block.
const themeScriptProps = { type: 'application/json' };

/**
 * Wraps the app in Chakra's styling system and next-themes, which sets the `light` or `dark`
 * class on `<html>` from the user's choice or, until they choose, the system setting.
 */
export function Provider({ children }: ProviderProps) {
  return (
    <ChakraProvider value={system}>
      <ThemeProvider
        attribute="class"
        defaultTheme="system"
        enableSystem
        disableTransitionOnChange
        scriptProps={themeScriptProps}
      >
        {children}
        <Toaster />
      </ThemeProvider>
    </ChakraProvider>
  );
}
