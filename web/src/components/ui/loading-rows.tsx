import { Skeleton, Stack } from '@chakra-ui/react';

export interface LoadingRowsProps {
  /** Read by screen readers while the content loads. */
  label: string;
  /** @default 4 */
  rows?: number;
}

/** Placeholder lines shown where a table or list is still loading. */
export function LoadingRows({ label, rows = 4 }: LoadingRowsProps) {
  return (
    <Stack gap="3" role="status" aria-label={label}>
      {Array.from({ length: rows }, (_, index) => (
        // The rows have no identity of their own, so their position is their key.
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders never reorder.
        <Skeleton key={index} height="6" />
      ))}
    </Stack>
  );
}
