import { Card, Center, Heading, Stack, Text } from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { ProductMark } from '../shell/product-mark';

export interface AuthLayoutProps {
  title: string;
  description?: ReactNode;
  children: ReactNode;
}

/** Renders the centred card that the sign-in and new-password screens share. */
export function AuthLayout({ title, description, children }: AuthLayoutProps) {
  return (
    <Center minHeight="100dvh" padding="4">
      <Stack gap="6" width="full" maxWidth="sm">
        <Center>
          <ProductMark size="lg" />
        </Center>
        <Card.Root variant="elevated" bg="bg">
          <Card.Header>
            <Heading as="h1" size="lg">
              {title}
            </Heading>
            {description && (
              <Text color="fg.muted" textStyle="sm">
                {description}
              </Text>
            )}
          </Card.Header>
          <Card.Body>{children}</Card.Body>
        </Card.Root>
      </Stack>
    </Center>
  );
}
