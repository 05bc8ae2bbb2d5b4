import {
  Alert,
  Badge,
  Button,
  CloseButton,
  Dialog,
  FileUpload,
  Flex,
  Portal,
  Stack,
  Table,
  Text,
  Textarea,
} from '@chakra-ui/react';
import { MAX_BATCH_INVITES } from '@creditgate/shared';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormField } from '../../components/ui/form-field';
import type { BatchInviteResult } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { useSubmit } from '../../lib/use-request';
import { parseInviteRows } from './invite-rows';

/** 100 rows of the longest emails are about 26 kB, so a larger file is not a list of invites. */
const MAX_FILE_BYTES = 1_000_000;

const resultLabels: Record<BatchInviteResult['result'], { label: string; palette: string }> = {
  invited: { label: 'Invited', palette: 'green' },
  exists: { label: 'Already exists', palette: 'gray' },
  invalid: { label: 'Invalid', palette: 'red' },
  seat_limit: { label: 'No seat left', palette: 'orange' },
};

export interface BulkInviteDialogProps {
  tenantId: string;
  /** Called with the results once the API returns them, so the page can reload its lists. */
  onInvited: (results: BatchInviteResult[]) => void;
}

/**
 * Renders a "Bulk invite" button and its dialog, which takes pasted CSV text or a CSV file
 * (`email,role` per line) and then shows the API's result for each row.
 */
export function BulkInviteDialog({ tenantId, onInvited }: BulkInviteDialogProps) {
  const api = useApi();
  const [isOpen, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [isParseErrorShown, setParseErrorShown] = useState(false);
  const [fileError, setFileError] = useState<string | null>(null);
  const [results, setResults] = useState<BatchInviteResult[] | null>(null);
  const parsed = parseInviteRows(text);
  const submit = useSubmit(async () => {
    if (!parsed.isValid) return;
    const response = await api.inviteUsers(tenantId, parsed.rows);
    setResults(response.results);
    onInvited(response.results);
  });

  const reset = () => {
    setText('');
    setParseErrorShown(false);
    setFileError(null);
    setResults(null);
    submit.clearError();
  };

  const handleOpenChange = (open: boolean) => {
    if (submit.isPending) return;
    setOpen(open);
    if (open) reset();
  };

  const handleFile = async (file: File | undefined) => {
    if (!file) return;
    setFileError(null);
    try {
      setText(await file.text());
    } catch {
      setFileError(`${file.name} could not be read. Choose it again or paste its lines.`);
    }
  };

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    setParseErrorShown(true);
    if (parsed.isValid) void submit.run();
  };

  const rowCountText = parsed.rows.length === 1 ? '1 row' : `${parsed.rows.length} rows`;
  return (
    <Dialog.Root
      size="lg"
      open={isOpen}
      onOpenChange={(details) => handleOpenChange(details.open)}
      closeOnInteractOutside={!submit.isPending}
    >
      <Dialog.Trigger asChild>
        <Button size="sm" variant="outline">
          Bulk invite
        </Button>
      </Dialog.Trigger>
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content>
            {results ? (
              <>
                <Dialog.Header>
                  <Dialog.Title>Bulk invitation results</Dialog.Title>
                </Dialog.Header>
                <Dialog.Body>
                  <BatchResults results={results} />
                </Dialog.Body>
                <Dialog.Footer>
                  <Button variant="outline" onClick={reset}>
                    Invite more
                  </Button>
                  <Dialog.ActionTrigger asChild>
                    <Button>Done</Button>
                  </Dialog.ActionTrigger>
                </Dialog.Footer>
              </>
            ) : (
              <form onSubmit={handleSubmit}>
                <Dialog.Header>
                  <Dialog.Title>Invite several users</Dialog.Title>
                </Dialog.Header>
                <Dialog.Body>
                  <Stack gap="4">
                    <Text textStyle="sm" color="fg.muted">
                      One user per line as <code>email,role</code>, where the role is User or
                      TenantAdmin and defaults to User. At most {MAX_BATCH_INVITES} lines; a header
                      line is skipped.
                    </Text>
                    <ErrorAlert error={submit.error} />
                    <FileUpload.Root
                      maxFiles={1}
                      maxFileSize={MAX_FILE_BYTES}
                      accept={{ 'text/csv': ['.csv'], 'text/plain': ['.txt'] }}
                      onFileAccept={(details) => void handleFile(details.files[0])}
                      onFileReject={() =>
                        setFileError('Choose a .csv or .txt file of at most 1 MB.')
                      }
                    >
                      <FileUpload.HiddenInput aria-label="CSV file" />
                      <Flex gap="3" align="center">
                        <FileUpload.Trigger asChild>
                          <Button size="sm" variant="outline">
                            Choose a CSV file
                          </Button>
                        </FileUpload.Trigger>
                        <Text textStyle="sm" color="fg.muted">
                          or paste the lines below
                        </Text>
                      </Flex>
                    </FileUpload.Root>
                    {fileError && (
                      <Alert.Root status="error">
                        <Alert.Indicator />
                        <Alert.Title>{fileError}</Alert.Title>
                      </Alert.Root>
                    )}
                    <FormField
                      label="Users"
                      helperText={parsed.rows.length > 0 ? `${rowCountText} to invite` : undefined}
                      errorText={isParseErrorShown && !parsed.isValid ? parsed.message : undefined}
                    >
                      <Textarea
                        name="bulk-invite-rows"
                        rows={8}
                        fontFamily="mono"
                        textStyle="sm"
                        placeholder={'ana@example.com,User\nbo@example.com,TenantAdmin'}
                        value={text}
                        onChange={(event) => setText(event.target.value)}
                      />
                    </FormField>
                  </Stack>
                </Dialog.Body>
                <Dialog.Footer>
                  <Dialog.ActionTrigger asChild>
                    <Button variant="outline" disabled={submit.isPending}>
                      Cancel
                    </Button>
                  </Dialog.ActionTrigger>
                  <Button type="submit" loading={submit.isPending} loadingText="Inviting…">
                    Send invitations
                  </Button>
                </Dialog.Footer>
              </form>
            )}
            <Dialog.CloseTrigger asChild disabled={submit.isPending}>
              <CloseButton size="sm" />
            </Dialog.CloseTrigger>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}

function BatchResults({ results }: { results: BatchInviteResult[] }) {
  const invitedCount = results.filter((row) => row.result === 'invited').length;
  return (
    <Stack gap="4">
      <Text>
        {invitedCount} of {results.length} {results.length === 1 ? 'row' : 'rows'} invited.
      </Text>
      <Table.ScrollArea maxHeight="96">
        <Table.Root size="sm" aria-label="Bulk invitation results" stickyHeader>
          <Table.Header>
            <Table.Row>
              <Table.ColumnHeader>Email</Table.ColumnHeader>
              <Table.ColumnHeader>Result</Table.ColumnHeader>
              <Table.ColumnHeader>Message</Table.ColumnHeader>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {results.map((row, index) => {
              const result = resultLabels[row.result] ?? { label: row.result, palette: 'gray' };
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows may repeat an email, and the list never reorders.
                <Table.Row key={index}>
                  <Table.Cell>{row.email || '—'}</Table.Cell>
                  <Table.Cell>
                    <Badge colorPalette={result.palette} variant="subtle">
                      {result.label}
                    </Badge>
                  </Table.Cell>
                  <Table.Cell color="fg.muted" textStyle="sm">
                    {row.message ?? ''}
                  </Table.Cell>
                </Table.Row>
              );
            })}
          </Table.Body>
        </Table.Root>
      </Table.ScrollArea>
    </Stack>
  );
}
