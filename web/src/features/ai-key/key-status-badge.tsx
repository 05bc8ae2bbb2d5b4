import { Badge } from '@chakra-ui/react';

/** Renders an AI key's `Active` or `Inactive` status. */
export function KeyStatusBadge({ status }: { status: 'Active' | 'Inactive' }) {
  return (
    <Badge colorPalette={status === 'Active' ? 'green' : 'red'} variant="subtle" size="lg">
      {status}
    </Badge>
  );
}
