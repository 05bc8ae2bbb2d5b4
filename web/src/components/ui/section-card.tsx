import { Card, Flex, Stack } from '@chakra-ui/react';
import type { ReactNode } from 'react';

export interface SectionCardProps {
  title: ReactNode;
  description?: ReactNode;
  /** Buttons shown at the right of the title. */
  actions?: ReactNode;
  children: ReactNode;
}

/** Renders a titled panel that groups one task on a page. */
export function SectionCard({ title, description, actions, children }: SectionCardProps) {
  return (
    <Card.Root size="sm" variant="outline" bg="bg">
      <Card.Header>
        <Flex justify="space-between" align="start" gap="4">
          <Stack gap="1">
            <Card.Title>{title}</Card.Title>
            {description && <Card.Description>{description}</Card.Description>}
          </Stack>
          {actions}
        </Flex>
      </Card.Header>
      <Card.Body>{children}</Card.Body>
    </Card.Root>
  );
}
