import {
  Box,
  Button,
  Flex,
  NativeSelect,
  Spinner,
  Stack,
  Table,
  Tag,
  Text,
} from '@chakra-ui/react';
import { PLATFORM_TENANT_ID } from '@creditgate/shared';
import { useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormField } from '../../components/ui/form-field';
import { LoadMoreButton } from '../../components/ui/load-more-button';
import type { AuditEntry, AuditQuery, Page } from '../../lib/api-client';
import { formatDateTime } from '../../lib/format';
import { usePagedList } from '../../lib/use-paged-list';
import { formatAuditAction, formatAuditDetails } from './audit-actions';

/** Entries per request. The API allows up to 100. */
const PAGE_SIZE = 50;

/** The API filters by user ids only, so entries of scheduled jobs (`system`) cannot be. */
const USER_ID_PATTERN = /^[0-9a-f-]{36}$/;

export interface AuditLogProps {
  /** Loads one page of the log with the filters the user chose. */
  loadPage: (query: AuditQuery) => Promise<Page<AuditEntry>>;
  /** Actions the filter offers. */
  actions: readonly string[];
  /** Adds a Tenant column, for the log of every tenant. */
  isTenantShown?: boolean;
  /** Emails by user id, to name user targets whose entry carries no email. */
  userEmails?: ReadonlyMap<string, string>;
  /** Tenant names by tenant id, for the Tenant column. */
  tenantNames?: ReadonlyMap<string, string>;
}

interface ActorFilter {
  actorId: string;
  email: string;
}

/**
 * Lists audit entries newest first, with a filter by action, a filter by actor (chosen by
 * clicking an actor) and "Load more" for older entries.
 */
export function AuditLog(props: AuditLogProps) {
  const { loadPage, actions, isTenantShown = false } = props;
  const [action, setAction] = useState('');
  const [actor, setActor] = useState<ActorFilter | null>(null);
  const entries = usePagedList(
    (cursor) =>
      loadPage({ limit: PAGE_SIZE, cursor, action: action || undefined, actorId: actor?.actorId }),
    `${action}|${actor?.actorId ?? ''}`,
  );
  const isFiltered = action !== '' || actor !== null;

  return (
    <Stack gap="4">
      <Flex gap="4" align="end" wrap="wrap">
        <Box width={{ base: 'full', sm: '64' }}>
          <FormField label="Action">
            <NativeSelect.Root size="sm">
              <NativeSelect.Field
                name="audit-action"
                value={action}
                onChange={(event) => setAction(event.currentTarget.value)}
              >
                <option value="">All actions</option>
                {actions.map((option) => (
                  <option key={option} value={option}>
                    {formatAuditAction(option)}
                  </option>
                ))}
              </NativeSelect.Field>
              <NativeSelect.Indicator />
            </NativeSelect.Root>
          </FormField>
        </Box>
        {actor && (
          <Tag.Root size="lg" variant="outline" aria-label={`Actor filter: ${actor.email}`}>
            <Tag.Label>Actor: {actor.email}</Tag.Label>
            <Tag.EndElement>
              <Tag.CloseTrigger
                aria-label="Remove the actor filter"
                onClick={() => setActor(null)}
              />
            </Tag.EndElement>
          </Tag.Root>
        )}
        <Button
          variant="outline"
          size="sm"
          marginStart="auto"
          loading={entries.isLoading && entries.items.length > 0}
          loadingText="Refreshing…"
          onClick={entries.reload}
        >
          Refresh
        </Button>
      </Flex>
      <ErrorAlert error={entries.error} />
      {entries.isLoading && entries.items.length === 0 ? (
        <Spinner aria-label="Loading the audit log" />
      ) : entries.items.length === 0 ? (
        <Text color="fg.muted">{emptyText(isFiltered, entries.hasMore)}</Text>
      ) : (
        <AuditTable
          entries={entries.items}
          isTenantShown={isTenantShown}
          userEmails={props.userEmails}
          tenantNames={props.tenantNames}
          onActorSelect={(entry) => setActor({ actorId: entry.actorId, email: entry.actorEmail })}
        />
      )}
      <LoadMoreButton list={entries} />
    </Stack>
  );
}

function emptyText(isFiltered: boolean, hasMore: boolean): string {
  // The API filters after reading a page, so a filtered page can be empty while older
  // entries still match.
  if (hasMore) return 'None of the latest entries match. Load more to search older ones.';
  return isFiltered ? 'No entries match these filters.' : 'No audit entries yet.';
}

interface AuditTableProps {
  entries: AuditEntry[];
  isTenantShown: boolean;
  userEmails: ReadonlyMap<string, string> | undefined;
  tenantNames: ReadonlyMap<string, string> | undefined;
  onActorSelect: (entry: AuditEntry) => void;
}

function AuditTable(props: AuditTableProps) {
  const { entries, isTenantShown, userEmails, tenantNames, onActorSelect } = props;
  return (
    <Table.ScrollArea>
      <Table.Root size="sm" aria-label="Audit log">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeader>Time</Table.ColumnHeader>
            <Table.ColumnHeader>Action</Table.ColumnHeader>
            <Table.ColumnHeader>Actor</Table.ColumnHeader>
            {isTenantShown && <Table.ColumnHeader>Tenant</Table.ColumnHeader>}
            <Table.ColumnHeader>Target</Table.ColumnHeader>
            <Table.ColumnHeader>Details</Table.ColumnHeader>
            <Table.ColumnHeader>Request</Table.ColumnHeader>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {entries.map((entry) => (
            <Table.Row key={entry.auditId}>
              <Table.Cell whiteSpace="nowrap">
                <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt)}</time>
              </Table.Cell>
              <Table.Cell whiteSpace="nowrap" title={entry.action}>
                {formatAuditAction(entry.action)}
              </Table.Cell>
              <Table.Cell>
                {USER_ID_PATTERN.test(entry.actorId) ? (
                  <Button
                    variant="plain"
                    size="sm"
                    fontWeight="normal"
                    paddingX="0"
                    height="auto"
                    color="colorPalette.fg"
                    title="Show only this actor's actions"
                    onClick={() => onActorSelect(entry)}
                  >
                    {entry.actorEmail}
                  </Button>
                ) : (
                  entry.actorEmail
                )}
              </Table.Cell>
              {isTenantShown && (
                <Table.Cell minWidth="32" maxWidth="48" whiteSpace="normal">
                  <TenantName tenantId={entry.tenantId} tenantNames={tenantNames} />
                </Table.Cell>
              )}
              <Table.Cell minWidth="40" maxWidth="56" whiteSpace="normal">
                <TargetName entry={entry} userEmails={userEmails} />
              </Table.Cell>
              <Table.Cell
                textStyle="xs"
                minWidth="48"
                maxWidth="xs"
                whiteSpace="normal"
                overflowWrap="anywhere"
              >
                {formatAuditDetails(entry.details)}
              </Table.Cell>
              <Table.Cell
                fontFamily="mono"
                textStyle="xs"
                whiteSpace="normal"
                wordBreak="break-all"
                minWidth="32"
              >
                {entry.requestId}
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
    </Table.ScrollArea>
  );
}

/**
 * Names a user target by the email in the entry's details, or else by the email of a known
 * user. Other targets, and users who are no longer listed, show their id.
 */
function TargetName(props: {
  entry: AuditEntry;
  userEmails: ReadonlyMap<string, string> | undefined;
}) {
  const { entry } = props;
  const detailsEmail = entry.details?.email;
  const email =
    entry.targetType !== 'user'
      ? undefined
      : typeof detailsEmail === 'string'
        ? detailsEmail
        : props.userEmails?.get(entry.targetId);
  return (
    <>
      {email ? (
        <Text wordBreak="break-all">{email}</Text>
      ) : (
        <Text fontFamily="mono" textStyle="xs" wordBreak="break-all">
          {entry.targetId}
        </Text>
      )}
      <Text color="fg.muted" textStyle="xs">
        {entry.targetType}
      </Text>
    </>
  );
}

/** Names a tenant by its name when known, with the id below it. */
function TenantName(props: {
  tenantId: string;
  tenantNames: ReadonlyMap<string, string> | undefined;
}) {
  const name =
    props.tenantId === PLATFORM_TENANT_ID ? 'Platform' : props.tenantNames?.get(props.tenantId);
  return (
    <>
      {name && <Text>{name}</Text>}
      <Text
        fontFamily="mono"
        textStyle="xs"
        color={name ? 'fg.muted' : undefined}
        wordBreak="break-all"
      >
        {props.tenantId}
      </Text>
    </>
  );
}
