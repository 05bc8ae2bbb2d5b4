import {
  Alert,
  Box,
  Button,
  Code,
  HStack,
  Input,
  NativeSelect,
  SimpleGrid,
  Stack,
  Table,
  Text,
  VisuallyHidden,
} from '@chakra-ui/react';
import { type FormEvent, useState } from 'react';
import { ConfirmButton } from '../../components/ui/confirm-button';
import { CopyButton } from '../../components/ui/copy-button';
import { EmptyState } from '../../components/ui/empty-state';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormField } from '../../components/ui/form-field';
import { LoadingRows } from '../../components/ui/loading-rows';
import { PageHeader } from '../../components/ui/page-header';
import { SectionCard } from '../../components/ui/section-card';
import { StatusBadge } from '../../components/ui/status-badge';
import { toaster } from '../../components/ui/toaster';
import { useApi } from '../../lib/api-context';
import type { ApiToken, CreatedApiToken } from '../../lib/api-types';
import { formatDateTime } from '../../lib/format';
import { useLoad, useSubmit } from '../../lib/use-request';
import { buildOpenAiSnippet } from './token-snippet';

const EXPIRY_CHOICES = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: '', label: 'Never' },
];

/**
 * Renders the caller's personal API tokens: create one (shown once, with a copy button and
 * an `openai` SDK example), list them and revoke them.
 */
export function ApiTokensPage() {
  const api = useApi();
  const tokens = useLoad(() => api.listApiTokens(), 'api-tokens');
  const models = useLoad(() => api.listModels(), 'models');
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const model =
    models.data?.data.map((entry) => entry.id).find((id) => !id.includes('embedding')) ??
    'gpt-4o-mini';

  const handleCreated = (token: CreatedApiToken) => {
    setCreated(token);
    const { token: _secret, ...listed } = token;
    tokens.setData((current) =>
      current ? { ...current, items: [listed, ...current.items] } : current,
    );
  };
  const handleRevoked = (tokenId: string) =>
    tokens.setData((current) =>
      current
        ? {
            ...current,
            items: current.items.map((item) =>
              item.tokenId === tokenId ? { ...item, status: 'REVOKED' as const } : item,
            ),
          }
        : current,
    );

  return (
    <Stack gap="6">
      <PageHeader
        title="API tokens"
        description="Call Creditgate's OpenAI-compatible API from your own code. Calls are charged to your balance."
      />
      <SimpleGrid columns={{ base: 1, lg: 2 }} gap="6" alignItems="start">
        <SectionCard title="New token">
          <CreateTokenForm onCreated={handleCreated} />
        </SectionCard>
        <SectionCard title="Use it with the openai SDK" description="Node.js, openai 4 or later.">
          <Stack gap="2">
            <Box
              as="pre"
              bg="bg.muted"
              padding="3"
              borderRadius="md"
              overflowX="auto"
              textStyle="xs"
            >
              <Code variant="plain" bg="transparent">
                {buildOpenAiSnippet(api.getApiOrigin(), model)}
              </Code>
            </Box>
            <Box alignSelf="start">
              <CopyButton
                value={buildOpenAiSnippet(api.getApiOrigin(), model)}
                itemName="example"
              />
            </Box>
          </Stack>
        </SectionCard>
      </SimpleGrid>
      {created && (
        <Alert.Root status="success" role="status">
          <Alert.Indicator />
          <Alert.Content gap="2">
            <Alert.Title>Copy your token “{created.name}” now. It is not shown again.</Alert.Title>
            <HStack gap="2" wrap="wrap">
              <Code wordBreak="break-all" aria-label="New API token">
                {created.token}
              </Code>
              <CopyButton value={created.token} itemName="token" />
            </HStack>
            <Text textStyle="sm">
              Store it in the <Code>CREDITGATE_API_TOKEN</Code> environment variable.
            </Text>
          </Alert.Content>
          <Button size="xs" variant="ghost" onClick={() => setCreated(null)}>
            Done
          </Button>
        </Alert.Root>
      )}
      <SectionCard title="Your tokens">
        <Stack gap="4">
          <ErrorAlert error={tokens.error} />
          {tokens.isLoading && !tokens.data ? (
            <LoadingRows label="Loading your tokens" />
          ) : tokens.data?.items.length === 0 ? (
            <EmptyState title="No tokens yet" description="Create one to call the API from code." />
          ) : (
            tokens.data && <TokenTable tokens={tokens.data.items} onRevoked={handleRevoked} />
          )}
        </Stack>
      </SectionCard>
    </Stack>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedApiToken) => void }) {
  const api = useApi();
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState('90');
  const [isNameMissing, setNameMissing] = useState(false);
  const submit = useSubmit(async (input: { name: string; expiresInDays?: number }) => {
    onCreated(await api.createApiToken(input));
    setName('');
  });

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    setNameMissing(trimmed === '');
    if (trimmed === '') return;
    void submit.run({ name: trimmed, ...(expiry && { expiresInDays: Number(expiry) }) });
  };

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack gap="4">
        <ErrorAlert error={submit.error} />
        <FormField
          label="Name"
          required
          helperText="Where you use it, such as a laptop or a script."
          errorText={isNameMissing ? 'Enter a name.' : submit.error?.messageFor('name')}
        >
          <Input
            name="token-name"
            maxLength={100}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </FormField>
        <FormField label="Expires after">
          <NativeSelect.Root>
            <NativeSelect.Field
              name="expiry"
              value={expiry}
              onChange={(event) => setExpiry(event.currentTarget.value)}
            >
              {EXPIRY_CHOICES.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </NativeSelect.Field>
            <NativeSelect.Indicator />
          </NativeSelect.Root>
        </FormField>
        <Button type="submit" alignSelf="start" loading={submit.isPending} loadingText="Creating…">
          Create token
        </Button>
      </Stack>
    </form>
  );
}

function TokenTable(props: { tokens: ApiToken[]; onRevoked: (tokenId: string) => void }) {
  return (
    <Table.ScrollArea>
      <Table.Root size="sm" aria-label="API tokens">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeader>Name</Table.ColumnHeader>
            <Table.ColumnHeader>Status</Table.ColumnHeader>
            <Table.ColumnHeader>Created</Table.ColumnHeader>
            <Table.ColumnHeader>Expires</Table.ColumnHeader>
            <Table.ColumnHeader>Last used</Table.ColumnHeader>
            <Table.ColumnHeader>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.ColumnHeader>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {props.tokens.map((token) => (
            <Table.Row key={token.tokenId}>
              <Table.Cell fontWeight="medium">{token.name}</Table.Cell>
              <Table.Cell>
                <StatusBadge status={token.status} />
              </Table.Cell>
              <Table.Cell whiteSpace="nowrap">{formatDateTime(token.createdAt)}</Table.Cell>
              <Table.Cell whiteSpace="nowrap">
                {token.expiresAt ? formatDateTime(token.expiresAt) : 'Never'}
              </Table.Cell>
              <Table.Cell whiteSpace="nowrap">{formatDateTime(token.lastUsedAt)}</Table.Cell>
              <Table.Cell textAlign="end">
                {token.status === 'ACTIVE' && (
                  <RevokeTokenButton token={token} onRevoked={props.onRevoked} />
                )}
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
    </Table.ScrollArea>
  );
}

function RevokeTokenButton(props: { token: ApiToken; onRevoked: (tokenId: string) => void }) {
  const { token } = props;
  const api = useApi();
  return (
    <ConfirmButton
      label="Revoke"
      ariaLabel={`Revoke token ${token.name}`}
      title={`Revoke token ${token.name}?`}
      confirmLabel="Revoke token"
      isDestructive
      onConfirm={async () => {
        await api.revokeApiToken(token.tokenId);
        toaster.create({ type: 'success', title: `Token ${token.name} revoked` });
        props.onRevoked(token.tokenId);
      }}
    >
      Programs that use it fail from their next call. This cannot be undone.
    </ConfirmButton>
  );
}
