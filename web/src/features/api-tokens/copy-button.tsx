import { Button, Clipboard } from '@chakra-ui/react';

export interface CopyButtonProps {
  value: string;
  /** What is copied, for the button's accessible name, such as "token". */
  what: string;
}

/** Copies `value` to the clipboard and shows "Copied" for a moment. */
export function CopyButton({ value, what }: CopyButtonProps) {
  return (
    <Clipboard.Root value={value}>
      <Clipboard.Trigger asChild>
        <Button size="xs" variant="outline" aria-label={`Copy the ${what}`}>
          <Clipboard.Indicator />
          <Clipboard.Context>
            {(clipboard) => (clipboard.copied ? 'Copied' : 'Copy')}
          </Clipboard.Context>
        </Button>
      </Clipboard.Trigger>
    </Clipboard.Root>
  );
}
