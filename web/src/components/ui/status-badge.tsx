import { Badge } from '@chakra-ui/react';

export interface StatusBadgeProps {
  /** A user or tenant status such as `ACTIVE`, `INVITED` or `SUSPENDED`. */
  status: string;
}

const paletteByStatus: Record<string, string> = {
  ACTIVE: 'green',
  INVITED: 'blue',
  DISABLED: 'orange',
  SUSPENDED: 'orange',
  DELETED: 'gray',
};

/** Renders a user's or tenant's status as a coloured label. */
export function StatusBadge({ status }: StatusBadgeProps) {
  return (
    <Badge colorPalette={paletteByStatus[status] ?? 'gray'} variant="subtle">
      {status.toLowerCase()}
    </Badge>
  );
}
