import { Badge } from '@chakra-ui/react';

export interface StatusBadgeProps {
  /** A user, tenant, token or credit request status such as `ACTIVE` or `PENDING`. */
  status: string;
}

const paletteByStatus: Record<string, string> = {
  ACTIVE: 'green',
  INVITED: 'blue',
  DISABLED: 'orange',
  SUSPENDED: 'orange',
  DELETED: 'gray',
  PENDING: 'yellow',
  APPROVED: 'green',
  DENIED: 'red',
  EXPIRED: 'gray',
  REVOKED: 'gray',
};

/** Renders a status as a coloured label. */
export function StatusBadge({ status }: StatusBadgeProps) {
  return (
    <Badge colorPalette={paletteByStatus[status] ?? 'gray'} variant="subtle">
      {status.toLowerCase()}
    </Badge>
  );
}
