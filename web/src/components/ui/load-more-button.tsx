import { Button } from '@chakra-ui/react';
import type { PagedListState } from '../../lib/use-paged-list';

export interface LoadMoreButtonProps {
  list: Pick<PagedListState<unknown>, 'hasMore' | 'isLoading' | 'loadMore'>;
}

/** Renders "Load more" below a paged list while the API has more pages. */
export function LoadMoreButton({ list }: LoadMoreButtonProps) {
  if (!list.hasMore) return null;
  return (
    <Button
      variant="outline"
      size="sm"
      alignSelf="center"
      loading={list.isLoading}
      loadingText="Loading…"
      onClick={list.loadMore}
    >
      Load more
    </Button>
  );
}
