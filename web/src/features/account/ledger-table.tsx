import { Table, Text } from '@chakra-ui/react';
import type { LedgerEntry, LedgerEntryType } from '../../lib/api-types';
import { formatCredits, formatDateTime } from '../../lib/format';

export interface LedgerTableProps {
  entries: LedgerEntry[];
  title: string;
}

const typeLabels: Record<LedgerEntryType, string> = {
  GRANT: 'Grant',
  ALLOCATE: 'Allocated to you',
  RECLAIM: 'Reclaimed',
  HOLD: 'Held for a call',
  SETTLE: 'AI call',
  RELEASE: 'Hold released',
};

/** Returns `+` for entries that add to the member's balance, `−` for those that take from it, else nothing. */
function signOf(entry: LedgerEntry): string {
  if (entry.type === 'ALLOCATE' || entry.type === 'RELEASE') return '+';
  if (entry.type === 'RECLAIM' || entry.type === 'HOLD') return '−';
  return '';
}

/** Lists a member's ledger entries: what moved, when, and for AI calls the model and tokens. */
export function LedgerTable({ entries, title }: LedgerTableProps) {
  // The scroll area is focusable, so keyboard users can scroll a table wider than the screen.
  return (
    <Table.ScrollArea tabIndex={0} role="region" aria-label={`${title} table`}>
      <Table.Root size="sm" aria-label={title}>
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeader>Time</Table.ColumnHeader>
            <Table.ColumnHeader>Entry</Table.ColumnHeader>
            <Table.ColumnHeader>Model</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Tokens in / out</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Credits</Table.ColumnHeader>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {entries.map((entry) => (
            <Table.Row key={entry.entryId}>
              <Table.Cell whiteSpace="nowrap">
                <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt)}</time>
              </Table.Cell>
              <Table.Cell>
                <Text>{typeLabels[entry.type]}</Text>
                {entry.requestId && (
                  <Text fontFamily="mono" textStyle="xs" color="fg.muted">
                    {entry.requestId}
                  </Text>
                )}
              </Table.Cell>
              <Table.Cell>{entry.model ?? '—'}</Table.Cell>
              <Table.Cell textAlign="end" whiteSpace="nowrap">
                {entry.usage
                  ? `$formatCredits(entry.usage.promptTokens)/ ${formatCredits(entry.usage.completionTokens)}`
                  : '—'}
              </Table.Cell>
              <Table.Cell textAlign="end" whiteSpace="nowrap">
                {signOf(entry)}
                {formatCredits(entry.amount)}
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
    </Table.ScrollArea>
  );
}
