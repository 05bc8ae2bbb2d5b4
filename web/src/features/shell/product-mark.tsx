import { Box, HStack, Text } from '@chakra-ui/react';

export interface ProductMarkProps {
  size?: 'md' | 'lg';
}

/** Renders the product's name with its mark, for the header and the sign-in screens. */
export function ProductMark({ size = 'md' }: ProductMarkProps) {
  const markSize = size === 'lg' ? '8' : '6';
  return (
    <HStack gap="2">
      <Box
        width={markSize}
        height={markSize}
        borderRadius="md"
        bg="colorPalette.solid"
        color="colorPalette.contrast"
        display="grid"
        placeItems="center"
        fontWeight="bold"
        fontSize={size === 'lg' ? 'md' : 'sm'}
        aria-hidden="true"
      >
        C
      </Box>
      <Text fontWeight="semibold" textStyle={size === 'lg' ? 'xl' : 'md'}>
        Creditgate
      </Text>
    </HStack>
  );
}
