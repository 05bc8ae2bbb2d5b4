import { Button, Clipboard } from '@chakra-ui/react';

export interface CopyButtonProps {
  value: string;
  /** Name of the copied item in the button's accessible name, such as "token". */
  itemName: string;
}

/** Copies `value` to the clipboard and shows "Copied" for a moment. */
export function CopyButton({ value, itemName }: CopyButtonProps) {
  return (
    <Clipboard.Root value={value}>
      <Clipboard.Trigger asChild>
        <Button size="xs" variant="outline" aria-label={`Copy the ${itemName}`}>
          <Clipboard.Indicator />
          <Clipboard.Context>
            {(clipboard) => (clipboard.copied ? 'Copied' : 'Copy')}
          </Clipboard.Context>
        </Button>
      </Clipboard.Trigger>
    </Clipboard.Root>
  );
}
