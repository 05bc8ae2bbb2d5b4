import { createSystem, defaultConfig, defineConfig } from '@chakra-ui/react';

/**
 * The SPA's styling system: Chakra's defaults with teal as the palette that buttons, focus
 * rings and selections use unless a component sets its own `colorPalette`. Solid teal is one
 * step darker than Chakra's default (teal.600), because white text on teal.600 has a
 * contrast of about 3.7:1, below the 4.5:1 that WCAG AA requires for normal text.
 */
const config = defineConfig({
  globalCss: {
    html: { colorPalette: 'teal' },
    body: { bg: 'bg.subtle' },
    // Visually hidden column titles are absolutely positioned. Without a positioned header
    // cell their containing block is the page, so in a table that scrolls sideways they
    // stick out past the scroll area and widen the page on narrow screens.
    th: { position: 'relative' },
  },
  theme: {
    semanticTokens: {
      colors: {
        teal: {
          solid: { value: '{colors.teal.700}' },
        },
        // Success toasts are white on green.solid, which at green.600 has a contrast of 3.3:1.
        green: {
          solid: { value: '{colors.green.700}' },
        },
      },
    },
  },
});

export const system = createSystem(defaultConfig, config);
