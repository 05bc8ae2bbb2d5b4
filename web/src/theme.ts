import { createSystem, defaultConfig, defineConfig } from '@chakra-ui/react';

/**
 * The SPA's styling system: Chakra's defaults with teal as the palette that buttons, focus
 * rings and selections use unless a component sets its own `colorPalette`.
 */
const config = defineConfig({
  globalCss: {
    html: { colorPalette: 'teal' },
    body: { bg: 'bg.subtle' },
  },
});

export const system = createSystem(defaultConfig, config);
