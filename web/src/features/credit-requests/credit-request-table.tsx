import { HStack, Table, Text, VisuallyHidden } from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { StatusBadge } from '../../components/ui/status-badge';
import type { CreditRequest } from '../../lib/api-types';
import { formatCredits, formatDateTime } from '../../lib/format';

export interface CreditRequestTableProps {
  requests: CreditRequest[];
  /** Adds the member's email, for admins who see everyone's requests. */
  isMemberShown: boolean;
  /** Buttons for a pending request, such as approve and deny. */
  renderActions?: (request: CreditRequest) => ReactNode;
}

/** Lists credit requests with their amount, reason, status and the admin's decision. */
export function CreditRequestTable({
  requests,
  isMemberShown,
  renderActions,
}: CreditRequestTableProps) {
  // The scroll area is focusable, so keyboard users can scroll a table wider than the screen.
  return (
    <Table.ScrollArea tabIndex={0} role="region" aria-label="Credit requests table">
      <Table.Root size="sm" aria-label="Credit requests">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeader>Requested</Table.ColumnHeader>
            {isMemberShown && <Table.ColumnHeader>Member</Table.ColumnHeader>}
            <Table.ColumnHeader textAlign="end">Amount</Table.ColumnHeader>
            <Table.ColumnHeader>Reason</Table.ColumnHeader>
            <Table.ColumnHeader>Status</Table.ColumnHeader>
            <Table.ColumnHeader>Answer</Table.ColumnHeader>
            {renderActions && (
              <Table.ColumnHeader>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.ColumnHeader>
            )}
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {requests.map((request) => (
            <Table.Row key={request.requestId}>
              <Table.Cell whiteSpace="nowrap">
                <time dateTime={request.createdAt}>{formatDateTime(request.createdAt)}</time>
              </Table.Cell>
              {isMemberShown && <Table.Cell>{request.email}</Table.Cell>}
              <Table.Cell textAlign="end">{formatCredits(request.amount)}</Table.Cell>
              <Table.Cell minWidth="48" whiteSpace="normal">
                {request.reason}
              </Table.Cell>
              <Table.Cell>
                <StatusBadge status={request.status} />
              </Table.Cell>
              <Table.Cell minWidth="40" whiteSpace="normal">
                {request.decidedAt ? (
                  <>
                    <Text textStyle="xs" color="fg.muted">
                      {formatDateTime(request.decidedAt)}
                    </Text>
                    {request.note && <Text>{request.note}</Text>}
                  </>
                ) : (
                  '—'
                )}
              </Table.Cell>
              {renderActions && (
                <Table.Cell>
                  {request.status === 'PENDING' && (
                    <HStack gap="2" justify="end">
                      {renderActions(request)}
                    </HStack>
                  )}
                </Table.Cell>
              )}
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
    </Table.ScrollArea>
  );
}
