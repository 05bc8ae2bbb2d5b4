import { Alert, Box, Card, Flex, NativeSelect, SimpleGrid, Spinner, Stack } from '@chakra-ui/react';
import { useEffect, useRef, useState } from 'react';
import { ErrorAlert } from '../../components/ui/error-alert';
import { FormField } from '../../components/ui/form-field';
import { PageHeader } from '../../components/ui/page-header';
import { StatCard } from '../../components/ui/stat-card';
import type { ChatMessage } from '../../lib/api-client';
import { useApi } from '../../lib/api-context';
import { toApiError } from '../../lib/api-error';
import { formatCredits } from '../../lib/format';
import { useLoad } from '../../lib/use-request';
import { useAuth, useMe } from '../auth/use-auth';
import { ChatComposer } from './chat-composer';
import { readChatStream } from './chat-stream';
import { type ConversationMessage, MessageList } from './message-list';

/**
 * Renders the chat screen: the caller's balance, a model picker fed by `GET /v1/models`, and a
 * conversation whose replies stream in piece by piece. Each finished reply shows its cost
 * and the balance after it, from the stream's receipt.
 */
export function ChatPage() {
  const api = useApi();
  const me = useMe();
  const { refreshMe } = useAuth();
  const models = useLoad(() => api.listModels(), 'models');
  const [model, setModel] = useState('');
  const [messages, setMessages] = useState<ConversationMessage[]>([]);
  const [isStreaming, setStreaming] = useState(false);
  const [balance, setBalance] = useState(me.balance);
  const abortRef = useRef<AbortController | null>(null);

  // Every read of `GET /v1/me` is exact and wins over the balance of the last receipt.
  useEffect(() => setBalance(me.balance), [me]);
  useEffect(() => () => abortRef.current?.abort(), []);

  // Embedding models answer only /v1/embeddings, so the chat offers the others.
  const modelIds = (models.data?.data.map((entry) => entry.id) ?? []).filter(
    (id) => !id.includes('embedding'),
  );
  const selectedModel = model || modelIds[0] || '';

  const updateReply = (id: string, update: (message: ConversationMessage) => ConversationMessage) =>
    setMessages((current) =>
      current.map((message) => (message.id === id ? update(message) : message)),
    );

  const send = async (text: string) => {
    const userMessage: ConversationMessage = {
      id: crypto.randomUUID(),
      role: 'user',
      content: text,
    };
    const replyId = crypto.randomUUID();
    const history: ChatMessage[] = [...messages, userMessage]
      .filter((message) => message.content !== '' && !message.errorMessage)
      .map((message) => ({ role: message.role, content: message.content }));
    setMessages((current) => [
      ...current,
      userMessage,
      { id: replyId, role: 'assistant', content: '', isStreaming: true },
    ]);
    setStreaming(true);
    const controller = new AbortController();
    abortRef.current = controller;

    try {
      const response = await api.startChatStream(selectedModel, history, controller.signal);
      if (!response.body) throw new Error('The reply has no body.');
      const result = await readChatStream(response.body, (delta) =>
        updateReply(replyId, (reply) => ({ ...reply, content: reply.content + delta })),
      );
      updateReply(replyId, (reply) => ({
        ...reply,
        isStreaming: false,
        receipt: result.receipt,
        errorMessage: result.error?.message,
      }));
      if (result.receipt) setBalance(result.receipt.balance);
    } catch (reason) {
      const isStopped = controller.signal.aborted;
      updateReply(replyId, (reply) => ({
        ...reply,
        isStreaming: false,
        errorMessage: isStopped ? 'Stopped.' : toApiError(reason).message,
      }));
    } finally {
      abortRef.current = null;
      setStreaming(false);
      // The receipt's balance can miss calls running in other tabs, but the user record is exact.
      refreshMe().catch(() => undefined);
    }
  };

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
            <Card.Title>Conversation</Card.Title>
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
            {models.isLoading ? <Spinner /> : <MessageList messages={messages} />}
            <ChatComposer
              isStreaming={isStreaming}
              isDisabled={!selectedModel}
              onSend={(text) => void send(text)}
              onStop={() => abortRef.current?.abort()}
            />
          </Stack>
        </Card.Body>
      </Card.Root>
    </Stack>
  );
}
