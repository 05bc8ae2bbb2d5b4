import { Button, Field, HStack, Stack, Textarea } from '@chakra-ui/react';
import { type FormEvent, type KeyboardEvent, useState } from 'react';

export interface ChatComposerProps {
  isStreaming: boolean;
  isDisabled: boolean;
  onSend: (text: string) => void;
  onStop: () => void;
}

/** Renders the message box. Enter sends, and Shift+Enter starts a new line. */
export function ChatComposer({ isStreaming, isDisabled, onSend, onStop }: ChatComposerProps) {
  const [text, setText] = useState('');
  const canSend = text.trim() !== '' && !isStreaming && !isDisabled;

  const send = () => {
    if (!canSend) return;
    onSend(text.trim());
    setText('');
  };
  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    send();
  };
  const handleKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  return (
    <form onSubmit={handleSubmit}>
      <Stack gap="2">
        <Field.Root>
          <Field.Label srOnly>Message</Field.Label>
          <Textarea
            name="message"
            placeholder="Write a message…"
            autoresize
            maxHeight="40"
            value={text}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={handleKeyDown}
          />
        </Field.Root>
        <HStack justify="end" gap="2">
          {isStreaming && (
            <Button variant="outline" onClick={onStop}>
              Stop
            </Button>
          )}
          <Button type="submit" loading={isStreaming} loadingText="Replying…" disabled={!canSend}>
            Send
          </Button>
        </HStack>
      </Stack>
    </form>
  );
}
