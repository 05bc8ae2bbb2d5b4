import { Card, Stat, Text } from '@chakra-ui/react';
import type { ReactNode } from 'react';

export interface StatCardProps {
  /** Also the card's accessible name. */
  label: string;
  value: ReactNode;
  helpText?: ReactNode;
}

/**
 * Renders one figure, such as a balance, with its label. The help text sits below the `dl`
 * of the label and value, because a `dl` may only contain `dt` and `dd` groups.
 */
export function StatCard({ label, value, helpText }: StatCardProps) {
  return (
    <Card.Root size="sm" variant="outline" bg="bg" role="group" aria-label={label}>
      <Card.Body gap="1">
        <Stat.Root>
          <Stat.Label>{label}</Stat.Label>
          <Stat.ValueText>{value}</Stat.ValueText>
        </Stat.Root>
        {helpText && (
          <Text textStyle="xs" color="fg.muted">
            {helpText}
          </Text>
        )}
      </Card.Body>
    </Card.Root>
  );
}
