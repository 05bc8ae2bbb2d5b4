import { Table, Text } from '@chakra-ui/react';
import type { LedgerEntry } from '../../lib/api-types';
import { formatCredits, formatDateTime } from '../../lib/format';
import { toLedgerRows } from './ledger-rows';

export interface LedgerTableProps {
  entries: LedgerEntry[];
  title: string;
  /** Shows at most this many rows, the newest. */
  maxRows?: number;
}

/**
 * Lists a member's ledger entries: what each did to the balance, when, and for AI calls the
 * model and tokens. Each finished AI call shows once, as its cost (see `toLedgerRows`).
 */
export function LedgerTable({ entries, title, maxRows }: LedgerTableProps) {
  const rows = toLedgerRows(entries).slice(0, maxRows);
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
          {rows.map(({ entry, label, credits }) => (
            <Table.Row key={entry.entryId}>
              <Table.Cell whiteSpace="nowrap">
                <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt)}</time>
              </Table.Cell>
              <Table.Cell>
                <Text>{label}</Text>
                {entry.requestId && (
                  <Text fontFamily="mono" textStyle="xs" color="fg.muted">
                    {entry.requestId}
                  </Text>
                )}
              </Table.Cell>
              <Table.Cell>{entry.model ?? '—'}</Table.Cell>
              <Table.Cell textAlign="end" whiteSpace="nowrap">
                {entry.usage
                  ? `${formatCredits(entry.usage.promptTokens)} / ${formatCredits(entry.usage.completionTokens)}`
                  : '—'}
              </Table.Cell>
              <Table.Cell textAlign="end" whiteSpace="nowrap">
                {credits}
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
    </Table.ScrollArea>
  );
}
