import { Card, Stat } from '@chakra-ui/react';
import type { ReactNode } from 'react';

export interface StatCardProps {
  /** Also the card's accessible name. */
  label: string;
  value: ReactNode;
  helpText?: ReactNode;
}

/** Renders one figure, such as a balance, with its label. */
export function StatCard({ label, value, helpText }: StatCardProps) {
  return (
    <Card.Root size="sm" variant="outline" bg="bg" role="group" aria-label={label}>
      <Card.Body>
        <Stat.Root>
          <Stat.Label>{label}</Stat.Label>
          <Stat.ValueText>{value}</Stat.ValueText>
          {helpText && <Stat.HelpText>{helpText}</Stat.HelpText>}
        </Stat.Root>
      </Card.Body>
    </Card.Root>
  );
}
