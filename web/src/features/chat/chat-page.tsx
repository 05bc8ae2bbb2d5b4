import {
  Alert,
  Box,
  Button,
  Card,
  Flex,
  HStack,
  NativeSelect,
  SimpleGrid,
  Spinner,
  Stack,
} from '@chakra-ui/react';
import { useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormField } from '../../components/ui/form-field';
import { PageHeader } from '../../components/ui/page-header';
import { StatCard } from '../../components/ui/stat-card';
import { useApi } from '../../lib/api-context';
import { formatCredits } from '../../lib/format';
import { useLoad } from '../../lib/use-request';
import { useMe } from '../auth/use-auth';
import { ChatComposer } from './chat-composer';
import { useChatSession } from './chat-session';
import { MessageList } from './message-list';

/**
 * Renders the chat screen: the caller's balance, a model picker fed by `GET /v1/models`, and a
 * conversation whose replies stream in piece by piece. Each finished reply shows its cost
 * and the balance after it, from the stream's receipt. The conversation lives in
 * `ChatSessionProvider`, so it survives moving to another page and back.
 */
export function ChatPage() {
  const api = useApi();
  const me = useMe();
  const chat = useChatSession();
  const models = useLoad(() => api.listModels(), 'models');
  const [model, setModel] = useState('');
  const { messages, isStreaming } = chat;

  const balance = chat.receiptBalance ?? me.balance;

  // Embedding models answer only /v1/embeddings, so the chat offers the others.
  const modelIds = (models.data?.data.map((entry) => entry.id) ?? []).filter(
    (id) => !id.includes('embedding'),
  );
  const selectedModel = model || modelIds[0] || '';

  return (
    <Stack gap="6">
      <PageHeader title="Chat" description="Talk to the models your plan includes." />
      <SimpleGrid columns={{ base: 2, md: 3 }} gap="4">
        <StatCard label="Balance" value={formatCredits(balance)} helpText="Credits available" />
        <StatCard label="Spent" value={formatCredits(me.spent)} helpText="On earlier calls" />
      </SimpleGrid>
      {balance === 0 && !isStreaming && (
        <Alert.Root status="info">
          <Alert.Indicator />
          <Alert.Title>You have no credits. Ask your tenant admin to allocate some.</Alert.Title>
        </Alert.Root>
      )}
      <Card.Root variant="outline" bg="bg">
        <Card.Header>
          <Flex justify="space-between" align="end" gap="4" wrap="wrap">
            <HStack gap="3">
              <Card.Title>Conversation</Card.Title>
              <Button
                size="xs"
                variant="ghost"
                disabled={isStreaming || messages.length === 0}
                onClick={chat.clear}
              >
                New conversation
              </Button>
            </HStack>
            <Box width={{ base: 'full', sm: '56' }} flexShrink="0">
              <FormField label="Model">
                <NativeSelect.Root size="sm" disabled={isStreaming || modelIds.length === 0}>
                  <NativeSelect.Field
                    name="model"
                    value={selectedModel}
                    onChange={(event) => setModel(event.currentTarget.value)}
                  >
                    {modelIds.map((id) => (
                      <option key={id} value={id}>
                        {id}
                      </option>
                    ))}
                  </NativeSelect.Field>
                  <NativeSelect.Indicator />
                </NativeSelect.Root>
              </FormField>
            </Box>
          </Flex>
        </Card.Header>
        <Card.Body>
          <Stack gap="4">
            <ErrorAlert error={models.error} />
            {models.isLoading ? (
              <Spinner />
            ) : (
              <MessageList
                messages={messages}
                onRetry={(replyId) => void chat.retry(selectedModel, replyId)}
              />
            )}
            <ChatComposer
              isStreaming={isStreaming}
              isDisabled={!selectedModel}
              onSend={(text) => void chat.send(selectedModel, text)}
              onStop={chat.stop}
            />
          </Stack>
        </Card.Body>
      </Card.Root>
    </Stack>
  );
}
