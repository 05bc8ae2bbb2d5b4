import { Heading, Stack, Text } from '@chakra-ui/react';
import { type ReactNode, useEffect } from 'react';

/** The product name that ends every page title. */
const PRODUCT_NAME = 'Creditgate';

export interface PageHeaderProps {
  title: string;
  description?: ReactNode;
}

/**
 * Renders a screen's title and one line on what the screen is for, and names the browser
 * tab after the screen, so that tabs and history entries differ.
 */
export function PageHeader({ title, description }: PageHeaderProps) {
  useEffect(() => {
    document.title = `${title} · ${PRODUCT_NAME}`;
    return () => {
      document.title = PRODUCT_NAME;
    };
  }, [title]);

  return (
    <Stack gap="1">
      <Heading as="h1" size="2xl">
        {title}
      </Heading>
      {description && <Text color="fg.muted">{description}</Text>}
    </Stack>
  );
}
