import { Box, Flex, HStack, Spinner, Stack, Text } from '@chakra-ui/react';
import { formatCreditCount, formatCredits } from '../../lib/format';
import type { ChatReceipt } from './chat-stream';

/** One message of the conversation as the chat screen keeps it. */
export interface ConversationMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  /** True while the reply is still arriving. */
  isStreaming?: boolean;
  receipt?: ChatReceipt;
  /** Reason the reply failed or stopped, shown under it. */
  errorMessage?: string;
}

export interface MessageListProps {
  messages: ConversationMessage[];
}

/** Renders the conversation, newest last. Replies grow as their pieces arrive. */
export function MessageList({ messages }: MessageListProps) {
  return (
    <Stack
      gap="4"
      role="log"
      aria-label="Conversation"
      aria-live="polite"
      minHeight="64"
      maxHeight="60vh"
      overflowY="auto"
      padding="1"
    >
      {messages.length === 0 && (
        <Text color="fg.muted" textAlign="center" marginY="auto">
          Ask anything to start. Each reply is charged in credits by the tokens it uses.
        </Text>
      )}
      {messages.map((message) => (
        <MessageBubble key={message.id} message={message} />
      ))}
    </Stack>
  );
}

interface MessageBubbleProps {
  message: ConversationMessage;
}

function MessageBubble({ message }: MessageBubbleProps) {
  const isUser = message.role === 'user';
  return (
    <Flex justify={isUser ? 'end' : 'start'}>
      <Stack gap="1" maxWidth="80%" align={isUser ? 'end' : 'start'}>
        <Box
          as="article"
          aria-label={isUser ? 'Your message' : 'Reply'}
          aria-busy={message.isStreaming ? 'true' : 'false'}
          bg={isUser ? 'colorPalette.subtle' : 'bg.muted'}
          color={isUser ? 'colorPalette.fg' : 'fg'}
          borderRadius="xl"
          paddingX="4"
          paddingY="2.5"
          whiteSpace="pre-wrap"
          wordBreak="break-word"
        >
          {message.content}
          {message.isStreaming && <Spinner size="xs" marginStart="2" verticalAlign="middle" />}
        </Box>
        {message.errorMessage && (
          <Text textStyle="xs" color="fg.error" role="alert">
            {message.errorMessage}
          </Text>
        )}
        {message.receipt && (
          <HStack gap="2" textStyle="xs" color="fg.muted" aria-label="Receipt">
            <Text>Cost {formatCreditCount(message.receipt.cost)}</Text>
            <Text aria-hidden="true">·</Text>
            <Text>Balance {formatCredits(message.receipt.balance)}</Text>
          </HStack>
        )}
      </Stack>
    </Flex>
  );
}
