import { Box, Button, Flex, HStack, Spinner, Stack, Text } from '@chakra-ui/react';
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
  /** True when the member stopped the reply. */
  isStopped?: boolean;
  /** Credits charged for the part of a stopped reply that was delivered, once known. */
  stoppedCost?: number;
}

export interface MessageListProps {
  messages: ConversationMessage[];
  /**
   * Sends the question of a failed last reply again. Without it, failed replies offer no
   * retry.
   */
  onRetry?: (replyId: string) => void;
}

/** Renders the conversation, newest last. Replies grow as their pieces arrive. */
export function MessageList({ messages, onRetry }: MessageListProps) {
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
      {messages.map((message, index) => (
        <MessageBubble
          key={message.id}
          message={message}
          onRetry={index === messages.length - 1 ? onRetry : undefined}
        />
      ))}
    </Stack>
  );
}

interface MessageBubbleProps {
  message: ConversationMessage;
  onRetry: MessageListProps['onRetry'];
}

function MessageBubble({ message, onRetry }: MessageBubbleProps) {
  const isUser = message.role === 'user';
  const isFailed = message.errorMessage !== undefined && !message.isStopped;
  // A reply that failed before its first word has nothing to show but the reason.
  const hasBubble = isUser || message.content !== '' || message.isStreaming === true;
  return (
    <Flex justify={isUser ? 'end' : 'start'}>
      <Stack gap="1" maxWidth="80%" align={isUser ? 'end' : 'start'}>
        {hasBubble && (
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
        )}
        {message.errorMessage && (
          <HStack gap="2" textStyle="xs">
            <Text color={message.isStopped ? 'fg.muted' : 'fg.error'} role="alert">
              {message.errorMessage}
              {message.stoppedCost !== undefined &&
                ` Cost ${formatCreditCount(message.stoppedCost)} for the part delivered.`}
            </Text>
            {isFailed && onRetry && (
              <Button size="2xs" variant="outline" onClick={() => onRetry(message.id)}>
                Retry
              </Button>
            )}
          </HStack>
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
